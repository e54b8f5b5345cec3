"""Per-language rendering of key figures and key dates, and the units a key figure may have.

Numbers, digit groups, plural categories, scale words ("million", "milliard"), currency symbols
and names come from CLDR through babel; the newsroom's own wording is a few translatable
messages (locale/*/LC_MESSAGES/django.po), so a third language costs a catalogue, not code:

- English follows AP/Reuters usage: "$7 trillion", "70–95%", "about 70%".
- French follows the press usage of the Imprimerie nationale: "7 000 milliards de dollars"
  (a billion is "un milliard", and the press does not write "billion"), "70–95 %",
  "environ 70 %", with a no-break space between digit groups so a number never wraps.

A language whose CLDR currency pattern puts the symbol first writes "$7 trillion"; one that puts
it after spells the currency's name out ("7 000 milliards de dollars").
"""

import datetime
import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    format_decimal,
    get_currency_name,
    get_currency_symbol,
    list_currencies,
)
from django.utils import dateformat, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext

NBSP = "\u00a0"
NNBSP = "\u202f"
EN_DASH = "\u2013"

PERCENT = "percent"
# Units typed before the list existed that still mean percent when rendered.
PERCENT_SPELLINGS = {"percent", "%", "pct"}

# The units a key figure may have besides a currency: code -> (singular, plural) in English,
# translated in the catalogues; a symbol (km, GW) is the same in every language.
COUNTED_UNITS = {
    "people": ("person", "people"),
    "employees": ("employee", "employees"),
    "users": ("user", "users"),
    "customers": ("customer", "customers"),
    "jobs": ("job", "jobs"),
    "units": ("unit", "units"),
    "tonnes": ("tonne", "tonnes"),
    "barrels": ("barrel", "barrels"),
}
SYMBOL_UNITS = ["kg", "km", "m²", "kWh", "MWh", "GWh", "TWh", "MW", "GW"]
UNIT_LABELS = {
    PERCENT: _("percent (%)"),
    "people": _("people"),
    "employees": _("employees"),
    "users": _("users"),
    "customers": _("customers"),
    "jobs": _("jobs"),
    "units": _("units (items)"),
    "tonnes": _("tonnes (t)"),
    "barrels": _("barrels"),
}
UNITS = [PERCENT, *COUNTED_UNITS, *SYMBOL_UNITS]

# The scales the newsroom writes, per language (largest first); any other language uses English's.
# French press style stops at "milliard": "7 000 milliards", never "7 billions".
SCALE_EXPONENTS = {"en": (12, 9, 6), "fr": (9, 6)}


def base_language(language: str) -> str:
    lang = (language or "en").replace("_", "-").split("-")[0].lower()
    return lang if lang in {"en", "fr"} else "en"


@lru_cache(maxsize=16)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """The ISO 4217 codes CLDR knows (current and recent ones)."""
    return frozenset(list_currencies())


def is_currency(unit: str) -> bool:
    return unit in currency_codes()


def is_known_unit(unit: str) -> bool:
    """A unit a key figure may be saved with: empty, an ISO 4217 code or one of UNITS."""
    return unit == "" or unit in UNITS or is_currency(unit)


def unit_label(unit: str, language: str | None = None, with_code: bool = True) -> str:
    """The unit's name for a person choosing it (the admin's list: "USD — US Dollar")."""
    lang = base_language(language or translation.get_language() or "en")
    if is_currency(unit):
        name = get_currency_name(unit, locale=_locale(lang))
        return f"{unit} — {name}" if with_code else name
    with translation.override(lang):
        return str(UNIT_LABELS.get(unit, unit))


def unit_choices(current: str = "") -> list:
    """Grouped choices for a select list: no unit, percent, the units, then every currency."""
    currencies = sorted(currency_codes())
    common = ["EUR", "USD", "GBP", "CHF", "JPY", "CNY", "CAD"]
    choices = [
        ("", _("— no unit (a count) —")),
        (PERCENT, UNIT_LABELS[PERCENT]),
        (_("Units"), [(u, unit_label(u) if u in UNIT_LABELS else u) for u in UNITS[1:]]),
        (_("Common currencies"), [(c, unit_label(c)) for c in common]),
        (
            _("Every currency (ISO 4217)"),
            [(c, unit_label(c)) for c in currencies if c not in common],
        ),
    ]
    if current and not is_known_unit(current):
        choices.append((current, current))  # a unit typed before the list existed stays
    return choices


def _plural_count(lang: str, value: Decimal) -> int:
    """1 or 2, for ngettext: the CLDR plural category of the number ("1,5 milliard" in
    French, "1.5 billion" in English)."""
    return 1 if _locale(lang).plural_form(abs(value)) == "one" else 2


def _clean_spaces(text: str) -> str:
    # The newsroom groups digits with a no-break space (CLDR's French uses the narrow one,
    # which older fonts in readers' apps render as a box).
    return text.replace(NNBSP, NBSP)


