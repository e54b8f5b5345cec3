import os

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from tests.s3_server import s3_media, s3_server  # noqa: F401  (fixtures)
from tests.smtp_sink import smtp_sink  # noqa: F401  (fixture)

ON_CI = os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need DATABASE_URL on PostgreSQL; `integration` needs REDIS_URL.

    Without them (a laptop with no servers) they are skipped with the reason shown. In CI
    (NEWSROOM_REQUIRE_SERVICES=1) nothing may be skipped for that reason.
    """
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    has_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
            item.add_marker(
                pytest.mark.xfail(run=False, strict=True, reason=reason)
                if ON_CI
                else pytest.mark.skip(reason=reason)
            )
        if "integration" in item.keywords and not (has_redis and on_postgres):
            reason = "needs Redis and PostgreSQL: set REDIS_URL and DATABASE_URL"
            item.add_marker(
                pytest.mark.xfail(run=False, strict=True, reason=reason)
                if ON_CI
                else pytest.mark.skip(reason=reason)
            )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories hash a password per user; the default hasher would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Media and mail written by a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NEWSROOM_ORIGINALS_ROOT = tmp_path / "originals"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """API throttle counters live in the (local-memory) cache: each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _seeded_rows_survive_flushes(request):
    """Rows that data migrations seed (roles, the licence catalogue) are back for every test.

    A transactional test ends by flushing every table, so the tests after it would find no
    "reporter" group and no licences; the seeding is idempotent, so it simply runs again.
    """
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from media_credits.models import Licence

    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    roles = importlib.import_module("articles.migrations.0005_create_reporter_and_editor_roles")
    more = importlib.import_module(
        "articles.migrations.0008_role_permissions_for_highlight_boxes_images_followups"
    )
    for name, codenames in (("reporter", roles.REPORTER), ("editor", roles.EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )
        for app_label, extra in more.ROLES[name].items():
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=extra)
            )
    licences = importlib.import_module("media_credits.migrations.0002_seed_licence_catalogue")
    for code, name, url, commercial, attribution in licences.LICENCES:
        Licence.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "url": url,
                "commercial_use_allowed": commercial,
                "attribution_required": attribution,
            },
        )


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """A request with Accept-Language: fr leaves French active in the thread; start each test
    in the site's default language so that no test depends on the one before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
