"""Logs as JSON lines when NEWSROOM_LOG_FORMAT=json, readable text otherwise.

Each line of a web process carries the request id (the X-Request-ID header, else a new one),
and the request log line carries the user id, the view, the status and the duration; a line
of a Celery worker carries the task name and id.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import time
import uuid
from collections.abc import Callable

from celery import current_task
from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
logger = logging.getLogger("newsroom.request")

_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := request_id.get():
            line["request_id"] = rid
        if current_task and current_task.request.id:  # inside a Celery task
            line["task"] = current_task.name
            line["task_id"] = current_task.request.id
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class RequestLogMiddleware:
    """Sets the request id and logs one line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The id RequestIdMiddleware (outside this one) kept from the proxy or made.
        rid = getattr(request, "request_id", None) or uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            # The user the request carries: the view (or the public fast path) has already
            # resolved it, and a request with no session or token is anonymous without a query.
            user = getattr(request, "user", None)
            log_request(
                method=request.method,
                path=request.path,
                view=(match.view_name or match.route) if match else "",
                status=response.status_code,
                started=started,
                user_id=user.pk if user is not None and user.is_authenticated else None,
            )
            return response
        finally:
            request_id.reset(token)


def log_request(
    *, method: str, path: str, view: str, status: int, started: float, user_id: int | None
) -> None:
    """The request's log line (newsroom.fast_reads logs the reads it answers with it too)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    logger.info(
        "%s %s %s",
        method,
        path,
        status,
        extra={
            "method": method,
            "path": path,
            "view": view,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": user_id,
        },
    )