def _format_number(value: Decimal, lang: str, max_decimals: int = 2) -> str:
    if value and abs(value) < 1:
        # Keep two significant digits of a small number: 0.004 % must not read "0 %".
        leading_zeros = -abs(value).adjusted() - 1
        max_decimals = max(max_decimals, min(leading_zeros + 2, 6))
    quantized = round(Decimal(value), max_decimals).normalize()
    if quantized == quantized.to_integral():
        quantized = quantized.quantize(Decimal(1))
    text = format_decimal(quantized, locale=_locale(lang), decimal_quantization=False)
    # CLDR's minus sign is U+2212 in some locales; keep the hyphen-minus readers' tools expect.
    return _clean_spaces(text).replace("\u2212", "-")


def _scale(values: list[Decimal], lang: str) -> tuple[Decimal, int]:
    largest = max(abs(v) for v in values)
    for exponent in SCALE_EXPONENTS.get(lang, SCALE_EXPONENTS["en"]):
        if largest >= Decimal(10) ** exponent:
            return Decimal(10) ** exponent, exponent
    return Decimal(1), 0


def _scale_word(lang: str, exponent: int, count: Decimal) -> str:
    """CLDR's long compact word for 10**exponent ("million", "milliards")."""
    by_plural = _locale(lang).compact_decimal_formats["long"]
    forms = by_plural.get(_locale(lang).plural_form(abs(count))) or by_plural["other"]
    pattern = forms.get(str(10**exponent)) or by_plural["other"].get(str(10**exponent))
    if pattern is None:
        return ""
    return pattern.pattern.replace("0", "").replace("'", "").strip()


def _symbol_first(lang: str) -> bool:
    pattern = _locale(lang).currency_formats["standard"].pattern
    return pattern.lstrip("-").startswith("¤")


def _currency_name(code: str, lang: str, count: int) -> str:
    """The press name ("dollars", not "dollars des États-Unis"), else CLDR's."""
    with translation.override(lang):
        press = {
            "USD": npgettext("currency of a key figure", "dollar", "dollars", count),
            "JPY": npgettext("currency of a key figure", "yen", "yens", count),
            "CNY": npgettext("currency of a key figure", "yuan", "yuans", count),
        }.get(code)
    return press or get_currency_name(code, count=count, locale=_locale(lang))


def _unit_name(unit: str, lang: str, count: int) -> str:
    if unit in COUNTED_UNITS:
        singular, plural = COUNTED_UNITS[unit]
        with translation.override(lang):
            return npgettext("unit of a key figure", singular, plural, count)
    return unit


def _joined(amount: str, name: str, lang: str, scaled: bool) -> str:
    """ "7 000 milliards de dollars", "3 million users", "250 000 euros"."""
    if not name:
        return amount
    if not scaled:
        return f"{amount} {name}"
    with translation.override(lang):
        text = pgettext(
            "a number with a scale word (million), then a unit or currency",
            "%(amount)s %(unit)s",
        ) % {"amount": amount, "unit": name}
    # Elision: "de euros" is written "d'euros".
    return re.sub(r"\b([dD])e ([aeiouéèêhAEIOUÉ])", r"\1'\2", text)


def _approximately(text: str, lang: str) -> str:
    with translation.override(lang):
        return pgettext("an approximate key figure", "about %(figure)s") % {"figure": text}


def render_key_figure(
    value: Decimal,
    value_high: Decimal | None,
    unit: str,
    language: str,
    approximate: bool = False,
) -> str:
    lang = base_language(language)
    value = Decimal(value)
    values = [value] + ([Decimal(value_high)] if value_high is not None else [])
    unit = (unit or "").strip()
    code = unit.upper()

    if unit.lower() in PERCENT_SPELLINGS:
        numbers = EN_DASH.join(_format_number(v, lang) for v in values)
        pattern = _locale(lang).percent_formats[None].pattern
        # What follows the number in CLDR's pattern: "%" in English, "\u202f%" in French.
        suffix = _clean_spaces(pattern.split(";")[0].lstrip("#,0."))
        text = f"{numbers}{suffix}"
    else:
        factor, exponent = _scale(values, lang)
        largest = max(abs(v) for v in values) / factor
        numbers = EN_DASH.join(_format_number(v / factor, lang) for v in values)
        scale_word = _scale_word(lang, exponent, largest) if exponent else ""
        amount = f"{numbers} {scale_word}".rstrip()
        # After a scale word the unit is a plural noun: "1 milliard de dollars".
        count = 2 if scale_word else _plural_count(lang, largest)
        if is_currency(code) and _symbol_first(lang):
            symbol = get_currency_symbol(code, locale=_locale(lang))
            if symbol == code:
                symbol += " "  # "CHF 1.5 million"
            if amount.startswith("-"):  # "-€2 billion", not "€-2 billion"
                text = f"-{symbol}{amount[1:]}"
            else:
                text = f"{symbol}{amount}"
        elif is_currency(code):
            text = _joined(amount, _currency_name(code, lang, count), lang, bool(scale_word))
        else:
            text = _joined(amount, _unit_name(unit, lang, count), lang, bool(scale_word))
    return _approximately(text, lang) if approximate else text


def render_key_date(date: datetime.date, precision: str, language: str) -> str:
    lang = base_language(language)
    fmt = {"day": "j F Y", "month": "F Y", "year": "Y"}.get(precision, "j F Y")
    with translation.override(lang):
        text = dateformat.format(date, fmt)
    if lang == "fr" and precision == "day" and date.day == 1:
        text = "1er" + text[1:]
    return text
