"""Anonymous public reads through the short middleware stack (newsroom.public_handler).

Each request below is made to Django's whole stack and to the short one: both must give the
same status, the same bytes and the same headers (the request id and the date aside).
"""

import datetime

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from newsroom import public_handler
from newsroom.public_handler import PublicReads, ShortHandler
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    EntityFactory,
    MentionFactory,
    PublishedArticleFactory,
)
from tests.wsgi_calls import call, keep_the_test_connection  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PER_REQUEST = {"x-request-id", "date"}


@pytest.fixture
def world():
    entity = EntityFactory(name="Novalys")
    original = PublishedArticleFactory(language="fr", headline="Novalys prépare ses puces")
    MentionFactory(article=original, entity=entity)
    ArticleImageFactory(article=original)
    translation = PublishedArticleFactory(
        language="en", headline="Novalys plans its chips", translation_of=original
    )
    embargoed = PublishedArticleFactory(
        language="fr", embargo_until=timezone.now() + datetime.timedelta(days=1)
    )
    draft = ArticleFactory(language="fr")
    return {
        "entity": entity,
        "original": original,
        "translation": translation,
        "embargoed": embargoed,
        "draft": draft,
    }


def requests(world) -> list[tuple[str, dict]]:
    original, translation, entity = world["original"], world["translation"], world["entity"]
    return [
        ("/api/v1/articles/", {}),
        ("/api/v1/articles/?language=fr", {}),
        ("/api/v1/articles/?q=puces&language=fr", {}),
        ("/api/v1/articles/?q=puces&order=relevance", {}),
        (f"/api/v1/articles/?entity={entity.pk}", {}),
        ("/api/v1/articles/?limit=%C2%B2", {}),
        ("/api/v1/articles/?page_size=0", {"accept_language": "fr"}),
        ("/api/v1/articles/?page_size=0", {"accept_language": "en"}),
        (f"/api/v1/articles/{original.pk}/", {}),
        (f"/api/v1/articles/{translation.pk}/", {}),
        (f"/api/v1/articles/{original.slug}/?language=fr", {}),
        (f"/api/v1/articles/{world['embargoed'].pk}/", {"accept_language": "fr"}),
        (f"/api/v1/articles/{world['draft'].pk}/", {"accept_language": "en"}),
        ("/api/v1/articles/%C2%B2/", {}),
        (f"/api/v1/articles/{original.pk}/revisions/", {}),
        (f"/api/v1/articles/{original.pk}/ninjs/", {}),
        (f"/api/v1/articles/{original.pk}/jsonld/", {}),
        (f"/articles/{original.slug}/", {"accept_language": "fr"}),
        ("/articles/nothing-here/", {}),
        ("/api/v1/entities/", {}),
        (f"/api/v1/entities/{entity.pk}/", {}),
        ("/api/v1/articles", {}),  # the slash added by a redirect
    ]


def comparable(headers: dict) -> dict:
    return {name: value for name, value in headers.items() if name not in PER_REQUEST}


def test_both_stacks_give_the_same_answers_to_anonymous_reads(world):
    full, short = WSGIHandler(), ShortHandler()
    statuses = set()
    for path, headers in requests(world):
        for method in ("GET", "HEAD"):
            a = call(full, path, method=method, **headers)
            b = call(short, path, method=method, **headers)
            assert a[0] == b[0], (method, path)
            assert a[2] == b[2], (method, path)
            assert comparable(a[1]) == comparable(b[1]), (method, path)
            statuses.add(a[0])
    # The list covers answers, refusals, absences and redirects alike.
    assert {200, 301, 400, 401, 404} <= statuses


def test_the_short_stack_leaves_out_sessions_and_the_lockout(settings):
    short = settings.NEWSROOM_PUBLIC_MIDDLEWARE
    assert "newsroom.public_handler.AnonymousMiddleware" in short
    for skipped in (
        "SessionMiddleware",
        "AuthenticationMiddleware",
        "CsrfViewMiddleware",
        "AxesMiddleware",
    ):
        assert not any(name.endswith(skipped) for name in short)
    # The request id, the log line, the metrics and the language stay.
    for kept in ("RequestIdMiddleware", "RequestLogMiddleware", "MetricsMiddleware"):
        assert any(name.endswith(kept) for name in short)
    assert "django.middleware.locale.LocaleMiddleware" in short


def test_only_anonymous_public_gets_take_the_short_stack(world):
    seen = []

    def full(environ, start_response):
        seen.append("full")
        start_response("204 No Content", [])
        return []

    def short(environ, start_response):
        seen.append("short")
        start_response("204 No Content", [])
        return []

    app = PublicReads(full, short)
    cases = [
        ("GET", "/api/v1/articles/1/", {}, "short"),
        ("HEAD", "/api/v1/entities/", {}, "short"),
        ("GET", "/articles/some-slug/", {}, "short"),
        ("GET", "/api/v1/articles/1/", {"authorization": "Token abc"}, "full"),
        ("GET", "/api/v1/articles/1/", {"cookie": "csrftoken=x"}, "full"),
        ("POST", "/api/v1/articles/", {}, "full"),
        ("GET", "/api/v1/followups/", {}, "full"),
        ("GET", "/admin/", {}, "full"),
    ]
    for method, path, headers, expected in cases:
        seen.clear()
        call(app, path, method=method, **headers)
        assert seen == [expected], (method, path, headers)


def test_the_short_stack_can_be_turned_off(settings):
    settings.NEWSROOM_PUBLIC_MIDDLEWARE = []
    inner = object()
    assert public_handler.wrap(inner) is inner
