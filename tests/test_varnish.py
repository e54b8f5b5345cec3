"""Varnish (Debian's varnish and varnish-modules) with the project's VCL in front of a live
server; a real Celery worker on the real Redis sends the purges. After each change the next
read through Varnish shows the new bytes within 1 s; signed-in reads are never cached."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from knox.models import AuthToken

from articles.services.articles import article_publish, article_retract, article_update
from tests.factories import (
    ArticleFactory,
    EntityFactory,
    MentionFactory,
    PublishedArticleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VCL = PROJECT_ROOT / "deploy" / "varnish" / "default.vcl"
FRESH_WITHIN = 1.0  # seconds, the bound from commit to fresh bytes at the edge


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.02)
    return predicate()


def answers(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def varnish(live_server, tmp_path):
    """varnishd on a free loopback port, the project's VCL pointed at the live server."""
    if shutil.which("varnishd") is None:
        pytest.skip("varnishd is not installed (Debian: varnish varnish-modules; .ci/run does)")
    host, port = live_server.thread.host, live_server.thread.port
    vcl = tmp_path / "default.vcl"
    vcl.write_text(
        VCL.read_text()
        .replace('.host = "web";', f'.host = "{host}";')
        .replace('.port = "8000";', f'.port = "{port}";')
    )
    listen = free_port()
    log = (tmp_path / "varnish.log").open("w")
    process = subprocess.Popen(
        ["varnishd", "-F", "-j", "none", "-n", str(tmp_path / "varnish-work")]
        + ["-a", f"127.0.0.1:{listen}", "-T", "127.0.0.1:0", "-f", str(vcl)]
        + ["-s", "malloc,32m"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_until(lambda: answers(listen), 30), (tmp_path / "varnish.log").read_text()
        yield f"http://127.0.0.1:{listen}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def worker(tmp_path, varnish):
    """A Celery worker on the test database that purges this Varnish."""
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "NEWSROOM_VAR_DIR": str(tmp_path),
        "DJANGO_CONN_MAX_AGE": "0",
        "NEWSROOM_CACHE_PURGER": "varnish",
        "NEWSROOM_VARNISH_URLS": varnish,
    }
    path = tmp_path / "worker.log"
    log = path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool=solo"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_until(lambda: " ready." in path.read_text(), 90), path.read_text()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


@pytest.fixture
def edge(settings, varnish, worker):
    settings.NEWSROOM_CACHE_PURGER = "varnish"
    settings.NEWSROOM_VARNISH_URLS = [varnish]
    return varnish


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def cached(url: str) -> bytes:
    """Read twice: the second answer must come from Varnish's cache."""
    get(url)
    status, headers, body = get(url)
    assert status == 200 and headers["X-Cache"] == "HIT", headers
    return body


def fresh_within(url: str, seconds: float, predicate) -> bool:
    """Whether a read through Varnish satisfies ``predicate`` before the deadline (polling)."""
    return bool(wait_until(lambda: predicate(*get(url)), seconds))


def test_an_edit_shows_through_varnish_within_a_second(edge):
    article = PublishedArticleFactory(headline="Before the edit")
    url = f"{edge}/api/v1/articles/{article.pk}/"
    assert b"Before the edit" in cached(url)
    editor = article.bylines.get().user
    editor.is_superuser = True
    editor.save()
    article_update(
        user=editor,
        article_id=article.pk,
        data={"headline": "After the edit"},
        expected_versions=[article.version],
    )
    assert fresh_within(url, FRESH_WITHIN, lambda status, h, body: b"After the edit" in body)


def test_a_publication_shows_in_the_cached_list_within_a_second(edge):
    PublishedArticleFactory()
    url = f"{edge}/api/v1/articles/"
    cached(url)
    draft = ArticleFactory(headline="Freshly published", authors=[UserFactory()])
    article_publish(article=draft)
    assert fresh_within(url, FRESH_WITHIN, lambda status, h, body: b"Freshly published" in body)


def test_a_retraction_takes_the_cached_article_down_within_a_second(edge):
    article = PublishedArticleFactory()
    url = f"{edge}/api/v1/articles/{article.pk}/"
    cached(url)
    article_retract(article=article, reason="The source withdrew.")
    assert fresh_within(url, FRESH_WITHIN, lambda status, h, body: status == 404)


def test_an_entity_rename_shows_in_the_cached_article_within_a_second(edge, admin_client):
    article = PublishedArticleFactory()
    entity = EntityFactory(name="Old Name Corp")
    MentionFactory(article=article, entity=entity)
    url = f"{edge}/api/v1/articles/{article.pk}/"
    assert b"Old Name Corp" in cached(url)
    response = admin_client.post(
        f"/admin/articles/entity/{entity.pk}/change/",
        {"name": "New Name Corp", "kind": entity.kind, "aliases": "", "wikidata_id": ""}
        | {"description": ""},
    )
    assert response.status_code == 302
    assert fresh_within(url, FRESH_WITHIN, lambda status, h, body: b"New Name Corp" in body)


def test_signed_in_reads_bypass_varnish(edge):
    article = PublishedArticleFactory()
    _, token = AuthToken.objects.create(UserFactory())
    url = f"{edge}/api/v1/articles/{article.pk}/"
    for _ in range(2):
        status, headers, _ = get(url, Authorization=f"Token {token}")
        assert status == 200
        assert headers["X-Cache"] == "MISS"
        assert headers["Cache-Control"] == "private, no-store"
    for _ in range(2):
        status, headers, _ = get(url, Cookie="sessionid=whatever")
        assert headers["X-Cache"] == "MISS"


def test_a_304_from_varnish_needs_no_trip_to_the_server(edge):
    article = PublishedArticleFactory()
    url = f"{edge}/api/v1/articles/{article.pk}/"
    cached(url)
    _, headers, _ = get(url)
    status, again, body = get(url, **{"If-None-Match": headers["ETag"]})
    assert status == 304
    assert body == b""
    assert again["X-Cache"] == "HIT"
