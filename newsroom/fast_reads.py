"""The commonest public reads answered before Django's handler: an article, a page of the list.

An anonymous GET of an article (``/api/v1/articles/<id or slug>/``) or of a page of the public
list (``/api/v1/articles/`` with nothing but ``language``, ``page_size`` and ``cursor``) is
answered from the stored documents by the view's own code (``articles.views.public``,
``articles.readmodel``), with one query. Django's handler, URL resolver, DRF's dispatch and the
middleware of the short stack (newsroom.public_handler) cost more than that query: this WSGI
layer calls the view's code itself and adds what that stack adds to such an answer (request
id, Vary, Content-Language, the security and framing headers, Content-Length), logs the
request and counts it in the metrics, like the stack does.

It answers only a plain success. Anything else goes to Django, which has the last word on every
other answer: a 400 or a 404 (with its message in the reader's language), a document to rebuild,
HEAD, a precondition (``If-None-Match``: newsroom.revalidation answers most of those before
this layer), a redirect to HTTPS, a host that ALLOWED_HOSTS refuses, any error. It steps aside
altogether when the short stack is not exactly the one it mirrors (``MIRRORED``: a middleware
added to the settings reaches these reads again), when the URLs use language prefixes, and when
``NEWSROOM_FAST_READS=0``. tests/test_fast_reads.py checks that it gives the same status, bytes
and headers as Django for every kind of request.
"""

import functools
import logging
import time

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_path_info
from django.db import connection
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger("newsroom.fast_reads")

# The short stack this layer stands in for; any other list and it steps aside.
MIRRORED = [
    "newsroom.request_id.RequestIdMiddleware",
    "newsroom.logging.RequestLogMiddleware",
    "newsroom.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.public_handler.AnonymousMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
PREFIX = "/api/v1/articles/"
# The list's parameters this layer reads; any other one (a filter, a search) goes to Django.
LIST_PARAMETERS = {"language", "page_size", "cursor"}
VIEWS = {"article-list", "article-detail"}
# Headers that make an answer someone's own, or conditional: Django decides then.
STEP_ASIDE = (
    "HTTP_AUTHORIZATION",
    "HTTP_COOKIE",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)


class Decline(Exception):
    """This layer does not answer the request: Django does."""


@functools.lru_cache(maxsize=4096)
def route(path: str, urlconf: str) -> tuple[str, str] | None:
    """Where Django's URLs send this path, when it is the article list or an article (not a
    format suffix such as ``.json``): the view's name and the address's id or slug."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    if match.view_name not in VIEWS or "format" in match.kwargs:
        return None
    return match.view_name, match.kwargs.get("id_or_slug", "")


def security_headers(secure: bool) -> tuple[tuple[str, str], ...]:
    """What SecurityMiddleware adds to an answer, from the same settings, in its order."""
    headers = []
    if settings.SECURE_HSTS_SECONDS and secure:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        headers.append(("Strict-Transport-Security", sts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    policy = settings.SECURE_REFERRER_POLICY
    if policy:
        if isinstance(policy, str):
            policy = [value.strip() for value in policy.split(",")]
        headers.append(("Referrer-Policy", ",".join(policy)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return tuple(headers)


def vary() -> str:
    """The answer's Vary: the credentials (http_cache.mark_public), the cookie
    (AnonymousMiddleware) and the language the reader asks for (LocaleMiddleware:
    Content-Language follows it)."""
    from django.http import HttpResponse

    from newsroom.http_cache import VARY_CREDENTIALS

    response = HttpResponse()
    response["Vary"] = VARY_CREDENTIALS
    patch_vary_headers(response, ("Cookie",))
    patch_vary_headers(response, ("Accept-Language",))
    return response["Vary"]


class FastReads:
    """WSGI: the plain public reads of articles answered here, everything else by ``app``."""

    def __init__(self, app):
        self.app = app
        # What does not change from one request to the next, read from the settings once.
        self.security = {secure: security_headers(secure) for secure in (False, True)}
        self.vary = vary()
        self.frame_options = settings.X_FRAME_OPTIONS.upper()
        self.redirect = settings.SECURE_SSL_REDIRECT
        self.urlconf = settings.ROOT_URLCONF

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or not environ.get("PATH_INFO", "").startswith(PREFIX)
            or any(name in environ for name in STEP_ASIDE)
        ):
            return self.app(environ, start_response)
        # The path as Django reads it (a server passes UTF-8 bytes as Latin-1 text).
        found = route(get_path_info(environ), self.urlconf)
        if found is None:
            return self.app(environ, start_response)
        started = time.perf_counter()
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            answered = self.answer(environ, *found, started)
        except Exception as exc:  # noqa: BLE001 - Django answers it, errors included
            if not isinstance(exc, Decline):
                logger.debug("left to Django: %s", exc)
            answered = None
        finally:
            signals.request_finished.send(sender=self.__class__)
        if answered is None:
            return self.app(environ, start_response)
        headers, body = answered
        start_response("200 OK", headers)
        return [body]

    def answer(self, environ, view: str, key: str, started: float):
        from articles.languages import slug_language
        from articles.views import public
        from newsroom.http_cache import last_modified_date, public_cache_control
        from newsroom.logging import log_request, request_id
        from newsroom.metrics import record
        from newsroom.request_id import HEADER, from_header

        request = WSGIRequest(environ)
        secure = request.is_secure()
        if self.redirect and not secure:
            raise Decline  # SecurityMiddleware redirects to HTTPS
        try:
            request.get_host()
        except DisallowedHost:
            raise Decline from None
        rid = from_header(environ.get("HTTP_X_REQUEST_ID"))
        token = request_id.set(rid)
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(count):
                if view == "article-detail":
                    slug_language(request.GET)
                    answer = public.detail_answer(public.live_detail(request, key))
                else:
                    if set(request.GET) - LIST_PARAMETERS:
                        raise Decline
                    answer = public.list_page(request)
            if not isinstance(answer, public.Answer):
                raise Decline  # a document to build first
            language = translation.get_language_from_request(request)
            headers = [
                ("Content-Type", public.JSON),
                ("ETag", answer.etag),
            ]
            if answer.last_modified is not None:
                headers.append(("Last-Modified", last_modified_date(answer.last_modified)))
            headers += [
                ("Cache-Control", public_cache_control()),
                ("Surrogate-Key", answer.keys),
                ("xkey", answer.keys),
                ("Cache-Tag", answer.keys.replace(" ", ",")),
                ("Vary", self.vary),
                ("X-Frame-Options", self.frame_options),
                ("Content-Length", str(len(answer.body))),
                ("Content-Language", language),
                *self.security[secure],
                (HEADER, rid),
            ]
            record(view, "GET", 200, started, queries)
            log_request(
                method="GET",
                path=request.path,
                view=view,
                status=200,
                started=started,
                user_id=None,
            )
            return headers, answer.body
        finally:
            request_id.reset(token)


def mirrors_the_short_stack() -> bool:
    """Whether the answers of this layer are those of the short stack, as configured."""
    from django.conf.urls.i18n import is_language_prefix_patterns_used

    return (
        settings.NEWSROOM_PUBLIC_MIDDLEWARE == MIRRORED
        and not settings.DISALLOWED_USER_AGENTS
        and not settings.PREPEND_WWW
        and is_language_prefix_patterns_used(settings.ROOT_URLCONF) == (False, False)
    )


def wrap(app):
    if not settings.NEWSROOM_FAST_READS or not mirrors_the_short_stack():
        return app
    return FastReads(app)
