"""Anonymous reads of the public site through a shorter middleware stack.

An anonymous GET of an article, an article page or an entity (no ``Authorization``, no cookie
at all) needs no session, no CSRF check, no messages, no login lockout and no history user:
nothing of those can apply to it. Those middleware cost more than the view that serves the
stored document, so such a request goes to a second Django handler built with
``NEWSROOM_PUBLIC_MIDDLEWARE`` (settings): the same request id, log line, metrics, security
headers, language and URL rules, and an anonymous ``request.user``. Every other request, and any
request that carries a credential or a cookie, goes through ``MIDDLEWARE`` as before.
tests/test_public_handler.py checks that both stacks give the same answers to these requests.
The plainest of them (an article, a page of the list, that succeed) are answered before this
handler, by the views' own code, in newsroom.fast_reads.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject

# What the short stack serves: the public reads of articles (API, formats, pages) and entities.
PREFIXES = ("/api/v1/articles/", "/api/v1/entities/", "/articles/")


class AnonymousMiddleware:
    """The short stack's stand-in for sessions and authentication: nobody is signed in.

    It sits where SessionMiddleware sits in the whole stack and, like it, adds ``Vary: Cookie``
    to an answer that looked at the user, so both stacks send the same headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        looked = False

        def anonymous():
            nonlocal looked
            looked = True
            return AnonymousUser()

        request.user = SimpleLazyObject(anonymous)
        response = self.get_response(request)
        if looked:
            patch_vary_headers(response, ("Cookie",))
        return response


class ShortHandler(WSGIHandler):
    """A Django handler whose middleware is ``NEWSROOM_PUBLIC_MIDDLEWARE``."""

    def load_middleware(self, is_async=False):
        # Django builds the chain from settings.MIDDLEWARE; this handler's list stands in for it
        # while the chain is built (once, when the application loads).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.NEWSROOM_PUBLIC_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class PublicReads:
    """WSGI: anonymous GETs and HEADs of the public reads to the short stack, the rest to Django."""

    def __init__(self, app, short):
        self.app = app
        self.short = short

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in environ
            and "HTTP_COOKIE" not in environ
            and environ.get("PATH_INFO", "").startswith(PREFIXES)
        ):
            return self.short(environ, start_response)
        return self.app(environ, start_response)


def wrap(app):
    if not settings.NEWSROOM_PUBLIC_MIDDLEWARE:
        return app
    return PublicReads(app, ShortHandler())
