"""Revalidations answered before Django (newsroom.revalidation), on the real Redis.

The app is Django's own WSGI application wrapped as newsroom/wsgi.py wraps it, called as a WSGI
server calls it, on the test database.
"""

import os
import socket
import time

import pytest
import redis
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from articles.services.articles import article_retract, article_update
from newsroom import revalidation
from newsroom.revalidation import (
    BUMP,
    CHANNEL,
    GENERATION_KEY,
    Revalidation,
    etag_matches,
    vary_names,
)
from tests.factories import PublishedArticleFactory
from tests.wsgi_calls import call, keep_the_test_connection  # noqa: F401 (fixture)

REDIS_URL = os.environ.get("REDIS_URL", "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


@pytest.fixture
def app(settings):
    settings.REDIS_URL = REDIS_URL
    layer = Revalidation(get_wsgi_application(), redis_url=REDIS_URL, ttl=60)
    assert layer.wait_ready(5), "the layer did not subscribe to the changes"
    yield layer
    layer.stop()


def another_machine_changes_something() -> bytes:
    """What another process's bump does: the counter moves and every subscriber hears it."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return str(client.eval(BUMP, 1, GENERATION_KEY, CHANNEL)).encode()
    finally:
        client.close()


@pytest.fixture
def article(db):
    return PublishedArticleFactory(headline="Une puce maison")


def detail(article) -> str:
    return f"/api/v1/articles/{article.pk}/"


@pytest.mark.integration
@pytest.mark.django_db
class TestOnRedis:
    def test_a_matching_revalidation_gets_a_304_without_touching_django(self, app, article):
        status, first, body = call(app, detail(article))
        assert status == 200 and b"Une puce maison" in body
        with CaptureQueriesContext(connection) as queries:
            status, headers, body = call(app, detail(article), if_none_match=first["etag"])
        assert (status, body) == (304, b"")
        assert len(queries) == 0
        # The headers a 200 would carry for caches, none of the body's.
        for name in ("etag", "cache-control", "last-modified", "surrogate-key", "xkey", "vary"):
            assert headers[name] == first[name]
        assert "content-type" not in headers and "content-length" not in headers
        assert headers["x-request-id"] and headers["x-request-id"] != first["x-request-id"]

    def test_a_list_of_tags_and_a_weak_tag_match_too(self, app, article):
        _, first, _ = call(app, detail(article))
        listed = f'"other", W/{first["etag"]}'
        with CaptureQueriesContext(connection) as queries:
            status, _, _ = call(app, detail(article), if_none_match=listed)
        assert status == 304 and len(queries) == 0

    def test_the_proxy_request_id_is_kept(self, app, article):
        _, first, _ = call(app, detail(article))
        _, headers, _ = call(
            app, detail(article), if_none_match=first["etag"], x_request_id="desk-42"
        )
        assert headers["x-request-id"] == "desk-42"

    def test_an_edit_after_commit_makes_django_answer_again(
        self, app, article, django_capture_on_commit_callbacks
    ):
        _, first, _ = call(app, detail(article))
        editor = article.bylines.get().user
        editor.is_superuser = True
        editor.save()
        with django_capture_on_commit_callbacks(execute=True):
            article_update(
                user=editor,
                article_id=article.pk,
                data={"headline": "Une puce revue"},
                expected_versions=[article.version],
            )
        status, headers, body = call(app, detail(article), if_none_match=first["etag"])
        assert status == 200 and b"Une puce revue" in body
        assert headers["etag"] != first["etag"]
        # The new answer is remembered in turn.
        with CaptureQueriesContext(connection) as queries:
            status, _, _ = call(app, detail(article), if_none_match=headers["etag"])
        assert status == 304 and len(queries) == 0

    def test_a_retraction_is_not_hidden_behind_an_old_304(
        self, app, article, django_capture_on_commit_callbacks
    ):
        _, first, _ = call(app, detail(article))
        with django_capture_on_commit_callbacks(execute=True):
            article_retract(article=article, user=None, reason="Erreur de source")
        status, _, _ = call(app, detail(article), if_none_match=first["etag"])
        assert status == 404

    def test_a_change_committed_during_the_request_leaves_nothing_usable(self, app, article):
        # Remembered under the generation read before Django answered: another process's
        # change moves the counter, and that answer is never used.
        _, first, _ = call(app, detail(article))
        revalidation.bump()
        with CaptureQueriesContext(connection) as queries:
            status, _, _ = call(app, detail(article), if_none_match=first["etag"])
        assert status == 304  # Django's own 304: the bytes did not change
        assert len(queries) > 0

    def test_a_change_made_by_another_process_is_heard_within_moments(self, app, article):
        _, first, _ = call(app, detail(article))
        value = another_machine_changes_something()
        assert wait_until(lambda: app.current == value, 2.0)
        with CaptureQueriesContext(connection) as queries:
            status, _, _ = call(app, detail(article), if_none_match=first["etag"])
        assert status == 304 and len(queries) > 0  # Django's own, under the new generation

    def test_a_lost_subscription_sends_everything_to_django_until_it_is_back(self, app, article):
        _, first, _ = call(app, detail(article))
        client = redis.Redis.from_url(REDIS_URL)
        try:
            ours = [c["id"] for c in client.client_list() if c["name"] == app.client_name]
            assert ours, "the subscription is not in Redis' client list"
            for client_id in ours:
                client.client_kill_filter(_id=client_id)
        finally:
            client.close()
        assert wait_until(lambda: app.current is None, 10.0)
        assert not app.entries  # a change may have been missed meanwhile
        with CaptureQueriesContext(connection) as queries:
            status, _, _ = call(app, detail(article), if_none_match=first["etag"])
        assert status == 304 and len(queries) > 0
        # Subscribed again: answers are remembered and used again.
        assert wait_until(lambda: app.current is not None, 10.0)
        call(app, detail(article))
        with CaptureQueriesContext(connection) as queries:
            status, _, _ = call(app, detail(article), if_none_match=first["etag"])
        assert status == 304 and len(queries) == 0

    def test_signed_in_revalidations_go_to_django(self, app, article):
        _, first, _ = call(app, detail(article))
        user = article.bylines.get().user
        _, token = AuthToken.objects.create(user)
        with CaptureQueriesContext(connection) as queries:
            status, headers, _ = call(
                app, detail(article), if_none_match=first["etag"], authorization=f"Token {token}"
            )
        assert len(queries) > 0
        assert headers["cache-control"] == "private, no-store"
        assert status in (200, 304)
        # Nor does a session cookie's request use what an anonymous one left.
        with CaptureQueriesContext(connection) as queries:
            call(app, detail(article), if_none_match=first["etag"], cookie="sessionid=abc")
        assert len(queries) > 0

    def test_another_host_or_query_is_another_answer(self, app, article, settings):
        settings.ALLOWED_HOSTS = ["testserver", "other.example"]
        _, first, _ = call(app, detail(article))
        for path, host in (
            (detail(article), "other.example"),
            (detail(article) + "?language=fr", None),
        ):
            with CaptureQueriesContext(connection) as queries:
                call(app, path, if_none_match=first["etag"], **({"host": host} if host else {}))
            assert len(queries) > 0

    def test_an_answer_expires_after_the_ttl(self, settings, article):
        app = Revalidation(get_wsgi_application(), redis_url=REDIS_URL, ttl=0)
        assert app.wait_ready(5)
        _, first, _ = call(app, detail(article))
        with CaptureQueriesContext(connection) as queries:
            status, _, _ = call(app, detail(article), if_none_match=first["etag"])
        assert status == 304 and len(queries) > 0

    def test_other_preconditions_and_writes_go_to_django(self, app, article):
        _, first, _ = call(app, detail(article))
        with CaptureQueriesContext(connection) as queries:
            call(app, detail(article), if_none_match=first["etag"], if_match=first["etag"])
        assert len(queries) > 0
        status, _, _ = call(app, detail(article), method="DELETE", if_none_match=first["etag"])
        assert status == 401

    def test_a_head_revalidation_gets_its_304(self, app, article):
        _, first, _ = call(app, detail(article))
        status, _, body = call(app, detail(article), method="HEAD", if_none_match=first["etag"])
        assert (status, body) == (304, b"")

    def test_an_error_answer_is_never_remembered(self, app, db):
        status, headers, _ = call(app, "/api/v1/articles/999999/")
        assert status == 404
        assert not app.entries


@pytest.mark.django_db
def test_with_redis_down_django_answers_everything(article):
    app = Revalidation(get_wsgi_application(), redis_url=f"redis://127.0.0.1:{free_port()}/0")
    assert not app.wait_ready(0.5)
    status, first, _ = call(app, detail(article))
    assert status == 200
    with CaptureQueriesContext(connection) as queries:
        status, _, _ = call(app, detail(article), if_none_match=first["etag"])
    assert status == 304 and len(queries) > 0
    assert not app.entries
    app.stop()


def test_if_none_match_uses_the_weak_comparison():
    assert etag_matches('"a"', '"a"')
    assert etag_matches('"a"', 'W/"a"')
    assert etag_matches('"a"', '"b", "a"')
    assert not etag_matches('"a"', '"b"')
    assert not etag_matches('"a"', "*")  # left to Django, which knows whether the resource exists


def test_vary_names_leave_credentials_to_the_anonymous_rule():
    assert vary_names([("Vary", "Authorization, Cookie")]) == ()
    assert vary_names([("Vary", "Accept-Language")]) == ("HTTP_ACCEPT_LANGUAGE",)
    assert vary_names([("Vary", "*")]) is None


def test_the_project_application_is_wrapped_only_with_redis(settings):
    settings.REDIS_URL = ""
    inner = object()
    assert revalidation.wrap(inner) is inner
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.NEWSROOM_REVALIDATION = False
    assert revalidation.wrap(inner) is inner
    settings.NEWSROOM_REVALIDATION = True
    assert isinstance(revalidation.wrap(inner), Revalidation)
