"""Reading plain-text wire copy (French or English) into a structured result.

Recognised and taken out of the body: the headline, the standfirst, the image-source note,
highlight boxes and the follow-up promise. Read from the prose, which stays in the body as
written: claims with their status, quotes with their speaker, key figures, key dates, sources
and the names of organisations. No database access: matching names against the entity
registry is the import service's job (articles.services.imports).
"""

import re
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from . import facts
from .figures import FoundDate, FoundFigure, find_dates, find_figures
from .text import decode, remove_lost_emoji, repair, sentences, split_emoji

IMAGE_NOTE_RE = re.compile(
    r"^(?:remarque|note) sur (?:la source de )?l['’]image|^note on the image(?: source)?"
    r"|^source de l['’]image|^image source|^cr[ée]dits? (?:photos?|images?)|^(?:photo|image) credit"
    r"|^cr[ée]dits?|^credits?|^illustration|^image|^photo",
    re.IGNORECASE,
)
BOX_HEADER_RE = re.compile(
    r"^(?P<title>c['’]est nous qui soulignons|[àa] retenir|les points cl[ée]s|points cl[ée]s"
    r"|l['’]essentiel|en bref|key points|highlights|key takeaways|takeaways|at a glance"
    r"|in brief)\s*:?\s*$",
    re.IGNORECASE,
)
BULLET_RE = re.compile(r"^\s*(?:[-•*–·▪◦]|\d{1,2}[.)])\s*(?P<item>.+)$")
MAX_SENTENCE = 2000
DEFAULT_BOX_TITLES = {"fr": "C'est nous qui soulignons :", "en": "Key points"}

FRENCH_WORDS = re.compile(r"\b(?:le|la|les|des|est|une|et|du|qui|dans|pour|sur|avec|aux)\b", re.I)
ENGLISH_WORDS = re.compile(r"\b(?:the|and|is|of|to|in|that|with|for|on|was|has)\b", re.I)


@dataclass
class FoundBox:
    title: str
    items: list[tuple[str, str]]  # (emoji, text)


@dataclass
class WireCopy:
    language: str
    headline: str
    standfirst: str
    paragraphs: list[str]
    headline_made: bool = False
    image: dict[str, str] = field(default_factory=dict)
    boxes: list[FoundBox] = field(default_factory=list)
    claims: list[facts.FoundClaim] = field(default_factory=list)
    quotes: list[facts.FoundQuote] = field(default_factory=list)
    figures: list[FoundFigure] = field(default_factory=list)
    dates: list[FoundDate] = field(default_factory=list)
    sources: list[facts.FoundSource] = field(default_factory=list)
    source_note: str = ""
    promise: str = ""
    organisations: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    # (code, message): what the journalist must check.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""  # the text as read (repaired), before anything was taken out


def detect_language(text: str) -> str:
    sample = text[:20_000]  # the opening is enough, and bounds the cost on a long text
    return "fr" if len(FRENCH_WORDS.findall(sample)) >= len(ENGLISH_WORDS.findall(sample)) else "en"


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.split("\n"):
        line = re.sub(r" {2,}", " ", line.strip())
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _image_note(line: str) -> str | None:
    match = IMAGE_NOTE_RE.match(line)
    if not match:
        return None
    rest = line[match.end() :].lstrip()
    if not rest.startswith(":"):
        return None
    return rest[1:].strip()


def _box_title(header: str, language: str) -> str:
    title = header.strip().rstrip(":").strip()
    for default in DEFAULT_BOX_TITLES.values():
        if title.casefold() == default.rstrip(" :").casefold():
            return default
    return title


def read(data: bytes | str, *, language: str = "auto") -> WireCopy:
    """Read wire copy. Raises text.UnreadableText for input that is not text."""
    text, repaired = repair(decode(data))
    language = detect_language(text) if language in ("", "auto") else language
    with translation.override(language):
        return _read(text, language, repaired)


def _lost_emoji_warning() -> tuple[str, str]:
    return ("lost_emoji", _("An emoji was lost in transmission: choose one."))


