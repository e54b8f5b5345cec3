"""One id per request, to find a failed request in the logs from what the client saw.

The reverse proxy's ``X-Request-ID`` is kept when it is printable ASCII of at most 200
characters (anything else could forge log lines or bloat them), else a uuid4 hex is made. The
id goes back in the ``X-Request-ID`` response header and into the JSON body of a 500, and every
5xx is logged on ``newsroom.errors`` with the method, path and id.
"""

import logging
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.encoding import escape_uri_path

HEADER = "X-Request-ID"
MAX_LENGTH = 200

logger = logging.getLogger("newsroom.errors")


def valid_request_id(value: str | None) -> bool:
    return bool(value) and len(value) <= MAX_LENGTH and all(" " <= ch <= "~" for ch in value)


def from_header(supplied: str | None) -> str:
    """The proxy's id when it is a valid one, else a new one."""
    return supplied if valid_request_id(supplied) else uuid.uuid4().hex


def request_id(request: HttpRequest) -> str | None:
    """The id of this request, for error bodies (None outside the middleware)."""
    return getattr(request, "request_id", None)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = from_header(request.META.get("HTTP_X_REQUEST_ID"))
        response = self.get_response(request)
        response[HEADER] = request.request_id
        if response.status_code >= 500:
            logger.error(
                "%s %s answered %s (request id %s)",
                request.method,
                escape_uri_path(request.path),  # no raw newline can forge a log line
                response.status_code,
                request.request_id,
                extra={"request_id": request.request_id, "status_code": response.status_code},
            )
        return response
