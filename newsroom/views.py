"""JSON error pages for the API; HTML for everything else."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from newsroom.request_id import request_id


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        found = request_id(request)
        return JsonResponse(
            {"detail": "Server error.", **({"request_id": found} if found else {})}, status=500
        )
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's answer to a SuspiciousOperation outside DRF (a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE read by a middleware, a bad Host): JSON with the reason."""
    if _wants_json(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(
                {"detail": "The request body is larger than the API accepts."}, status=413
            )
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)
