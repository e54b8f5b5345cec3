"""Key figures and key dates as readers see them, in English and in French."""

import datetime
from decimal import Decimal

import pytest

from articles.models import KeyDate
from articles.rendering import render_key_date, render_key_figure
from tests.factories import KeyDateFactory, KeyFigureFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "high", "unit", "english", "french"),
    [
        # Money in trillions (a French "billion" is a "milliard": 7 000 milliards).
        ("7000000000000", None, "USD", "$7 trillion", f"7{NBSP}000 milliards de dollars"),
        ("1200000000000", None, "EUR", "€1.2 trillion", f"1{NBSP}200 milliards d'euros"),
        # Billions: singular under two in French, elision before a vowel.
        ("2500000000", None, "EUR", "€2.5 billion", "2,5 milliards d'euros"),
        ("1000000000", None, "USD", "$1 billion", "1 milliard de dollars"),
        ("1500000000", None, "GBP", "£1.5 billion", "1,5 milliard de livres sterling"),
        # Millions.
        ("1200000", None, "USD", "$1.2 million", "1,2 million de dollars"),
        ("35000000", None, "JPY", "¥35 million", "35 millions de yens"),
        ("1500000", "2500000", "USD", "$1.5–2.5 million", "1,5–2,5 millions de dollars"),
        # Money below a million keeps its digits, grouped.
        ("250000", None, "EUR", "€250,000", f"250{NBSP}000 euros"),
    ],
)
def test_money_figures_are_scaled_and_worded_per_language(value, high, unit, english, french):
    high = Decimal(high) if high else None
    assert render_key_figure(Decimal(value), high, unit, "en") == english
    assert render_key_figure(Decimal(value), high, unit, "fr") == french


@pytest.mark.parametrize("unit", ["percent", "%", "pct", "Percent"])
def test_a_percentage_range_uses_an_en_dash_and_a_french_no_break_space(unit):
    assert render_key_figure(Decimal("70"), Decimal("95"), unit, "en") == "70–95%"
    assert render_key_figure(Decimal("70"), Decimal("95"), unit, "fr") == f"70–95{NBSP}%"


def test_a_decimal_percentage_uses_a_decimal_comma_in_french():
    assert render_key_figure(Decimal("12.5"), None, "percent", "en") == "12.5%"
    assert render_key_figure(Decimal("12.5"), None, "percent", "fr") == f"12,5{NBSP}%"


def test_plain_units_follow_the_number_with_thousands_grouped_per_language():
    assert render_key_figure(Decimal("12000"), None, "tonnes", "en") == "12,000 tonnes"
    assert render_key_figure(Decimal("12000"), None, "tonnes", "fr") == f"12{NBSP}000 tonnes"
    assert render_key_figure(Decimal("350"), None, "km", "fr") == "350 km"
    assert render_key_figure(Decimal("3000000"), None, "users", "en") == "3 million users"


def test_a_figure_without_unit_is_just_the_number():
    assert render_key_figure(Decimal("999999"), None, "", "en") == "999,999"
    assert render_key_figure(Decimal("999999"), None, "", "fr") == f"999{NBSP}999"


def test_negative_figures_keep_their_sign_before_the_currency_symbol():
    assert render_key_figure(Decimal("-3.2"), None, "percent", "en") == "-3.2%"
    assert render_key_figure(Decimal("-3.2"), None, "percent", "fr") == f"-3,2{NBSP}%"
    assert render_key_figure(Decimal("-2000000000"), None, "EUR", "en") == "-€2 billion"
    assert render_key_figure(Decimal("-2000000000"), None, "EUR", "fr") == "-2 milliards d'euros"
    assert render_key_figure(Decimal("-450"), None, "USD", "en") == "-$450"


def test_small_numbers_are_not_rounded_away():
    assert render_key_figure(Decimal("0.5"), None, "percent", "en") == "0.5%"
    assert render_key_figure(Decimal("0.004"), None, "percent", "en") == "0.004%"
    assert render_key_figure(Decimal("0.004"), None, "percent", "fr") == f"0,004{NBSP}%"
    assert render_key_figure(Decimal("0.000001"), None, "", "en") == "0.000001"
    assert render_key_figure(Decimal("0"), None, "percent", "en") == "0%"


def test_french_amounts_under_two_take_the_singular_currency_name():
    assert render_key_figure(Decimal("0.5"), None, "USD", "en") == "$0.5"
    assert render_key_figure(Decimal("0.5"), None, "USD", "fr") == "0,5 dollar"
    assert render_key_figure(Decimal("1"), None, "EUR", "fr") == "1 euro"
    assert render_key_figure(Decimal("1.5"), None, "CHF", "fr") == "1,5 franc suisse"
    assert render_key_figure(Decimal("2"), None, "EUR", "fr") == "2 euros"
    assert render_key_figure(Decimal("40"), None, "GBP", "fr") == "40 livres sterling"


def test_regional_and_unknown_languages_fall_back_sensibly():
    figure = (Decimal("7000000000000"), None, "USD")
    assert render_key_figure(*figure, "fr-CA") == f"7{NBSP}000 milliards de dollars"
    assert render_key_figure(*figure, "en-GB") == "$7 trillion"
    assert render_key_figure(*figure, "de") == "$7 trillion"


def test_a_stored_key_figure_renders_itself_per_language():
    figure = KeyFigureFactory(value=Decimal("7000000000000"), unit="USD")
    figure.refresh_from_db()  # the database hands back Decimal('7000000000000.000000')
    assert figure.display("en") == "$7 trillion"
    assert figure.display("fr") == f"7{NBSP}000 milliards de dollars"
    assert str(figure) == "Funding target: $7 trillion"


@pytest.mark.parametrize(
    ("date", "precision", "english", "french"),
    [
        (datetime.date(2023, 9, 1), "month", "September 2023", "septembre 2023"),
        (datetime.date(2024, 1, 15), "month", "January 2024", "janvier 2024"),
        (datetime.date(2023, 9, 14), "day", "14 September 2023", "14 septembre 2023"),
        (datetime.date(2023, 9, 1), "day", "1 September 2023", "1er septembre 2023"),
        (datetime.date(2023, 9, 14), "year", "2023", "2023"),
    ],
)
def test_key_dates_render_by_precision_in_both_languages(date, precision, english, french):
    assert render_key_date(date, precision, "en") == english
    assert render_key_date(date, precision, "fr") == french


def test_a_stored_key_date_renders_in_the_language_asked_for():
    key_date = KeyDateFactory(date=datetime.date(2023, 9, 1), precision=KeyDate.Precision.MONTH)
    assert key_date.display("fr") == "septembre 2023"
    assert key_date.display("fr-CA") == "septembre 2023"
    assert key_date.display("en") == "September 2023"
    assert str(key_date) == "September 2023: Talks begin"
