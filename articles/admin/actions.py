"""The loop every bulk action of the desk's admin runs: one service call per selected row, a
clear error message per refused row, one success message for the rest."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError


def refusal_text(exc: PermissionDenied | ValidationError) -> str:
    """The messages of a refusal, on one line."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
        return "; ".join(exc.messages)
    return str(exc)


def run_bulk_action(
    modeladmin: admin.ModelAdmin,
    request,
    rows: Iterable[Any],
    action: Callable[[Any], object],
    done_message: Callable[[int], str],
    *,
    label: Callable[[Any], str] = str,
) -> int:
    """Call ``action(row)`` for each row; a refusal (PermissionDenied, ValidationError) becomes
    an error message naming the row (``label(row)``). Returns how many went through."""
    done = 0
    for row in rows:
        try:
            action(row)
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(
                request, f"{label(row)}: {refusal_text(exc)}", level=messages.ERROR
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), level=messages.SUCCESS)
    return done
