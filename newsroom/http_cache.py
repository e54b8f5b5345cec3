"""HTTP caching of the public reads: validators, conditional answers, Cache-Control, surrogate keys.

A public read carries a strong ETag (a digest of its bytes, or of the stored parts they are made
of), a Last-Modified, the Cache-Control of the settings, and the surrogate keys that name what it
shows, so a purge after a change (articles.purge, newsroom.purgers) drops exactly the copies that
show it. A signed-in reader's answer is ``private, no-store`` (PrivateReadsMiddleware).
https://www.rfc-editor.org/rfc/rfc9110#section-13 (conditional requests),
https://www.rfc-editor.org/rfc/rfc9111 (caching)
"""

import datetime
import functools
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date

PRIVATE = "private, no-store"
# The public bytes differ for a signed-in desk member (editorial fields, other articles): a shared
# cache must not hand a member the anonymous copy, nor the reverse.
VARY_CREDENTIALS = "Authorization, Cookie"
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def digest(data: str | bytes) -> str:
    """A short digest of exact bytes (BLAKE2b, 128 bits): the basis of a strong ETag."""
    if isinstance(data, str):
        data = data.encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def strong_etag(*parts: str) -> str:
    """A strong ETag from one digest, or from the digests of the parts the bytes are made of."""
    if len(parts) == 1:
        return f'"{parts[0]}"'
    return f'"{digest(chr(0).join(parts))}"'


@functools.cache
def _cache_control(max_age: int, s_maxage: int, revalidate: int, if_error: int) -> str:
    return (
        f"public, max-age={max_age}, s-maxage={s_maxage}, "
        f"stale-while-revalidate={revalidate}, stale-if-error={if_error}"
    )


def public_cache_control() -> str:
    return _cache_control(
        settings.NEWSROOM_CACHE_MAX_AGE,
        settings.NEWSROOM_CACHE_S_MAXAGE,
        settings.NEWSROOM_CACHE_STALE_WHILE_REVALIDATE,
        settings.NEWSROOM_CACHE_STALE_IF_ERROR,
    )


def timestamp(moment: datetime.datetime | str | int | None) -> int | None:
    """Whole seconds since the epoch, as Last-Modified has them (SQLite gives text in UTC; an
    integer is already whole seconds)."""
    if moment is None or isinstance(moment, int):
        return moment
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return int(moment.timestamp())


def conditional_answer(
    request: HttpRequest, *, etag: str, last_modified: int | None
) -> HttpResponse | None:
    """The 304 (or 412) that the request's preconditions call for, else None.

    Django's own evaluation (RFC 9110 section 13.2.2: If-None-Match wins over
    If-Modified-Since); skipped outright when the request has no precondition, the usual case.
    """
    meta = request.META
    if not any(name in meta for name in CONDITIONAL_HEADERS):
        return None
    # A revalidation by a cache that holds this very copy (If-None-Match: exactly the ETag, on
    # a GET or HEAD, nothing else asked): its 304 without parsing the header's list syntax.
    if (
        meta.get("HTTP_IF_NONE_MATCH") == etag
        and "HTTP_IF_MATCH" not in meta
        and "HTTP_IF_UNMODIFIED_SINCE" not in meta
        and request.method in ("GET", "HEAD")
    ):
        return HttpResponseNotModified()
    return get_conditional_response(request, etag=etag, last_modified=last_modified)


@functools.lru_cache(maxsize=4096)
def last_modified_date(moment: int) -> str:
    """The HTTP date of a Last-Modified: the same few values come back on every read."""
    return http_date(moment)


def surrogate_keys(keys: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(keys))


def mark_public(
    response: HttpResponse,
    *,
    etag: str,
    last_modified: int | None,
    keys: str,
    vary: str | None = VARY_CREDENTIALS,
) -> HttpResponse:
    """Headers of a public read (a 200 or its 304): validators, freshness, what it shows.

    ``Surrogate-Key`` is read by Fastly (and stripped there), ``xkey`` by Varnish's xkey vmod;
    Cloudflare reads ``Cache-Tag`` (comma-separated).
    """
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = last_modified_date(last_modified)
    response["Cache-Control"] = public_cache_control()
    response["Surrogate-Key"] = keys
    response["xkey"] = keys
    response["Cache-Tag"] = keys.replace(" ", ",")
    if vary:
        response["Vary"] = vary
    return response


def public_json(
    request: HttpRequest, data, *, keys: str, last_modified: int | None, vary: str | None = None
) -> HttpResponse:
    """A public read built through DRF (entities): its bytes, their digest as the ETag, and a
    304 when If-None-Match matches. If-Modified-Since is not evaluated: a page can lose a row
    (an article retracted) without anything it still shows changing."""
    from rest_framework.renderers import JSONRenderer

    body = JSONRenderer().render(data)
    etag = strong_etag(digest(body))
    response = conditional_answer(request, etag=etag, last_modified=None)
    if response is None:
        response = HttpResponse(body, content_type="application/json")
    elif response.status_code != 304:
        return response
    return mark_public(response, etag=etag, last_modified=last_modified, keys=keys, vary=vary)


def is_signed_in(request: HttpRequest) -> bool:
    """A token or a signed-in session (the session is read only when its cookie is there)."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    if user is None:
        return False
    # Django's lazy user reads the session: only worth it when a session cookie came.
    if isinstance(user, SimpleLazyObject) and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return user.is_authenticated


class PrivateReadsMiddleware:
    """Whatever a signed-in member reads is ``private, no-store``: no shared cache keeps it,
    nor the browser (a desk page may show embargoed work), and it names no surrogate keys."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        meta = request.META
        # The anonymous reader (no token, no cookie at all, the user still Django's lazy one
        # that nothing signed in): nothing to look at.
        if (
            "HTTP_AUTHORIZATION" not in meta
            and "HTTP_COOKIE" not in meta
            and type(getattr(request, "user", None)) is SimpleLazyObject
        ):
            return response
        if is_signed_in(request):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = PRIVATE
            for header in ("Surrogate-Key", "xkey", "Cache-Tag"):
                if header in response:
                    del response[header]
        return response
