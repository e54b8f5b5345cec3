"""Key figures and key dates in French and English wire copy.

Works on text whose no-break and narrow no-break spaces are plain spaces (``reader.prepare``).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass
class FoundFigure:
    label: str
    value: Decimal
    value_high: Decimal | None
    unit: str
    approximate: bool
    text: str  # the figure as written
    labelled: bool = False  # written as "Label : value"


@dataclass
class FoundDate:
    label: str
    date: datetime.date
    precision: str  # "day" or "month" (KeyDate.Precision values)
    text: str
    labelled: bool = False


# 7 000 / 7,000 (English thousands) / 2,5 (French decimal) / 2.5
NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:[ ,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
APPROX = (
    r"(?P<approx>environ|près de|pres de|quelque|autour de|approximativement|about|around|"
    r"roughly|nearly|approximately|some|~)\s*"
)
RANGE_SEP = r"\s*(?:-|–|—|à|a|et|to|and)\s*"
PERCENT = r"\s*(?:%|pour\s?cent|percent|per\s?cent)"

SCALES = {
    # French
    "milliers de milliards": 10**12,
    "billions": 10**12,
    "milliards": 10**9,
    "milliard": 10**9,
    "mds": 10**9,
    "md": 10**9,
    "millions": 10**6,
    "million": 10**6,
    "m": 10**6,
    # English ("billion" is 10^9 in English copy, "trillion" 10^12)
    "trillion": 10**12,
    "tn": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "k": 10**3,
}
SCALE = (
    r"(?P<scale>milliers de milliards|milliards?|billions|trillion|billion|millions?|"
    r"mds|md|bn|tn|m|k)\b\.?"
)
CURRENCY_WORDS = {
    "dollars américains": "USD",
    "dollars americains": "USD",
    "dollars us": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "us dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "livres sterling": "GBP",
    "pounds": "GBP",
    "yens": "JPY",
    "yen": "JPY",
    "yuans": "CNY",
    "yuan": "CNY",
    "francs suisses": "CHF",
}
CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "chf": "CHF"}
CURRENCY_WORD = (
    r"(?P<cur>dollars am[ée]ricains|dollars us|us dollars|dollars?|euros?|livres sterling|"
    r"pounds|yens?|yuans?|francs suisses|€|\$)"
)

# 70 à 95 %, 70-95%, entre 70 et 95 %, environ 70 %
PERCENT_RE = re.compile(
    rf"(?:{APPROX})?(?:entre\s+|between\s+)?(?P<low>{NUMBER})(?:{RANGE_SEP}(?P<high>{NUMBER}))?"
    rf"{PERCENT}",
    re.IGNORECASE,
)
# 7 000 milliards de dollars américains, 2,5 millions d'euros, 1,2 Md€, 500 millions €
AMOUNT_AFTER_RE = re.compile(
    rf"(?:{APPROX})?(?:jusqu'à\s+|up to\s+)?(?P<low>{NUMBER})\s*(?:{SCALE})?\s*"
    rf"(?:de\s+|d'\s*|d’\s*|of\s+)?{CURRENCY_WORD}(?!\w)",
    re.IGNORECASE,
)
# $7 trillion, US$2.5bn, €1.2 billion, £300m
AMOUNT_BEFORE_RE = re.compile(
    rf"(?:{APPROX})?(?P<cur>US\$|\$|€|£|¥|CHF\s)\s?(?P<low>{NUMBER})"
    rf"(?:\s*(?:{SCALE}))?",
    re.IGNORECASE,
)

FR_MONTHS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
EN_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTHS = {**FR_MONTHS, **EN_MONTHS}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
YEAR = r"(?P<year>(?:19|20)\d{2})"
DATE_RES = [
    # le 3 mars 2024, 1er janvier 2024, 3 March 2024
    (re.compile(rf"\b(?P<day>[0-3]?\d)(?:er)?\s+{MONTH}\s+{YEAR}\b", re.IGNORECASE), "day"),
    # March 3, 2024 / March 3rd 2024
    (
        re.compile(rf"\b{MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{YEAR}\b", re.IGNORECASE),
        "day",
    ),
    # septembre 2023, September 2023
    (re.compile(rf"\b{MONTH}\s+{YEAR}\b", re.IGNORECASE), "month"),
]


def parse_number(text: str) -> Decimal | None:
    """7 000 / 7,000 / 2,5 / 2.5 / 1,234.5 as a Decimal."""
    text = text.replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif "," in text:
        head, _sep, tail = text.rpartition(",")
        # 7,000 (English thousands) against 2,5 (French decimal comma).
        text = head.replace(",", "") + ("" if len(tail) == 3 and head else ".") + tail
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _scale(match: re.Match) -> int:
    scale = (match.groupdict().get("scale") or "").lower().rstrip(".")
    return SCALES.get(scale, 1)


def _currency(raw: str) -> str:
    raw = raw.strip().lower()
    return (
        CURRENCY_SYMBOLS.get(raw)
        or CURRENCY_WORDS.get(raw.replace("é", "e"), "")
        or (CURRENCY_WORDS.get(raw, ""))
    )


def _label(sentence: str, start: int) -> tuple[str, bool]:
    """The label of a figure or date: the words before "Label : value" (and True), or the
    sentence (and False)."""
    head = sentence[:start].rstrip()
    if head.endswith(":"):
        label = head[:-1].strip()
        # The last clause before the colon, e.g. "… ; Funding target:" gives "Funding target".
        label = re.split(r"[.;]\s+", label)[-1]
        if label:
            return label[:200], True
    return sentence.strip()[:200], False


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def find_figures(sentence: str) -> list[FoundFigure]:
    figures: list[tuple[int, FoundFigure]] = []
    spans: list[tuple[int, int]] = []
    for regex in (AMOUNT_BEFORE_RE, AMOUNT_AFTER_RE, PERCENT_RE):
        for match in regex.finditer(sentence):
            if _overlaps(spans, match.start(), match.end()):
                continue
            low = parse_number(match.group("low"))
            if low is None:
                continue
            high = None
            if regex is PERCENT_RE:
                unit = "percent"
                if match.group("high"):
                    high = parse_number(match.group("high"))
                if high is not None and high < low:
                    continue
            else:
                # A bare "m" or "k" after a number is a scale only before a currency.
                unit = _currency(match.group("cur"))
                if not unit:
                    continue
                low *= _scale(match)
            spans.append((match.start(), match.end()))
            label, labelled = _label(sentence, match.start())
            figures.append(
                (
                    match.start(),
                    FoundFigure(
                        label=label,
                        labelled=labelled,
                        value=low,
                        value_high=high,
                        unit=unit,
                        approximate=bool(match.groupdict().get("approx")),
                        text=match.group(0).strip(),
                    ),
                )
            )
    return [figure for _start, figure in sorted(figures, key=lambda pair: pair[0])]


def find_dates(sentence: str) -> list[FoundDate]:
    found: list[tuple[int, FoundDate]] = []
    spans: list[tuple[int, int]] = []
    for regex, precision in DATE_RES:
        for match in regex.finditer(sentence):
            if _overlaps(spans, match.start(), match.end()):
                continue
            month = MONTHS[match.group("month").lower()]
            day = int(match.groupdict().get("day") or 1)
            spans.append((match.start(), match.end()))
            try:
                date = datetime.date(int(match.group("year")), month, day)
            except ValueError:
                continue  # "31 février": a mistake in the copy, not a month to keep
            label, labelled = _label(sentence, match.start())
            found.append(
                (
                    match.start(),
                    FoundDate(
                        label=label,
                        labelled=labelled,
                        date=date,
                        precision=precision,
                        text=match.group(0),
                    ),
                )
            )
    return [date for _start, date in sorted(found, key=lambda pair: pair[0])]
