"""Reading numbers and single values from URLs, query strings and headers.

``str.isdigit()`` accepts digits that ``int()`` refuses (``²``, ``①``) and ``int()`` accepts
digits of every script (``٣``); an id or a count here is ASCII digits only.

A query parameter the schema describes as one value is given once and not empty: ``?limit=``
or ``?status=a&status=b`` is a 400 naming the parameter, not a value silently dropped.
"""

import re

from django.utils.translation import gettext as _

_DIGITS = re.compile(r"[0-9]+")

# The largest value of a database bigint; a larger id cannot exist.
MAX_ID = 2**63 - 1


def ascii_int(raw: str | None) -> int | None:
    """The whole number ``raw`` spells in ASCII digits, or None."""
    if raw is None or not _DIGITS.fullmatch(raw):
        return None
    return int(raw)


def is_ascii_number(raw: str) -> bool:
    return _DIGITS.fullmatch(raw) is not None


def single_value_error(query_params, name: str) -> str | None:
    """Why the parameter ``name`` is not one non-empty value, or None (also when absent)."""
    values = query_params.getlist(name)
    if len(values) > 1:
        return _("Give this parameter once.")
    if values and values[0] == "":
        return _("Give a value, or leave the parameter out.")
    return None


def single_value(query_params, name: str) -> str | None:
    """The one value of ``name`` (None when absent); a 400 naming it when empty or repeated."""
    from rest_framework.exceptions import ValidationError

    error = single_value_error(query_params, name)
    if error:
        raise ValidationError({name: [error]})
    return query_params.get(name)


def whole_number(query_params, name: str, *, minimum: int, maximum: int) -> int | None:
    """The parameter ``name`` as a whole number from ``minimum`` to ``maximum`` (None when
    absent); a 400 naming it otherwise."""
    from rest_framework.exceptions import ValidationError

    raw = single_value(query_params, name)
    if raw is None:
        return None
    value = ascii_int(raw)
    if value is None or not minimum <= value <= maximum:
        raise ValidationError(
            {
                name: [
                    _("Must be a whole number from %(minimum)d to %(maximum)d.")
                    % {"minimum": minimum, "maximum": maximum}
                ]
            }
        )
    return value
