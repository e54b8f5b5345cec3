"""Revalidations of public reads answered before Django: a 304 for the ETag a cache already holds.

A CDN or a browser that holds a copy asks again with ``If-None-Match``; most of the time nothing
changed, and the answer is a 304 with no body. Django answers it right (newsroom.http_cache), but
through every middleware, the URL resolver and a database lookup. This WSGI layer, outside
Django, remembers for each public URL the validators and headers of its last public answer, and
answers a revalidation that names that very ETag itself, in microseconds.

When is the remembered ETag still the one Django would give?

- Every change that alters public bytes goes through ``articles.purge.purge_on_commit`` (the
  purge of the CDN's copies), which, after commit, increments one counter in Redis, the
  *generation*, and publishes its new value on a channel. Each process subscribes to that
  channel (a thread, started in each worker after the fork), so it knows the generation without
  a round trip per request, within a millisecond or so of the commit, on every machine. An
  answer is remembered with the generation known before Django made it, and used only while it
  has not moved: a change that commits during a request leaves that answer under an old
  generation, never used. The process that commits a change stops using its own answers at once.
- Bytes that change by the clock alone (an embargo that lifts, a publication time reached) are
  purged by the sweep; until then an answer is used for ``NEWSROOM_REVALIDATION_TTL`` seconds at
  most (1 by default) and Django is asked again.
- Only anonymous requests (no ``Authorization``, no session cookie) are answered or remembered,
  only answers marked ``public`` with an ETag, and only for the same scheme, host, path, query
  and values of the request headers the answer's ``Vary`` names.
- Redis unreachable, or the subscription lost: everything goes to Django (until subscribed
  again, ``RETRY_AFTER`` seconds later), and the process forgets what it remembered, since it
  may have missed a change.

It is on when ``REDIS_URL`` is set (``NEWSROOM_REVALIDATION=0`` turns it off).
https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2 (If-None-Match),
https://www.rfc-editor.org/rfc/rfc9110#section-15.4.5 (304 Not Modified)
"""

import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from newsroom.request_id import HEADER as REQUEST_ID
from newsroom.request_id import from_header as request_id_from

logger = logging.getLogger("newsroom.revalidation")

GENERATION_KEY = "newsroom:public-generation"
CHANNEL = "newsroom:public-changes"
# How long Redis may take to connect, how long the subscription may stay silent before it is
# checked (redis-py PINGs it), and how long to wait before trying again once it failed.
REDIS_TIMEOUT = 0.5
PUBSUB_TIMEOUT = 5.0
HEALTH_CHECK = 2
RETRY_AFTER = 2.0
# Increments the counter and tells every process, in one step: each change has its own value.
BUMP = """
local value = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], value)
return value
"""
# Headers of a 200 a 304 does not repeat (RFC 9110 section 15.4.5), and the per-request ones.
NOT_REPEATED = frozenset(
    {"content-length", "content-type", "content-encoding", "set-cookie", REQUEST_ID.lower()}
)
# Request headers that stand for a signed-in or conditional request this layer leaves to Django.
PRECONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
CREDENTIAL_VARY = frozenset({"authorization", "cookie"})
# This process's layers, told of its own changes at once (the others hear them from Redis).
_instances: "weakref.WeakSet[Revalidation]" = weakref.WeakSet()


@dataclass(frozen=True, slots=True)
class Remembered:
    etag: str
    headers: tuple[tuple[str, str], ...]
    # The WSGI names of the request headers the answer varies on, and their values then.
    vary: tuple[tuple[str, str | None], ...]
    generation: bytes
    expires: float


