"""The baseline of the benchmark: a minimal Django view that returns recorded bytes.

It answers each recorded path (with its query string) with exactly the bytes and content type
the real app returned for it, so both servers send the same payloads over the same HTTP stack
(gunicorn, WSGI, Django's request/response cycle) and the ratio measures only the app's own work:
middleware, routing, DRF, queries and serialisation.

Run under gunicorn with BENCH_RESPONSES pointing at a JSON file
`{"/path?query": {"content_type": "...", "body_b64": "..."}}` written by bench/articles.py.
"""

import base64
import json
import os

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-minimal-view-not-secret",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_I18N=False,
    USE_TZ=True,
    DATABASES={},
)

import django  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound  # noqa: E402
from django.urls import re_path  # noqa: E402


def _load(path: str) -> dict[str, tuple[bytes, str]]:
    with open(path, encoding="utf-8") as handle:
        recorded = json.load(handle)
    return {
        key: (base64.b64decode(item["body_b64"]), item["content_type"])
        for key, item in recorded.items()
    }


RESPONSES = _load(os.environ["BENCH_RESPONSES"])


def recorded(request: HttpRequest) -> HttpResponse:
    found = RESPONSES.get(request.get_full_path())
    if found is None:
        return HttpResponseNotFound(b"not recorded", content_type="text/plain")
    body, content_type = found
    return HttpResponse(body, content_type=content_type)


urlpatterns = [re_path(r"", recorded)]

django.setup()
application = get_wsgi_application()
