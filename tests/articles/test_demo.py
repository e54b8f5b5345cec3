"""The demo content: two published articles with full metadata, loaded any number of times."""

import pytest
from django.core.management import call_command

from articles import demo
from articles.models import (
    Article,
    ArticleAuthor,
    Claim,
    Entity,
    KeyDate,
    KeyFigure,
    Mention,
    Quote,
    Source,
    Tag,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


METADATA = (Article, ArticleAuthor, Entity, Tag, Mention, Claim, Quote, KeyFigure, KeyDate, Source)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in METADATA}


@pytest.fixture
def loaded(capsys) -> dict[str, Article]:
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert out.count("demo article [fr]") == 2
    assert out.count("demo article [en]") == 2
    return {a.language: a for a in Article.objects.all()}


def test_loading_the_demo_again_duplicates_nothing(capsys):
    call_command("load_demo")
    first = row_counts()
    call_command("load_demo")
    assert row_counts() == first
    assert first["Article"] == 2


def test_the_demo_articles_carry_the_metadata_of_their_spec(loaded):
    assert set(loaded) == {"fr", "en"}
    assert Entity.objects.filter(name__in=[e[0] for e in demo.ENTITIES.values()]).count() == len(
        demo.ENTITIES
    )
    for spec in demo.ARTICLES:
        article = loaded[spec["language"]]
        assert article.slug == spec["slug"]
        assert ArticleAuthor.objects.filter(article=article).count() == 1
        assert Mention.objects.filter(article=article).count() == 5
        assert Claim.objects.filter(article=article).count() == len(spec["claims"])
        assert Quote.objects.filter(article=article).count() == 1
        assert KeyFigure.objects.filter(article=article).count() == len(spec["figures"])
        assert KeyDate.objects.filter(article=article).count() == len(spec["dates"])
        assert Source.objects.filter(article=article).count() == 1
        assert sorted(article.tags.values_list("name", flat=True)) == sorted(spec["tags"])


def test_both_demo_articles_are_published_and_live(loaded):
    for article in loaded.values():
        assert article.status == Article.Status.PUBLISHED
        assert article.is_live()
        assert article.source_note
    assert loaded["en"].translation_of == loaded["fr"]


def test_the_french_demo_article_renders_its_figures_and_dates_in_french(loaded):
    french = loaded["fr"]
    figures = [f.display("fr") for f in french.key_figures.all()]
    assert figures == [f"7{NBSP}000 milliards de dollars", f"70–95{NBSP}%"]
    dates = list(french.key_dates.all())
    assert [d.precision for d in dates] == [KeyDate.Precision.MONTH] * 2
    assert [d.display("fr") for d in dates] == ["septembre 2023", "janvier 2024"]


def test_the_english_demo_article_renders_its_figures_and_dates_in_english(loaded):
    english = loaded["en"]
    assert [f.display("en") for f in english.key_figures.all()] == ["$7 trillion", "70–95%"]
    assert [d.display("en") for d in english.key_dates.all()] == ["September 2023", "January 2024"]


def test_the_demo_quotes_an_unnamed_spokesperson(loaded):
    quote = loaded["fr"].quotes.get()
    assert quote.speaker is None
    assert quote.speaker_label == "une porte-parole"
    assert quote.speaker_organisation.name == "Novalys"
    assert loaded["en"].quotes.get().speaker_label == "a spokesperson"


def test_the_demo_claims_are_in_several_statuses(loaded):
    for article in loaded.values():
        statuses = set(article.claims.values_list("status", flat=True))
        assert Claim.Status.NEITHER in statuses
        assert len(statuses) >= 3


def test_the_demo_articles_are_served_by_the_api(loaded, api_client):
    response = api_client.get("/api/v1/articles/novalys-veut-ses-propres-puces-ia/")
    assert response.status_code == 200
    data = response.json()
    assert data["key_figures"][0]["display"] == f"7{NBSP}000 milliards de dollars"
    assert data["quotes"][0]["speaker_label"] == "une porte-parole"
    assert [t["language"] for t in data["translations"]] == ["en"]
    listed = api_client.get("/api/v1/articles/").json()["results"]
    assert {a["language"] for a in listed} == {"fr", "en"}


def test_reloading_the_demo_keeps_the_publication_time(capsys):
    call_command("load_demo")
    first = {a.pk: a.published_at for a in Article.objects.all()}
    call_command("load_demo")
    assert {a.pk: a.published_at for a in Article.objects.all()} == first
