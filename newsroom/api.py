"""API-wide plumbing: the exception handler that turns every error into clear JSON."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from newsroom.request_id import request_id


def _django_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in msgs]
            for field, msgs in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


def exception_handler(exc, context) -> Response | None:
    """DRF's handler, plus the services' errors.

    - WorkflowError (the article's state forbids the step): 409 with the reason;
    - VersionConflict (stale If-Match): 412 with the current version and its ETag;
    - Django's ValidationError (a requirement not met): 400 by field;
    - IntegrityError (a concurrent write took a unique value first): 409.
    Field errors of nested input are flattened into paths such as ``claims[2].status``.
    """
    from articles.services import VersionConflict, WorkflowError
    from articles.writes import flatten_errors

    if isinstance(exc, WorkflowError):
        detail = _django_detail(exc)
        reason = next(iter(m for msgs in detail.values() for m in msgs), "")
        return Response({"detail": reason, **detail}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, VersionConflict):
        return Response(
            {
                "detail": str(exc),
                "current_version": exc.current_version,
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
            headers={"ETag": f'"{exc.current_version}"'},
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The change conflicts with another one saved at the same time; retry."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_django_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = flatten_errors(response.data)
    if response is not None and response.status_code >= 500 and isinstance(response.data, dict):
        response.data["request_id"] = request_id(context["request"])
    return response
