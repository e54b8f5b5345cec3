"""Turning received bytes into text the reader can parse: size, binary and encoding checks,
mojibake repair (ftfy), line endings, spaces, sentences and the emoji a transmission lost."""

import re
import unicodedata

import ftfy
from django.utils.translation import gettext as _

# The largest wire copy accepted, in bytes (a long feature is about 50 KB).
MAX_BYTES = 1_000_000

# ftfy's own defaults, except that quotes and apostrophes stay as typed (« », “ ”, ’ are
# the house typography, not damage) and full-width characters are left alone.
FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False)

APOSTROPHE = "['’]"


class UnreadableText(ValueError):
    """The input is not wire copy the importer can read. ``reason`` is a stable code
    (``binary``, ``empty``, ``too_large``, ``undecodable``); the message says it to a person."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        self.message = message
        super().__init__(message)


def decode(data: bytes | str) -> str:
    """The text of ``data``: UTF-8 (a BOM is dropped), never binary, never empty or too large."""
    if isinstance(data, str):
        if "\x00" in data:
            raise UnreadableText("binary", _("This is a binary file, not text."))
        raw_size = len(data.encode("utf-8", "surrogatepass"))
        text = data
    else:
        raw_size = len(data)
    if raw_size > MAX_BYTES:
        raise UnreadableText(
            "too_large",
            _("The text is larger than %(limit)s bytes (1 MB).") % {"limit": f"{MAX_BYTES:,}"},
        )
    if isinstance(data, bytes):
        if b"\x00" in data or _looks_binary(data):
            raise UnreadableText("binary", _("This is a binary file, not text."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableText(
                "undecodable",
                _("The text is not UTF-8 (byte %(position)d cannot be read); save it as UTF-8.")
                % {"position": exc.start},
            ) from exc
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise UnreadableText("undecodable", _("The text contains invalid characters."))
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise UnreadableText("empty", _("The text is empty."))
    return text


def _looks_binary(data: bytes) -> bool:
    """Control bytes other than tab, line feed, carriage return and form feed in the first
    8 KB: a picture, a PDF or a word-processor file rather than text."""
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > 0


def repair(text: str) -> tuple[str, bool]:
    """Line endings and spaces made plain, mojibake (Ã©, â€™) repaired by ftfy.

    Returns the text and whether ftfy changed anything beyond line endings.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    fixed = ftfy.fix_text(text, config=FTFY_CONFIG)
    repaired = fixed != unicodedata.normalize("NFC", text)
    # str.replace runs in C per character class; translate() with a dict is several times slower.
    for space in ("\u00a0", "\u202f", "\u2007", "\t"):
        fixed = fixed.replace(space, " ")
    return fixed, repaired


# An emoji lost to "?": "?" + U+FE0F anywhere, or a "?" glued to the start of a word
# ("?OpenAI"), or a "?" opening a line or a bullet. A French "Pourquoi ? Parce que" is kept.
LOST_EMOJI_RE = re.compile(r"\?\ufe0f\s?|(?:(?<=^)|(?<=\s))\?(?=[^\W\d_])", re.MULTILINE)
LOST_AT_START_RE = re.compile(r"^\?\ufe0f?(?:\s+|(?=[^\W\d_]))")


def remove_lost_emoji(text: str) -> tuple[str, int]:
    """``text`` without the "?" a lost emoji left, and how many were removed."""
    count = 0
    match = LOST_AT_START_RE.match(text)
    if match:
        text, count = text[match.end() :], 1
    text, more = LOST_EMOJI_RE.subn("", text)
    return text, count + more


def split_emoji(text: str) -> tuple[str, str]:
    """A highlight item's leading emoji (flags, ZWJ sequences and keycaps included) and text."""
    text = text.strip()
    if len(text) > 2 and text[1:3] == "\ufe0f\u20e3" or len(text) > 1 and text[1] == "\u20e3":
        end = 3 if text[1] == "\ufe0f" else 2
        return text[:end], text[end:].strip()
    end = 0
    while end < len(text):
        category = unicodedata.category(text[end])
        if category[0] in "LNZP" and text[end] not in "\u200d":
            break
        end += 1
    if end == 0:
        return "", text
    return text[:end].strip(), text[end:].strip()


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph: a split after . ! ? … (or a closing quote right after one)
    followed by a space and a capital, a digit or an opening quote; never inside quotes."""
    result, start, depth, straight = [], 0, 0, False
    n = len(paragraph)
    last = ""  # the last character before this one that is not a space
    for i, ch in enumerate(paragraph):
        before, last = last, (ch if ch != " " else last)
        if ch in "«“":
            depth += 1
        elif ch in "»”":
            depth = max(0, depth - 1)
        elif ch == '"':
            straight = not straight
        if depth or (straight and ch != '"'):
            continue
        ends = ch in ".!?…" or (ch in '»”"' and before in (".", "!", "?", "…"))
        if not ends or i + 1 >= n or paragraph[i + 1] != " ":
            continue
        k = i + 1
        while k < n and paragraph[k] == " ":
            k += 1
        if k < n and (paragraph[k].isupper() or paragraph[k].isdigit() or paragraph[k] in '«“"'):
            result.append(paragraph[start : i + 1].strip())
            start = k
    tail = paragraph[start:].strip()
    if tail:
        result.append(tail)
    return result
