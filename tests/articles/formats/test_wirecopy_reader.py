"""The wire-copy reader's parts: figures, dates, emoji, sentences, decoding."""

import datetime
from decimal import Decimal

import pytest

from articles.formats import wirecopy
from articles.formats.wirecopy.facts import claim_status, image_note
from articles.formats.wirecopy.figures import find_dates, find_figures, parse_number
from articles.formats.wirecopy.text import remove_lost_emoji, sentences, split_emoji


@pytest.mark.parametrize(
    ("text", "value"),
    [("7 000", "7000"), ("7,000", "7000"), ("2,5", "2.5"), ("2.5", "2.5"), ("1,234.5", "1234.5")],
)
def test_numbers_are_read_in_both_conventions(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    ("sentence", "value", "high", "unit", "approximate"),
    [
        ("Il lève 7 000 milliards de dollars américains.", "7e12", None, "USD", False),
        ("He seeks $7 trillion.", "7e12", None, "USD", False),
        ("Elle a levé 2,5 millions d'euros.", "2.5e6", None, "EUR", False),
        ("Un chiffre d'affaires de 1,2 Md€.", "1.2e9", None, "EUR", False),
        ("A fine of £300m.", "3e8", None, "GBP", False),
        ("US$2.5bn in sales.", "2.5e9", None, "USD", False),
        ("Il détient 70 à 95 % du marché.", "70", "95", "percent", False),
        ("It holds 70-95% of the market.", "70", "95", "percent", False),
        ("It holds 70–95 % of the market.", "70", "95", "percent", False),
        ("Il vise environ 70 % de recyclé.", "70", None, "percent", True),
        ("About $1.2 billion is at stake.", "1.2e9", None, "USD", True),
    ],
)
def test_figures_with_units_scales_ranges_and_approximations(
    sentence, value, high, unit, approximate
):
    (figure,) = find_figures(sentence)

    assert figure.value == Decimal(value)
    assert figure.value_high == (Decimal(high) if high else None)
    assert (figure.unit, figure.approximate) == (unit, approximate)


def test_a_year_or_a_headcount_is_not_a_money_figure():
    assert find_figures("En 2023, l'usine employait 180 personnes.") == []


def test_a_label_before_a_colon_names_the_figure():
    (figure,) = find_figures("Objectif de levée de fonds : 7 000 milliards de dollars.")

    assert (figure.label, figure.labelled) == ("Objectif de levée de fonds", True)


@pytest.mark.parametrize(
    ("sentence", "date", "precision"),
    [
        ("Les échanges ont commencé en septembre 2023.", datetime.date(2023, 9, 1), "month"),
        ("Un accord en janvier 2024.", datetime.date(2024, 1, 1), "month"),
        ("Signé le 3 mars 2024 à Paris.", datetime.date(2024, 3, 3), "day"),
        ("Signé le 1er août 2024.", datetime.date(2024, 8, 1), "day"),
        ("Talks began in September 2023.", datetime.date(2023, 9, 1), "month"),
        ("It ended on March 12, 2024.", datetime.date(2024, 3, 12), "day"),
        ("It starts on 3 June 2024.", datetime.date(2024, 6, 3), "day"),
    ],
)
def test_dates_with_their_precision(sentence, date, precision):
    (found,) = find_dates(sentence)

    assert (found.date, found.precision) == (date, precision)


def test_an_impossible_date_is_not_a_date():
    assert find_dates("Le 31 février 2024.") == []


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("L'entreprise n'a ni confirmé ni démenti.", "neither_confirmed_nor_denied"),
        ("Elle n'a ni entièrement confirmé ni démenti.", "partially_confirmed"),
        ("The company neither confirmed nor denied.", "neither_confirmed_nor_denied"),
        ("Solara n'a pas commenté.", "no_comment"),
        ("Kestrel declined to comment.", "no_comment"),
        ("Arcturus a confirmé des discussions.", "confirmed"),
        ("Orbitel a démenti.", "denied"),
        ("Orbitel denied the report.", "denied"),
        ("Les syndicats contestent ce chiffre.", "disputed"),
    ],
)
def test_claim_statuses_from_their_phrasing(sentence, status):
    assert claim_status(sentence)[0] == status


def test_an_unconfirmed_report_is_not_read_as_confirmed():
    assert claim_status("The figure is unconfirmed.") is None


@pytest.mark.parametrize(
    ("item", "emoji", "text"),
    [
        ("💰 Funding", "💰", "Funding"),
        ("🕵️\u200d♀️ Sources", "🕵️\u200d♀️", "Sources"),
        ("🇫🇷 France", "🇫🇷", "France"),
        ("1️⃣ First", "1️⃣", "First"),
        ("❤️Glued", "❤️", "Glued"),
        ("No emoji", "", "No emoji"),
    ],
)
def test_a_leading_emoji_is_split_from_its_text(item, emoji, text):
    assert split_emoji(item) == (emoji, text)


@pytest.mark.parametrize(
    ("text", "kept", "lost"),
    [
        ("?\ufe0f Talks", "Talks", 1),
        ("? Talks", "Talks", 1),
        ("?OpenAI said", "OpenAI said", 1),
        ("Pourquoi ? Parce que.", "Pourquoi ? Parce que.", 0),
        ("Why? Because.", "Why? Because.", 0),
    ],
)
def test_only_the_question_marks_a_lost_emoji_left_are_removed(text, kept, lost):
    assert remove_lost_emoji(text) == (kept, lost)


def test_sentences_split_outside_quotes_only():
    paragraph = "« Non. Jamais », a-t-elle dit. Il a confirmé. “Yes. No,” he said."

    assert sentences(paragraph) == [
        "« Non. Jamais », a-t-elle dit.",
        "Il a confirmé.",
        "“Yes. No,” he said.",
    ]


def test_an_ai_image_note_gives_the_attribution_fields():
    note = image_note(
        "Cette image a été générée par l'IA Midjourney, autorisée par le fournisseur de "
        "services Midjourney."
    )

    assert note["ai_system"] == "Midjourney"
    assert note["licence_basis"] == "provider_licence"
    assert image_note("Jane Doe / Agency")["credit_line"] == "Jane Doe / Agency"


def test_the_language_is_guessed_when_not_given():
    assert wirecopy.read("Titre\n\nLe groupe a confirmé la vente des usines.").language == "fr"
    assert wirecopy.read("Title\n\nThe group confirmed the sale of the plants.").language == "en"
    assert wirecopy.read("Title\n\nThe group confirmed.", language="fr").language == "fr"


def test_crlf_bom_and_spaces_read_as_plain_text():
    copy = wirecopy.read(b"\xef\xbb\xbfTitre\r\n\r\nLe\xc2\xa0groupe a confirm\xc3\xa9.\r\n")

    assert copy.headline == "Titre"
    assert copy.paragraphs == ["Le groupe a confirmé."]