def etag_matches(etag: str, if_none_match: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110 section 13.1.2) with one remembered ETag."""
    if if_none_match == etag:
        return True
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


def vary_names(headers: list[tuple[str, str]]) -> tuple[str, ...] | None:
    """The WSGI names of the request headers an answer varies on; None for ``Vary: *``."""
    names = []
    for name, value in headers:
        if name.lower() != "vary":
            continue
        for field in value.split(","):
            field = field.strip().lower()
            if field == "*":
                return None
            if field and field not in CREDENTIAL_VARY:
                names.append("HTTP_" + field.upper().replace("-", "_"))
    return tuple(names)


class Revalidation:
    """WSGI middleware: answers matching revalidations of public reads, remembers the others."""

    def __init__(
        self,
        app,
        *,
        redis_url: str,
        ttl: float = 1.0,
        session_cookie: str = "sessionid",
        max_entries: int = 10_000,
    ):
        self.app = app
        self.redis_url = redis_url
        self.ttl = ttl
        self.session_cookie = session_cookie + "="
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple, Remembered] = OrderedDict()
        self.lock = threading.Lock()
        # The counter as this process last heard it; None while not subscribed.
        self.current: bytes | None = None
        self.pid: int | None = None
        self.stopped = threading.Event()
        self.subscribed = threading.Event()
        _instances.add(self)

    # The generation: one subscription per process, no round trip per request.

    def start(self) -> None:
        """Listen to the changes from this process (after a fork, again in the child)."""
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid = os.getpid()
            self.current = None
            self.entries.clear()
            self.subscribed.clear()
            threading.Thread(target=self.listen, name="revalidation", daemon=True).start()

    def wait_ready(self, timeout: float) -> bool:
        self.start()
        return self.subscribed.wait(timeout)

    def stop(self) -> None:
        self.stopped.set()

    @property
    def client_name(self) -> str:
        """How the subscription shows in Redis' CLIENT LIST."""
        return f"newsroom-revalidation-{self.pid}-{id(self):x}"

    def listen(self) -> None:
        import redis

        pid = self.pid
        while not self.stopped.is_set() and self.pid == pid:
            client = redis.Redis.from_url(
                self.redis_url,
                socket_timeout=PUBSUB_TIMEOUT,
                socket_connect_timeout=REDIS_TIMEOUT,
                health_check_interval=HEALTH_CHECK,
                client_name=self.client_name,
            )
            try:
                pubsub = client.pubsub()
                pubsub.subscribe(CHANNEL)
                # Subscribed first, then read the counter: no change can fall in between.
                confirmed = pubsub.get_message(timeout=PUBSUB_TIMEOUT)
                if not confirmed or confirmed["type"] != "subscribe":
                    raise ConnectionError("no subscription confirmed")
                self.heard(client.get(GENERATION_KEY) or b"")
                self.subscribed.set()
                while not self.stopped.is_set() and self.pid == pid:
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None and message["type"] == "message":
                        self.heard(message["data"])
            except Exception:  # noqa: BLE001 - any failure of Redis means: ask Django
                logger.warning("Redis did not answer; revalidations go to Django for a while")
                self.subscribed.clear()
                with self.lock:
                    self.current = None
                    self.entries.clear()
                self.stopped.wait(RETRY_AFTER)
            finally:
                client.close()

    def heard(self, generation: bytes) -> None:
        self.current = generation

    def generation(self) -> bytes | None:
        """The counter as last heard (b"" before the first change), None when not listening."""
        if self.pid != os.getpid():
            self.start()
        return self.current

    def anonymous(self, environ) -> bool:
        if "HTTP_AUTHORIZATION" in environ:
            return False
        return self.session_cookie not in environ.get("HTTP_COOKIE", "")

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not self.anonymous(environ):
            return self.app(environ, start_response)
        generation = self.generation()
        if generation is None:
            return self.app(environ, start_response)
        key = (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_X_FORWARDED_PROTO"),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
        )
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and not any(name in environ for name in PRECONDITIONS):
            with self.lock:
                entry = self.entries.get(key)
            if (
                entry is not None
                and entry.generation == generation
                and time.monotonic() < entry.expires
                and all(environ.get(name) == value for name, value in entry.vary)
                and etag_matches(entry.etag, if_none_match)
            ):
                rid = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
                start_response("304 Not Modified", [*entry.headers, (REQUEST_ID, rid)])
                return []

        def remember(status, headers, exc_info=None):
            if status[:3] in ("200", "304"):
                self.remember(key, environ, generation, headers)
            else:
                self.forget(key)
            return start_response(status, headers, exc_info)

        return self.app(environ, remember)

    def remember(self, key, environ, generation: bytes, headers) -> None:
        etag = cache_control = None
        kept = []
        for name, value in headers:
            lowered = name.lower()
            if lowered == "etag":
                etag = value
            elif lowered == "cache-control":
                cache_control = value
            elif lowered == "set-cookie":
                self.forget(key)  # an answer that sets a cookie is somebody's own
                return
            if lowered not in NOT_REPEATED:
                kept.append((name, value))
        if etag is None or etag.startswith("W/") or not (cache_control or "").startswith("public"):
            self.forget(key)
            return
        names = vary_names(headers)
        if names is None:
            self.forget(key)
            return
        entry = Remembered(
            etag=etag,
            headers=tuple(kept),
            vary=tuple((name, environ.get(name)) for name in names),
            generation=generation,
            expires=time.monotonic() + self.ttl,
        )
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def forget(self, key) -> None:
        with self.lock:
            self.entries.pop(key, None)


_client = None


def bump() -> None:
    """Public bytes changed (called after commit): no remembered answer is used any more."""
    global _client
    from django.conf import settings

    if not enabled():
        return
    import redis

    try:
        if _client is None:
            _client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=1.0, socket_connect_timeout=1.0
            )
        value = str(_client.eval(BUMP, 1, GENERATION_KEY, CHANNEL)).encode()
    except Exception:  # noqa: BLE001 - the answers then expire by NEWSROOM_REVALIDATION_TTL
        logger.exception("could not record a public change in Redis")
        value = None
    # This process's own layers stop at once, whatever Redis said.
    for instance in list(_instances):
        with instance.lock:
            instance.entries.clear()
        if value is not None and instance.current is not None:
            instance.heard(value)


def enabled() -> bool:
    from django.conf import settings

    return bool(settings.NEWSROOM_REVALIDATION and settings.REDIS_URL)


def wrap(app):
    """The WSGI application with revalidations answered in front of it, when enabled."""
    from django.conf import settings

    if not enabled():
        return app
    return Revalidation(
        app,
        redis_url=settings.REDIS_URL,
        ttl=settings.NEWSROOM_REVALIDATION_TTL,
        session_cookie=settings.SESSION_COOKIE_NAME,
    )
