"""JSON error pages for the API; HTML for everything else."""

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
