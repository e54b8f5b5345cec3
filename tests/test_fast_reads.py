"""The plainest public reads answered before Django's handler (newsroom.fast_reads).

Each request is made to the short stack alone and to the fast layer in front of it: both must
give the same status, the same bytes and the same headers (the request id and the date aside),
and the fast layer must have answered exactly the plain successes itself.
"""

import datetime
import logging
import re

import pytest
from django.core.signals import request_finished, request_started
from django.db.models import F
from django.utils import timezone

from articles import readmodel
from articles.models import Article
from articles.services.articles import article_retract
from newsroom import fast_reads, metrics
from newsroom import logging as request_logging
from newsroom.fast_reads import FastReads
from newsroom.public_handler import ShortHandler
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


class Counted:
    """The app behind the fast layer, counting the requests left to it."""

    def __init__(self, app):
        self.app = app
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.app(environ, start_response)


@pytest.fixture
def world():
    entity = EntityFactory(name="Novalys")
    original = PublishedArticleFactory(
        language="fr", slug="novalys-puces", headline="Novalys prépare ses puces"
    )
    MentionFactory(article=original, entity=entity)
    ArticleImageFactory(article=original)
    translation = PublishedArticleFactory(
        language="en",
        slug="novalys-chips",
        headline="Novalys plans its chips",
        translation_of=original,
    )
    # The same slug in two languages: the address needs ?language=.
    twin_fr = PublishedArticleFactory(language="fr", slug="twin")
    twin_en = PublishedArticleFactory(language="en", slug="twin")
    embargoed = PublishedArticleFactory(
        language="fr", embargo_until=timezone.now() + datetime.timedelta(days=1)
    )
    retracted = PublishedArticleFactory(language="fr")
    article_retract(article=retracted, reason="Une erreur de fait.")
    draft = ArticleFactory(language="fr")
    PublishedArticleFactory(language="fr", slug="été-brûlant")
    # Stored documents, as the first read (or the publication) leaves them.
    readmodel.documents_build(article_ids=Article.objects.values_list("pk", flat=True))
    return {
        "entity": entity,
        "original": original,
        "translation": translation,
        "twins": (twin_fr, twin_en),
        "embargoed": embargoed,
        "retracted": retracted,
        "draft": draft,
    }


def comparable(headers: dict) -> dict:
    return {name: value for name, value in headers.items() if name not in PER_REQUEST}


def both(path: str, **headers):
    """The short stack's answer and the fast layer's, and whether the fast layer answered."""
    short = ShortHandler()
    behind = Counted(short)
    fast = FastReads(behind)
    got = call(fast, path, **dict(headers))
    expected = call(short, path, **dict(headers))
    return expected, got, behind.calls == 0


def assert_same(expected, got, path):
    assert got[0] == expected[0], path
    assert got[2] == expected[2], path
    assert comparable(got[1]) == comparable(expected[1]), path


def next_cursor(body: bytes) -> str:
    return re.search(rb"cursor=([^&\"]+)", body).group(1).decode()


def test_the_plain_reads_are_answered_before_django_with_the_same_bytes_and_headers(world):
    original, translation = world["original"], world["translation"]
    first_page = call(ShortHandler(), "/api/v1/articles/?page_size=2")[2]
    cursor = next_cursor(first_page)
    second_page = call(ShortHandler(), f"/api/v1/articles/?page_size=2&cursor={cursor}")[2]
    back = re.findall(rb"cursor=([^&\"]+)", second_page)[-1].decode()
    plain = [
        ("/api/v1/articles/", {}),
        ("/api/v1/articles/", {"accept_language": "fr-FR,fr;q=0.9"}),
        ("/api/v1/articles/", {"accept_language": "de"}),  # not offered: English
        ("/api/v1/articles/?language=fr", {}),
        ("/api/v1/articles/?language=fr-CA&page_size=1", {}),
        ("/api/v1/articles/?page_size=2", {}),
        (f"/api/v1/articles/?page_size=2&cursor={cursor}", {}),
        (f"/api/v1/articles/?page_size=2&cursor={back}", {}),
        (f"/api/v1/articles/{original.pk}/", {}),
        (f"/api/v1/articles/{original.pk}/", {"accept_language": "fr"}),
        (f"/api/v1/articles/{translation.pk}/", {"accept_language": "en-GB"}),
        (f"/api/v1/articles/{original.slug}/", {}),
        (f"/api/v1/articles/{original.slug}/?language=fr", {"accept_language": "fr"}),
        (f"/api/v1/articles/{translation.slug}/?language=EN", {}),
        ("/api/v1/articles/twin/?language=fr", {}),
        (f"/api/v1/articles/{original.pk}/?utm_source=newsletter", {}),
        # A server passes the path's UTF-8 bytes as Latin-1 text (PEP 3333).
        ("/api/v1/articles/" + "été-brûlant".encode().decode("latin-1") + "/", {}),
    ]
    for path, headers in plain:
        expected, got, answered_here = both(path, **headers)
        assert expected[0] == 200, path
        assert_same(expected, got, path)
        assert answered_here, path
    # The translation is named in the original's answer, and the reader's language is in
    # Content-Language (the bytes are the article's whatever the reader's language).
    expected, got, _ = both(f"/api/v1/articles/{original.pk}/", accept_language="fr")
    assert f'"slug":"{translation.slug}"'.encode() in got[2]
    assert got[1]["content-language"] == "fr"
    assert got[1]["vary"] == "Authorization, Cookie, Accept-Language"
    assert f"article-{original.pk}" in got[1]["xkey"].split()


