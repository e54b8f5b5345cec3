"""Reading numbers from URLs, query strings and headers.

``str.isdigit()`` accepts digits that ``int()`` refuses (``²``, ``①``) and ``int()`` accepts
digits of every script (``٣``); an id or a count here is ASCII digits only.
"""

import re

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
