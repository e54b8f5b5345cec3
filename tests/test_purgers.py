"""The purgers' HTTP calls, against a recording server on 127.0.0.1 (newsroom.purgers)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from articles.tasks import cache_purge
from newsroom.purgers import PurgeError, configured_purger


class Recorder(BaseHTTPRequestHandler):
    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.calls.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            }
        )
        status, answer = self.server.answer
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = do_PURGE = do_GET = handle_any

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.calls = []
    server.answer = (200, {"status": "ok", "success": True})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_no_purger_is_configured_by_default(settings):
    assert settings.NEWSROOM_CACHE_PURGER == "none"
    assert configured_purger() is None
    assert cache_purge(["article-1"]) == 0


def test_an_unknown_purger_is_refused_with_the_choices(settings):
    settings.NEWSROOM_CACHE_PURGER = "akamai"
    with pytest.raises(ImproperlyConfigured, match="none, varnish, fastly or cloudflare"):
        configured_purger()


def test_varnish_gets_a_purge_with_the_keys_in_an_xkey_header(settings, recorder):
    settings.NEWSROOM_CACHE_PURGER = "varnish"
    settings.NEWSROOM_VARNISH_URLS = [recorder.url]
    assert cache_purge(["article-1", "articles"]) == 2
    [call] = recorder.calls
    assert call["method"] == "PURGE"
    assert call["path"] == "/"
    assert call["headers"]["xkey"] == "article-1 articles"


def test_fastly_gets_a_bulk_purge_by_surrogate_key(settings, recorder):
    settings.NEWSROOM_CACHE_PURGER = "fastly"
    settings.NEWSROOM_FASTLY_API_URL = recorder.url
    settings.NEWSROOM_FASTLY_SERVICE_ID = "SU1Z0isxPaozGVKXdv0eY"
    settings.NEWSROOM_FASTLY_API_TOKEN = "fastly-secret"
    keys = [f"article-{n}" for n in range(300)]
    assert cache_purge(keys) == 300
    first, second = recorder.calls
    assert first["method"] == "POST"
    assert first["path"] == "/service/SU1Z0isxPaozGVKXdv0eY/purge"
    assert first["headers"]["fastly-key"] == "fastly-secret"
    assert first["headers"]["content-type"] == "application/json"
    assert "fastly-soft-purge" not in first["headers"]
    assert json.loads(first["body"]) == {"surrogate_keys": keys[:256]}
    assert json.loads(second["body"]) == {"surrogate_keys": keys[256:]}


def test_fastly_soft_purges_when_asked(settings, recorder):
    settings.NEWSROOM_CACHE_PURGER = "fastly"
    settings.NEWSROOM_FASTLY_API_URL = recorder.url
    settings.NEWSROOM_FASTLY_SERVICE_ID = "svc"
    settings.NEWSROOM_FASTLY_API_TOKEN = "t"
    settings.NEWSROOM_FASTLY_SOFT_PURGE = True
    cache_purge(["article-1"])
    assert recorder.calls[0]["headers"]["fastly-soft-purge"] == "1"


def test_cloudflare_gets_purges_by_tag_thirty_at_a_time(settings, recorder):
    settings.NEWSROOM_CACHE_PURGER = "cloudflare"
    settings.NEWSROOM_CLOUDFLARE_API_URL = recorder.url + "/client/v4"
    settings.NEWSROOM_CLOUDFLARE_ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
    settings.NEWSROOM_CLOUDFLARE_API_TOKEN = "cf-secret"
    keys = [f"article-{n}" for n in range(31)]
    cache_purge(keys)
    first, second = recorder.calls
    assert first["method"] == "POST"
    assert first["path"] == "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache"
    assert first["headers"]["authorization"] == "Bearer cf-secret"
    assert json.loads(first["body"]) == {"tags": keys[:30]}
    assert json.loads(second["body"]) == {"tags": keys[30:]}


def test_cloudflare_without_success_is_an_error(settings, recorder):
    settings.NEWSROOM_CACHE_PURGER = "cloudflare"
    settings.NEWSROOM_CLOUDFLARE_API_URL = recorder.url
    settings.NEWSROOM_CLOUDFLARE_ZONE_ID = "z"
    settings.NEWSROOM_CLOUDFLARE_API_TOKEN = "t"
    recorder.answer = (200, {"success": False, "errors": [{"code": 1134}]})
    with pytest.raises(PurgeError, match="did not confirm"):
        cache_purge(["article-1"])


def test_a_refused_purge_raises_so_the_task_retries(settings, recorder):
    settings.NEWSROOM_CACHE_PURGER = "fastly"
    settings.NEWSROOM_FASTLY_API_URL = recorder.url
    settings.NEWSROOM_FASTLY_SERVICE_ID = "svc"
    settings.NEWSROOM_FASTLY_API_TOKEN = "wrong"
    recorder.answer = (401, {"msg": "Provided credentials are missing or invalid"})
    with pytest.raises(PurgeError, match="HTTP 401"):
        cache_purge(["article-1"])
    assert OSError in cache_purge.autoretry_for


def test_a_purge_sent_twice_asks_the_same_twice(settings, recorder):
    settings.NEWSROOM_CACHE_PURGER = "varnish"
    settings.NEWSROOM_VARNISH_URLS = [recorder.url]
    cache_purge(["article-7"])
    cache_purge(["article-7"])
    assert [c["headers"]["xkey"] for c in recorder.calls] == ["article-7", "article-7"]


def test_fastly_without_credentials_is_a_configuration_error(settings):
    settings.NEWSROOM_CACHE_PURGER = "fastly"
    settings.NEWSROOM_FASTLY_SERVICE_ID = ""
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_FASTLY_SERVICE_ID"):
        configured_purger()
