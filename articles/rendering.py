"""Per-language rendering of key figures and key dates.

English follows AP/Reuters usage ("$7 trillion", "70–95%"); French follows the press usage of the
Imprimerie nationale ("7 000 milliards de dollars", "70–95 %"), where a billion is "un milliard"
and thousands are separated by a no-break space so a number never wraps.
"""

import datetime
from decimal import Decimal

from django.utils import dateformat, translation

NBSP = "\u00a0"
EN_DASH = "\u2013"

# code: (English symbol, French plural name, French name starts with a vowel)
CURRENCIES = {
    "USD": ("$", "dollars", False),
    "EUR": ("€", "euros", True),
    "GBP": ("£", "livres sterling", False),
    "JPY": ("¥", "yens", False),
    "CNY": ("CN¥", "yuans", False),
    "CHF": ("CHF ", "francs suisses", False),
}
PERCENT_UNITS = {"percent", "%", "pct"}

EN_SCALES = [
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
]
FR_SCALES = [(Decimal(10) ** 9, "milliard"), (Decimal(10) ** 6, "million")]


def base_language(language: str) -> str:
    lang = (language or "en").split("-")[0].lower()
    return lang if lang in {"en", "fr"} else "en"


def _format_number(value: Decimal, lang: str, max_decimals: int = 2) -> str:
    if value and abs(value) < 1:
        # Keep two significant digits of a small number: 0.004 % must not read "0 %".
        leading_zeros = -abs(value).adjusted() - 1
        max_decimals = max(max_decimals, min(leading_zeros + 2, 6))
    quantized = round(value, max_decimals)
    text = f"{quantized:,.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "fr":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def _scale(values: list[Decimal], scales) -> tuple[Decimal, str]:
    largest = max(abs(v) for v in values)
    for factor, name in scales:
        if largest >= factor:
            return factor, name
    return Decimal(1), ""


def render_key_figure(value: Decimal, value_high: Decimal | None, unit: str, language: str) -> str:
    lang = base_language(language)
    value = Decimal(value)
    values = [value] + ([Decimal(value_high)] if value_high is not None else [])
    unit = (unit or "").strip()
    code = unit.upper()

    if unit.lower() in PERCENT_UNITS:
        numbers = EN_DASH.join(_format_number(v, lang) for v in values)
        return f"{numbers}{NBSP}%" if lang == "fr" else f"{numbers}%"

    scales = FR_SCALES if lang == "fr" else EN_SCALES
    factor, scale_name = _scale(values, scales)
    numbers = EN_DASH.join(_format_number(v / factor, lang) for v in values)

    if lang == "fr":
        if scale_name:
            plural = max(abs(v) for v in values) / factor >= 2
            scale_word = scale_name + ("s" if plural else "")
            amount = f"{numbers} {scale_word}"
            if code in CURRENCIES:
                _, name, vowel = CURRENCIES[code]
                return f"{amount} d'{name}" if vowel else f"{amount} de {name}"
            return f"{amount} {unit}".rstrip()
        if code in CURRENCIES:
            name = CURRENCIES[code][1]
            if max(abs(v) for v in values) < 2:  # French: "1,5 euro", "2 euros"
                name = " ".join(word.removesuffix("s") for word in name.split())
            return f"{numbers} {name}"
        return f"{numbers} {unit}".rstrip()

    amount = f"{numbers} {scale_name}".rstrip()
    if code in CURRENCIES:
        symbol = CURRENCIES[code][0]
        if amount.startswith("-"):  # "-€2 billion", not "€-2 billion"
            return f"-{symbol}{amount[1:]}"
        return f"{symbol}{amount}"
    return f"{amount} {unit}".rstrip()


def render_key_date(date: datetime.date, precision: str, language: str) -> str:
    lang = base_language(language)
    fmt = {"day": "j F Y", "month": "F Y", "year": "Y"}.get(precision, "j F Y")
    with translation.override(lang):
        text = dateformat.format(date, fmt)
    if lang == "fr" and precision == "day" and date.day == 1:
        text = "1er" + text[1:]
    return text