def test_everything_but_a_plain_success_is_left_to_django(world):
    original = world["original"]
    twin_fr, _ = world["twins"]
    left = [
        # Refusals and absences, with their messages in the reader's language.
        ("/api/v1/articles/twin/", {"accept_language": "fr"}),
        ("/api/v1/articles/twin/?language=fr&language=en", {}),
        (f"/api/v1/articles/{original.pk}/?language=klingon-tongue", {}),
        (f"/api/v1/articles/{world['embargoed'].pk}/", {"accept_language": "fr"}),
        (f"/api/v1/articles/{world['retracted'].pk}/", {}),
        (f"/api/v1/articles/{world['draft'].pk}/", {}),
        ("/api/v1/articles/no-such-article/", {}),
        ("/api/v1/articles/99999999999999999999999/", {}),
        ("/api/v1/articles/?page_size=0", {"accept_language": "fr"}),
        ("/api/v1/articles/?page_size=2&page_size=3", {}),
        ("/api/v1/articles/?cursor=not-a-cursor", {}),
        ("/api/v1/articles/?language=", {}),
        # Other lists, other addresses.
        ("/api/v1/articles/?q=puces&language=fr", {}),
        (f"/api/v1/articles/?entity={world['entity'].pk}", {}),
        ("/api/v1/articles/?tag=chips", {}),
        (f"/api/v1/articles/{original.pk}.json", {}),
        (f"/api/v1/articles/{original.pk}/ninjs/", {}),
        (f"/api/v1/articles/{original.pk}/revisions/", {}),
        ("/api/v1/articles", {}),
        ("/api/v1/entities/", {}),
        # Preconditions, credentials, HEAD, a host that is not ours.
        (f"/api/v1/articles/{original.pk}/", {"if_none_match": '"nope"'}),
        (
            f"/api/v1/articles/{original.pk}/",
            {"if_modified_since": "Mon, 01 Jan 2024 00:00:00 GMT"},
        ),
        (f"/api/v1/articles/{original.pk}/", {"cookie": "sessionid=x"}),
        (f"/api/v1/articles/{original.pk}/", {"authorization": "Token nope"}),
        (f"/api/v1/articles/{original.pk}/", {"method": "HEAD"}),
        (f"/api/v1/articles/{twin_fr.pk}/", {"host": "evil.example"}),
    ]
    current = call(ShortHandler(), f"/api/v1/articles/{original.pk}/")[1]["etag"]
    left.append((f"/api/v1/articles/{original.pk}/", {"if_none_match": current}))
    statuses = set()
    for path, headers in left:
        expected, got, answered_here = both(path, **headers)
        assert_same(expected, got, path)
        assert not answered_here, (path, headers)
        statuses.add(expected[0])
    assert {200, 301, 304, 400, 401, 404} <= statuses


def test_a_stale_document_is_rebuilt_by_django_then_served_here(world):
    original = world["original"]
    path = f"/api/v1/articles/{original.pk}/"
    Article.objects.filter(pk=original.pk).update(version=F("version") + 1)
    expected, got, answered_here = both(path)
    assert not answered_here  # left to Django, which rebuilt the document
    assert_same(expected, got, path)
    expected, got, answered_here = both(path)
    assert answered_here
    assert_same(expected, got, path)


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
            "SECURE_HSTS_SECONDS": 31536000,
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
            "SECURE_HSTS_PRELOAD": True,
        },
        {
            "SECURE_REFERRER_POLICY": ["strict-origin", "no-referrer"],
            "SECURE_CROSS_ORIGIN_OPENER_POLICY": None,
            "SECURE_CONTENT_TYPE_NOSNIFF": False,
            "X_FRAME_OPTIONS": "sameorigin",
        },
        {
            "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
            "SECURE_SSL_REDIRECT": True,
        },
    ],
)
def test_the_security_settings_give_the_same_headers(world, settings, overrides):
    for name, value in overrides.items():
        setattr(settings, name, value)
    path = f"/api/v1/articles/{world['original'].pk}/"
    answers = {}
    for proto, plain in (("https", True), ("http", not settings.SECURE_SSL_REDIRECT)):
        expected, got, answered_here = both(path, x_forwarded_proto=proto)
        assert_same(expected, got, (path, proto))
        assert answered_here == plain, (overrides, proto)
        answers[proto] = got[1]
    if settings.SECURE_HSTS_SECONDS:
        hsts = answers["https"]["strict-transport-security"]
        assert hsts == "max-age=31536000; includeSubDomains; preload"
        assert "strict-transport-security" not in answers["http"]
    if settings.SECURE_SSL_REDIRECT:
        assert answers["http"]["location"].startswith("https://")


