"""The metadata fields the importer fills, through the desk API and in the public document:
claim statuses and responded_by, source roles with their labels, approximate key figures and
units from the list (articles.serializers, articles.models.metadata)."""

from decimal import Decimal

import pytest
from django.apps import apps

from articles.models import Article, Claim, KeyFigure
from tests.articles.api_helpers import patch
from tests.factories import EntityFactory, KeyFigureFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def french_draft(newsroom) -> Article:
    article = newsroom.draft_mine
    Article.objects.filter(pk=article.pk).update(language="fr")
    article.refresh_from_db()
    return article


def test_a_claim_names_who_makes_it_and_whose_answer_its_status_reports(newsroom):
    reporter = EntityFactory(name="The Information", kind="organisation")
    company = EntityFactory(name="OpenAI", kind="organisation")
    article = french_draft(newsroom)

    response = patch(
        newsroom.reporter_a,
        article,
        {
            "claims": [
                {
                    "text": "OpenAI négocierait une levée de fonds.",
                    "status": "partially_confirmed",
                    "attributed_to": reporter.pk,
                    "responded_by": company.pk,
                    "sourcing": "other_outlet",
                },
                {"text": "Microsoft n'a pas commenté.", "status": "no_comment"},
            ]
        },
    )

    assert response.status_code == 200, response.content
    claims = response.json()["claims"]
    assert claims[0]["responded_by"]["name"] == "OpenAI"
    assert claims[0]["attributed_to"]["name"] == "The Information"
    assert claims[0]["status_display"] == "Ni entièrement confirmé ni démenti"
    assert claims[1]["status_display"] == "A refusé de commenter"
    assert Claim.objects.get(article=article, order=0).responded_by_id == company.pk


def test_a_claim_answered_by_an_entity_that_does_not_exist_is_a_400_naming_the_item(newsroom):
    response = patch(
        newsroom.reporter_a,
        newsroom.draft_mine,
        {"claims": [{"text": "A claim.", "status": "no_comment", "responded_by": 999_999}]},
    )

    assert response.status_code == 400
    assert "claims[0].responded_by" in response.json()
    assert not Claim.objects.filter(article=newsroom.draft_mine).exists()


@pytest.mark.parametrize(
    ("language", "outlet", "anonymous"),
    [("fr", "Autre publication", "Sources anonymes"), ("en", "Another publication", None)],
)
def test_source_roles_carry_a_label_in_the_articles_language(newsroom, language, outlet, anonymous):
    article = newsroom.draft_mine
    Article.objects.filter(pk=article.pk).update(language=language)
    article.refresh_from_db()

    response = patch(
        newsroom.reporter_a,
        article,
        {
            "sources": [
                {"name": "The Information", "role": "outlet"},
                {"name": "selon certaines informations", "role": "anonymous"},
            ]
        },
    )

    assert response.status_code == 200, response.content
    sources = response.json()["sources"]
    assert sources[0]["role_display"] == outlet
    assert sources[1]["role_display"] == (anonymous or "Anonymous sources")


def test_an_approximate_figure_reads_about_or_environ_per_language(newsroom):
    article = french_draft(newsroom)

    response = patch(
        newsroom.reporter_a,
        article,
        {
            "key_figures": [
                {"label": "Part de marché", "value": "70", "unit": "percent", "approximate": True},
                {"label": "Levée", "value": "7000000000000", "unit": "USD"},
            ]
        },
    )

    assert response.status_code == 200, response.content
    figures = response.json()["key_figures"]
    assert figures[0]["approximate"] is True
    assert figures[0]["display"] == f"environ 70{NBSP}%"
    assert figures[1]["display"] == f"7{NBSP}000 milliards de dollars"
    assert figures[1]["unit_display"] == "dollar des États-Unis"
    assert figures[0]["unit_display"] == "pour cent (%)"
    assert KeyFigure.objects.get(article=article, order=0).display("en") == "about 70%"


@pytest.mark.parametrize("unit", ["dollars américains", "usd", "Percent", "furlongs"])
def test_a_unit_outside_the_list_is_a_400_naming_the_item_and_nothing_is_saved(newsroom, unit):
    response = patch(
        newsroom.reporter_a,
        newsroom.draft_mine,
        {
            "key_figures": [
                {"label": "Share", "value": "70", "unit": "percent"},
                {"label": "Funding", "value": "7000000000000", "unit": unit},
            ]
        },
    )

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["key_figures[1].unit"]
    assert "ISO 4217" in errors["key_figures[1].unit"][0]
    assert not KeyFigure.objects.filter(article=newsroom.draft_mine).exists()


@pytest.mark.parametrize("unit", ["", "EUR", "CHF", "XOF", "percent", "people", "tonnes", "GW"])
def test_currency_codes_and_the_units_of_the_list_are_accepted(newsroom, unit):
    response = patch(
        newsroom.reporter_a,
        newsroom.draft_mine,
        {"key_figures": [{"label": "Figure", "value": "12", "unit": unit}]},
    )

    assert response.status_code == 200, response.content
    assert KeyFigure.objects.get(article=newsroom.draft_mine).unit == unit


def test_the_migration_maps_free_text_units_and_leaves_the_unknown_ones(db):
    module = __import__(
        "articles.migrations.0014_key_figure_units_from_free_text", fromlist=["map_units"]
    )
    figures = {
        text: KeyFigureFactory(value=Decimal("7000000000000"), unit="USD")
        for text in ["dollars américains", "Euros", "%", "t", "usd", "personnes", "furlongs"]
    }
    for text, figure in figures.items():
        KeyFigure.objects.filter(pk=figure.pk).update(unit=text)

    module.map_units(apps, None)

    units = {text: KeyFigure.objects.get(pk=f.pk).unit for text, f in figures.items()}
    assert units == {
        "dollars américains": "USD",
        "Euros": "EUR",
        "%": "percent",
        "t": "tonnes",
        "usd": "USD",
        "personnes": "people",
        "furlongs": "furlongs",
    }
    figure = KeyFigure.objects.get(pk=figures["dollars américains"].pk)
    assert figure.display("fr") == f"7{NBSP}000 milliards de dollars"