def _read(text: str, language: str, repaired: bool) -> WireCopy:
    result = WireCopy(language=language, headline="", standfirst="", paragraphs=[], text=text)
    if repaired:
        result.warnings.append(
            (
                "encoding_repaired",
                _("Damaged characters (mojibake) were repaired: compare with the imported text."),
            )
        )
    prose: list[str] = []
    lost = 0
    for block in _blocks(text):
        i = 0
        lines: list[str] = []
        while i < len(block):
            line = block[i]
            note = _image_note(line)
            header = BOX_HEADER_RE.match(line)
            if note is not None and not result.image:
                # The note runs to the end of its block.
                note = " ".join([note, *block[i + 1 :]]).strip()
                result.image = facts.image_note(note)
                i = len(block)
                continue
            if header or BULLET_RE.match(line):
                title = _box_title(header.group("title"), language) if header else ""
                i += 1 if header else 0
                items = []
                while i < len(block):
                    bullet = BULLET_RE.match(block[i])
                    if not bullet and not (header and split_emoji(block[i])[0]):
                        break
                    raw = bullet.group("item") if bullet else block[i]
                    cleaned, removed = remove_lost_emoji(raw.strip())
                    lost += removed
                    emoji, item_text = ("", cleaned.strip()) if removed else split_emoji(cleaned)
                    if item_text:
                        items.append((emoji, item_text))
                    i += 1
                if items:
                    result.boxes.append(
                        FoundBox(title=title or DEFAULT_BOX_TITLES[language], items=items)
                    )
                elif header:
                    lines.append(line)
                continue
            lines.append(line)
            i += 1
        if lines:
            paragraph, removed = remove_lost_emoji(" ".join(lines))
            lost += removed
            prose.append(paragraph)
    if lost:
        result.warnings.append(_lost_emoji_warning())
    _headline_and_standfirst(result, prose)
    _facts(result)
    return result


def _is_headline(line: str) -> bool:
    return len(line) <= 300 and len(line.split()) <= 30 and not line.endswith((".", ";", ",", ":"))


def _headline_and_standfirst(result: WireCopy, prose: list[str]) -> None:
    first = prose[0] if prose else ""
    # A first line on its own (its paragraph is one line) that reads as a title.
    if first and _is_headline(first) and len(prose) > 1:
        result.headline = first
        rest = prose[1:]
        if len(rest) > 1 and len(rest[0]) <= 600 and len(sentences(rest[0])) <= 2:
            result.standfirst, rest = rest[0], rest[1:]
    else:
        rest = prose
        opening = sentences(first)[0] if first else ""
        result.headline = _shorten(opening.rstrip(".") or _("Imported article"), 300)
        result.headline_made = True
        result.warnings.append(
            ("headline_made", _("The text had no headline: it was made from the first sentence."))
        )
    kept = []
    for paragraph in rest:
        parts = sentences(paragraph)
        promises = [s for s in parts if len(s) <= MAX_SENTENCE and facts.is_followup_promise(s)]
        if promises and not result.promise:
            result.promise = promises[0][:300]
            parts = [s for s in parts if s != promises[0]]
        if parts:
            kept.append(" ".join(parts))
    result.paragraphs = kept


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _facts(result: WireCopy) -> None:
    anonymous = _("Anonymous sources")
    all_sentences = []
    for paragraph in ([result.standfirst] if result.standfirst else []) + result.paragraphs:
        all_sentences.extend(sentences(paragraph))
    # A "sentence" longer than this is not prose (a table, a list without stops): it stays in
    # the body unread, which also bounds the cost of the patterns below on hostile input.
    all_sentences = [s for s in all_sentences if len(s) <= MAX_SENTENCE]
    result.claims = facts.find_claims(all_sentences)
    # A figure or date stated twice keeps its first place and its "Label : value" label.
    figures: dict[tuple, FoundFigure] = {}
    dates: dict[tuple, FoundDate] = {}
    seen_quotes, seen_sources = set(), set()
    for sentence in all_sentences:
        for quote in facts.find_quotes(sentence):
            if quote.text not in seen_quotes:
                seen_quotes.add(quote.text)
                result.quotes.append(quote)
        for figure in find_figures(sentence):
            key = (figure.value, figure.value_high, figure.unit)
            if key not in figures or figure.labelled and not figures[key].labelled:
                figures[key] = figure
        for date in find_dates(sentence):
            key = (date.date, date.precision)
            if key not in dates or date.labelled and not dates[key].labelled:
                dates[key] = date
        for source in facts.find_sources(sentence, anonymous):
            if (source.name, source.role) not in seen_sources:
                seen_sources.add((source.name, source.role))
                result.sources.append(source)
        if not result.source_note:
            reported = facts.ANONYMOUS_RE.search(sentence)
            if reported:
                result.source_note = reported.group(0)[:300]
    result.figures, result.dates = list(figures.values()), list(dates.values())
    organisations: list[str] = []
    names: list[str] = []
    for sentence in [result.headline, *all_sentences]:
        organisations += facts.organisation_candidates(sentence)
        names += facts.name_candidates(". " + sentence)
    result.organisations = list(dict.fromkeys(organisations))
    result.names = [n for n in dict.fromkeys(names) if n not in result.organisations]
