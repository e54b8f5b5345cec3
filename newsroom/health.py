"""Liveness and readiness probes."""

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive. No I/O."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means not ready
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_broker() -> str | None:
    from newsroom.celery import app

    try:
        with app.connection_for_write() as conn:
            # Retry once at once: kombu's default first wait (2 s) would outlast a probe's timeout.
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:  # kombu raises many kinds
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_object_store() -> str | None:
    """The bucket of the media storages answers (only when an S3 store is configured)."""
    from django.core.files.storage import storages

    try:
        for alias in ("originals", "renditions"):
            storage = storages[alias]
            # django-storages' public `connection` and `bucket_name`: one HEAD request.
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    except Exception as exc:  # botocore raises many kinds
        return f"{type(exc).__name__}: {exc}"
    return None


def _uses_object_store() -> bool:
    from django.core.files.storage import storages

    return any(hasattr(storages[alias], "bucket_name") for alias in ("originals", "renditions"))


def readyz(request: HttpRequest) -> JsonResponse:
    """The database, the broker and (when configured) the object store answer; 503 naming the
    one that does not."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    if _uses_object_store():
        checks["object_store"] = _check_object_store()
    failed = {name: error for name, error in checks.items() if error}
    body = {
        "status": "unavailable" if failed else "ok",
        "checks": {name: ("ok" if not error else error) for name, error in checks.items()},
    }
    return JsonResponse(body, status=503 if failed else 200)
