"""Who drops cached copies after a change: Varnish, Fastly or Cloudflare, by surrogate key.

As Wagtail's frontend cache backends (wagtail.contrib.frontend_cache.backends), one class per
service, chosen by ``NEWSROOM_CACHE_PURGER``. Each call is safe to repeat: purging a key twice
drops nothing more. A refused or failed purge raises PurgeError (the task retries it).

- Varnish: ``PURGE /`` with an ``xkey`` header to each of ``NEWSROOM_VARNISH_URLS``, answered by
  the project's VCL (deploy/varnish/default.vcl) with the xkey vmod (Debian: varnish-modules).
  https://github.com/varnish/varnish-modules/blob/master/src/vmod_xkey.vcc
- Fastly: purge by surrogate key, up to 256 keys a request.
  https://www.fastly.com/documentation/reference/api/purging/#bulk-purge-tag
- Cloudflare: purge by cache tag (the ``Cache-Tag`` header), up to 30 tags a request.
  https://developers.cloudflare.com/api/resources/cache/methods/purge/
"""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class PurgeError(OSError):
    """The cache refused the purge or could not be reached."""


def batches(keys: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield list(keys[start : start + size])


def send(method: str, url: str, *, headers: dict[str, str], body: bytes | None = None) -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.NEWSROOM_CACHE_PURGE_TIMEOUT) as r:
            return r.read()
    except urllib.error.HTTPError as exc:
        raise PurgeError(f"{method} {url}: HTTP {exc.code} {exc.read()[:200]!r}") from exc
    except OSError as exc:
        raise PurgeError(f"{method} {url}: {exc}") from exc


class VarnishPurger:
    # Varnish reads request headers up to 8 KB by default (http_req_hdr_len).
    batch_size = 200

    def __init__(self, urls: Sequence[str]):
        if not urls:
            raise ImproperlyConfigured("NEWSROOM_VARNISH_URLS names no Varnish to purge.")
        self.urls = [url.rstrip("/") for url in urls]

    def purge(self, keys: Sequence[str]) -> None:
        for batch in batches(keys, self.batch_size):
            for url in self.urls:
                send("PURGE", f"{url}/", headers={"xkey": " ".join(batch)})


class FastlyPurger:
    batch_size = 256

    def __init__(self, *, api_url: str, service_id: str, token: str, soft: bool = False):
        if not (service_id and token):
            raise ImproperlyConfigured(
                "Set NEWSROOM_FASTLY_SERVICE_ID and NEWSROOM_FASTLY_API_TOKEN to purge Fastly."
            )
        self.url = f"{api_url.rstrip('/')}/service/{service_id}/purge"
        self.token, self.soft = token, soft

    def purge(self, keys: Sequence[str]) -> None:
        headers = {
            "Fastly-Key": self.token,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        if self.soft:
            headers["Fastly-Soft-Purge"] = "1"
        for batch in batches(keys, self.batch_size):
            body = json.dumps({"surrogate_keys": batch}).encode()
            send("POST", self.url, headers=headers, body=body)


class CloudflarePurger:
    batch_size = 30

    def __init__(self, *, api_url: str, zone_id: str, token: str):
        if not (zone_id and token):
            raise ImproperlyConfigured(
                "Set NEWSROOM_CLOUDFLARE_ZONE_ID and NEWSROOM_CLOUDFLARE_API_TOKEN to purge "
                "Cloudflare."
            )
        self.url = f"{api_url.rstrip('/')}/zones/{zone_id}/purge_cache"
        self.token = token

    def purge(self, keys: Sequence[str]) -> None:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        for batch in batches(keys, self.batch_size):
            answer = send(
                "POST", self.url, headers=headers, body=json.dumps({"tags": batch}).encode()
            )
            try:
                success = json.loads(answer or b"{}").get("success", False)
            except ValueError:
                success = False
            if not success:
                raise PurgeError(f"POST {self.url}: Cloudflare did not confirm: {answer[:200]!r}")


def configured_purger():
    """The purger the settings choose, or None (``none``, the default)."""
    name = settings.NEWSROOM_CACHE_PURGER
    if name in ("", "none"):
        return None
    if name == "varnish":
        return VarnishPurger(settings.NEWSROOM_VARNISH_URLS)
    if name == "fastly":
        return FastlyPurger(
            api_url=settings.NEWSROOM_FASTLY_API_URL,
            service_id=settings.NEWSROOM_FASTLY_SERVICE_ID,
            token=settings.NEWSROOM_FASTLY_API_TOKEN,
            soft=settings.NEWSROOM_FASTLY_SOFT_PURGE,
        )
    if name == "cloudflare":
        return CloudflarePurger(
            api_url=settings.NEWSROOM_CLOUDFLARE_API_URL,
            zone_id=settings.NEWSROOM_CLOUDFLARE_ZONE_ID,
            token=settings.NEWSROOM_CLOUDFLARE_API_TOKEN,
        )
    raise ImproperlyConfigured(
        f"NEWSROOM_CACHE_PURGER={name!r}: choose none, varnish, fastly or cloudflare."
    )


def cache_purge(*, keys: Sequence[str]) -> int:
    """Purge these surrogate keys with the configured purger; returns how many were sent."""
    purger = configured_purger()
    if purger is None or not keys:
        return 0
    purger.purge(list(keys))
    logger.info("purged %d surrogate keys", len(keys))
    return len(keys)
