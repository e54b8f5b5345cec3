"""Search on PostgreSQL: accents, elisions, each article's own language, relevance order."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import PublishedArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LIST = "/api/v1/articles/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def hours_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=n)


def test_a_word_without_its_accents_finds_the_accented_word(api_client):
    french = PublishedArticleFactory(
        language="fr", headline="L'économie ralentit", standfirst="", body="<p>Le café.</p>"
    )
    english = PublishedArticleFactory(
        language="en", headline="A café’s résumé", standfirst="", body="<p>Nothing.</p>"
    )
    assert ids(api_client.get(LIST, {"q": "economie", "language": "fr"})) == [french.pk]
    assert ids(api_client.get(LIST, {"q": "Économie"})) == [french.pk]
    assert ids(api_client.get(LIST, {"q": "cafe", "language": "en"})) == [english.pk]
    assert ids(api_client.get(LIST, {"q": "resume"})) == [english.pk]


def test_an_elided_word_is_found_with_or_without_its_article(api_client):
    straight = PublishedArticleFactory(
        language="fr",
        headline="L'IA arrive dans les rédactions",
        published_at=hours_ago(1),
    )
    curly = PublishedArticleFactory(
        language="fr",
        headline="Ce que l’IA change pour l’économie",
        published_at=hours_ago(2),
    )
    PublishedArticleFactory(language="fr", headline="Le budget est présenté")
    for q in ["IA", "l'IA", "l’IA", "L'ia"]:
        assert ids(api_client.get(LIST, {"q": q, "language": "fr"})) == [straight.pk, curly.pk]
    assert ids(api_client.get(LIST, {"q": "d'économie", "language": "fr"})) == [curly.pk]


def test_each_article_is_searched_in_its_own_language(api_client):
    french = PublishedArticleFactory(
        language="fr",
        headline="Les marchés financiers reculent",
        standfirst="",
        body="<p>Recul.</p>",
        published_at=hours_ago(1),
    )
    english = PublishedArticleFactory(
        language="en",
        headline="Markets fall again",
        standfirst="",
        body="<p>Down.</p>",
        published_at=hours_ago(2),
    )
    # French stemming finds "marchés" from "marché"; English finds "markets" from "market".
    assert ids(api_client.get(LIST, {"q": "marché", "language": "fr"})) == [french.pk]
    assert ids(api_client.get(LIST, {"q": "market", "language": "en"})) == [english.pk]
    assert ids(api_client.get(LIST, {"q": "market", "language": "fr"})) == []
    assert ids(api_client.get(LIST, {"q": "marché market"})) == []  # both words, one article
    assert ids(api_client.get(LIST, {"q": "marché or market"})) == [french.pk, english.pk]


def test_relevance_order_ranks_the_closest_matches_first_and_pages_through_them(api_client):
    newest_passing = PublishedArticleFactory(
        language="en",
        headline="Council meeting",
        standfirst="",
        body="<p>A tramway was mentioned once.</p>",
        published_at=hours_ago(1),
    )
    older_about_it = PublishedArticleFactory(
        language="en",
        headline="The tramway opens",
        standfirst="The tramway is ready.",
        body="<p>The tramway, the tramway line and the tramway depot.</p>",
        published_at=hours_ago(5),
    )
    middle = PublishedArticleFactory(
        language="en",
        headline="Tramway delays",
        standfirst="",
        body="<p>Works.</p>",
        published_at=hours_ago(3),
    )
    query = {"q": "tramway", "language": "en"}
    assert ids(api_client.get(LIST, query)) == [
        newest_passing.pk,
        middle.pk,
        older_about_it.pk,
    ]
    ranked = ids(api_client.get(LIST, query | {"order": "relevance"}))
    assert ranked[0] == older_about_it.pk
    assert ranked[-1] == newest_passing.pk
    assert sorted(ranked) == sorted([newest_passing.pk, middle.pk, older_about_it.pk])

    first = api_client.get(LIST, query | {"order": "relevance", "page_size": 2}).json()
    assert first["previous"] is None
    second = api_client.get(first["next"]).json()
    assert [item["id"] for item in first["results"] + second["results"]] == ranked
    assert second["next"] is None
    assert api_client.get(second["previous"]).json() == first


def test_a_bad_order_or_relevance_cursor_is_a_400_naming_the_parameter(api_client):
    PublishedArticleFactory(language="en", headline="Tramway")
    response = api_client.get(LIST, {"q": "tramway", "order": "loudest"})
    assert response.status_code == 400
    assert "order" in response.json()
    response = api_client.get(LIST, {"q": "tramway", "order": "relevance", "cursor": "bm9wZQ"})
    assert response.status_code == 400
    assert "cursor" in response.json()