def test_the_request_id_the_log_line_and_the_metrics_are_those_of_the_stack(world, caplog):
    path = f"/api/v1/articles/{world['original'].pk}/"
    seen_ids = []

    class Listener(logging.Handler):
        def emit(self, record):
            seen_ids.append(request_logging.request_id.get())

    listener = Listener()
    logging.getLogger("newsroom.request").addHandler(listener)

    def counts():
        sample = metrics.REGISTRY.get_sample_value
        labels = {"view": "article-detail", "method": "GET", "status": "200"}
        return (
            sample("newsroom_http_requests_total", labels) or 0,
            sample("newsroom_db_queries_total", {"view": "article-detail"}) or 0,
        )

    before = counts()
    started, finished = [], []

    def on_start(**kwargs):
        started.append(1)

    def on_finish(**kwargs):
        finished.append(1)

    request_started.connect(on_start)
    request_finished.connect(on_finish)
    try:
        with caplog.at_level(logging.INFO, logger="newsroom.request"):
            status, headers, _ = call(FastReads(ShortHandler()), path, x_request_id="desk-42")
    finally:
        logging.getLogger("newsroom.request").removeHandler(listener)
        request_started.disconnect(on_start)
        request_finished.disconnect(on_finish)
    assert status == 200
    assert headers["x-request-id"] == "desk-42"
    assert seen_ids == ["desk-42"]
    [line] = [r for r in caplog.records if r.name == "newsroom.request"]
    assert (line.method, line.path, line.view, line.status) == ("GET", path, "article-detail", 200)
    assert line.user_id is None and line.duration_ms >= 0
    assert counts() == (before[0] + 1, before[1] + 1)
    # Connections are looked after as in any request (close_old_connections listens here).
    assert (started, finished) == ([1], [1])


def test_a_forged_request_id_is_replaced(world):
    status, headers, _ = call(
        FastReads(ShortHandler()), f"/api/v1/articles/{world['original'].pk}/", x_request_id="a\tb"
    )
    assert status == 200
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])


def test_the_layer_is_on_for_the_projects_own_stack_and_steps_aside_otherwise(settings):
    inner = object()
    assert settings.NEWSROOM_PUBLIC_MIDDLEWARE == fast_reads.MIRRORED
    assert isinstance(fast_reads.wrap(inner), FastReads)
    for name, value in (
        ("NEWSROOM_FAST_READS", False),
        ("NEWSROOM_PUBLIC_MIDDLEWARE", [*fast_reads.MIRRORED, "example.Middleware"]),
        ("NEWSROOM_PUBLIC_MIDDLEWARE", []),
        ("PREPEND_WWW", True),
        ("DISALLOWED_USER_AGENTS", [re.compile("bot")]),
    ):
        original = getattr(settings, name)
        setattr(settings, name, value)
        assert fast_reads.wrap(inner) is inner, name
        setattr(settings, name, original)


def test_the_projects_application_answers_the_plain_reads_here(world):
    from newsroom.wsgi import application

    layers = []
    app = application
    while app is not None:
        layers.append(type(app))
        app = getattr(app, "app", None)
    assert FastReads in layers
    status, headers, body = call(application, f"/api/v1/articles/{world['original'].pk}/")
    assert status == 200 and headers["content-type"] == "application/json"
    assert b'"headline":"Novalys pr\xc3\xa9pare ses puces"' in body


def test_an_edit_shows_at_once_in_the_answers_given_here(world):
    original, translation = world["original"], world["translation"]
    path = f"/api/v1/articles/{original.pk}/"
    before = both(path)[1]
    # The translation's headline is read live with the original (no rebuild of its document).
    Article.objects.filter(pk=translation.pk).update(headline="Novalys plans its chips (updated)")
    expected, got, answered_here = both(path)
    assert answered_here
    assert_same(expected, got, path)
    assert b"Novalys plans its chips (updated)" in got[2]
    assert got[1]["etag"] != before[1]["etag"]
