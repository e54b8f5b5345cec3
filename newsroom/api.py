"""API-wide plumbing: the exception handler that turns every error into clear JSON, and the one
place where nested errors become paths such as ``claims[2].status``."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from newsroom.params import is_ascii_number
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
    from articles.services.articles import VersionConflict
    from articles.services.errors import WorkflowError

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
    if isinstance(exc, RequestDataTooBig):
        from newsroom.parsers import RequestTooLarge

        exc = RequestTooLarge()
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_django_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = flatten_errors(response.data)
    if response is not None:
        response.data = encodable(response.data)
        if response.status_code >= 500 and isinstance(response.data, dict):
            response.data["request_id"] = request_id(context["request"])
    return response


def encodable(data: Any) -> Any:
    """Error data that the renderer can encode: a message that echoes input UTF-8 cannot
    encode (a lone surrogate, ``"\ud800"``) has it escaped, instead of failing with a 500."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return type(data)(data.encode("utf-8", "backslashreplace").decode("utf-8"))
        return data
    if isinstance(data, dict):
        return {encodable(key): encodable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [encodable(item) for item in data]
    return data


def flatten_errors(detail: Any) -> Any:
    """DRF's nested error structure as {path: [messages]}: ``claims[2].status``.

    A flat error dict comes back unchanged; a bare list (errors without a field) too.
    """
    if not isinstance(detail, dict):
        return detail
    flat: dict[str, list[str]] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, int) or (isinstance(key, str) and is_ascii_number(key)):
                    walk(value, f"{path}[{key}]")
                elif key in ("non_field_errors", NON_FIELD_ERRORS):
                    walk(value, path or "non_field_errors")
                else:
                    walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list | tuple):
            if all(not isinstance(item, dict | list | tuple) for item in node):
                flat.setdefault(path, []).extend(str(item) for item in node)
            else:
                for index, item in enumerate(node):
                    if item:
                        walk(item, f"{path}[{index}]")
        else:
            flat.setdefault(path, []).append(str(node))

    walk(detail, "")
    return flat
