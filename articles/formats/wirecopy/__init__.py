"""Plain-text wire copy: ``read`` turns French or English copy into a structured result,
``write`` renders an article as wire copy that ``read`` takes back."""

from .reader import FoundBox, WireCopy, detect_language, read
from .text import MAX_BYTES, UnreadableText
from .writer import write

__all__ = [
    "MAX_BYTES",
    "FoundBox",
    "UnreadableText",
    "WireCopy",
    "detect_language",
    "read",
    "write",
]
