"""The public read API's article detail: its shape, lookup by id or slug, translations, 404s."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from articles.models import Article, Claim, Entity, KeyDate
from articles.services import followups as services
from tests.articles.api_helpers import HOUR, LIST
from tests.articles.conftest import client_for
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    CorrectionFactory,
    EntityFactory,
    FollowUpFactory,
    KeyDateFactory,
    KeyFigureFactory,
    PublishedArticleFactory,
    QuoteFactory,
    ScheduledArticleFactory,
    SourceFactory,
    UserFactory,
    full_article,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


# --- Detail ----------------------------------------------------------------------------------

DOCUMENTED_FIELDS = {
    "id",
    "slug",
    "language",
    "headline",
    "standfirst",
    "body",
    "status",
    "published_at",
    "updated_at",
    "version",
    "authors",
    "desk",
    "tags",
    "source_note",
    "mentions",
    "claims",
    "quotes",
    "key_figures",
    "key_dates",
    "sources",
    "corrections",
    "translations",
}


def test_the_detail_has_every_documented_field_with_its_shape(api_client):
    author = UserFactory(first_name="Camille", last_name="Durand")
    article = full_article(language="fr", authors=[author], source_note="selon la presse")
    person = EntityFactory(name="Léa Morel", kind=Entity.Kind.PERSON, wikidata_id="Q42")
    QuoteFactory(article=article, speaker=person, speaker_label="", order=5)
    KeyFigureFactory(
        article=article, label="Part", value=Decimal(70), value_high=Decimal(95), unit="percent"
    )
    response = api_client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert DOCUMENTED_FIELDS <= set(data)

    assert data["id"] == article.pk
    assert data["slug"] == article.slug
    assert data["language"] == "fr"
    assert data["status"] == "published"
    assert data["body"] == "<p>The company neither confirmed nor denied.</p>"
    assert data["source_note"] == "selon la presse"
    assert isinstance(data["version"], int)
    for stamp in ("published_at", "updated_at"):
        assert datetime.datetime.fromisoformat(data[stamp]).tzinfo is not None
    assert data["authors"] == [{"id": author.pk, "name": "Camille Durand"}]
    assert set(data["desk"]) == {"id", "name", "slug"}
    assert [set(t) for t in data["tags"]] == [{"name", "slug"}]

    [mention] = data["mentions"]
    assert mention["role"] == "subject"
    assert set(mention["entity"]) == {"id", "name", "kind", "wikidata_id"}

    [claim] = data["claims"]
    assert claim["status"] == Claim.Status.NEITHER
    assert claim["status_display"] == "Ni confirmé ni démenti"  # the article is in French
    assert set(claim) >= {"text", "attributed_to", "sourcing", "as_of"}
    assert claim["attributed_to"]["id"] == article.claims.get().attributed_to_id

    unnamed, named = data["quotes"]
    assert unnamed["speaker"] is None
    assert unnamed["speaker_label"] == "a spokesperson"
    assert unnamed["speaker_organisation"]["kind"] == "organisation"
    assert named["speaker"] == {
        "id": person.pk,
        "name": "Léa Morel",
        "kind": "person",
        "wikidata_id": "Q42",
    }

    money, share = data["key_figures"]
    assert money["display"] == f"7{NBSP}000 milliards de dollars"
    assert money["value"] == "7000000000000"
    assert money["value_high"] is None
    assert money["unit"] == "USD"
    assert share["display"] == f"70–95{NBSP}%"
    assert (share["value"], share["value_high"]) == ("70", "95")

    [key_date] = data["key_dates"]
    assert key_date == {
        "date": "2023-09-01",
        "precision": "month",
        "label": "Talks begin",
        "display": "septembre 2023",
    }
    [source] = data["sources"]
    assert source == {
        "name": "Business press",
        "role": "original_reporter",
        "role_display": "Média à l'origine de l'information",
        "url": None,
    }
    [correction] = data["corrections"]
    assert correction["text"] == "An earlier version misspelt the company's name."
    assert datetime.datetime.fromisoformat(correction["corrected_at"]).tzinfo is not None
    assert data["translations"] == []


def test_the_detail_renders_figures_and_dates_in_english_for_an_english_article(api_client):
    article = PublishedArticleFactory(language="en")
    KeyFigureFactory(article=article)
    KeyDateFactory(article=article, precision=KeyDate.Precision.DAY)
    data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["key_figures"][0]["display"] == "$7 trillion"
    assert data["key_dates"][0]["display"] == "1 September 2023"


def test_claims_attributed_to_nobody_render_as_null(api_client):
    article = PublishedArticleFactory()
    ClaimFactory(article=article, attributed_to=None, status=Claim.Status.DISPUTED)
    SourceFactory(article=article, url="https://example.org/doc")
    CorrectionFactory(article=article)
    data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["claims"][0]["attributed_to"] is None
    assert data["claims"][0]["status"] == "disputed"
    assert data["sources"][0]["url"] == "https://example.org/doc"


@pytest.mark.parametrize("role", ["anonymous", "editor_a"])
def test_claim_labels_follow_the_articles_language_not_the_first_readers(newsroom, role):
    french = PublishedArticleFactory(desk=newsroom.desk_a, language="fr")
    ClaimFactory(article=french, status=Claim.Status.NEITHER)
    client = client_for(newsroom.user(role))

    client.get(f"/api/v1/articles/{french.pk}/", HTTP_ACCEPT_LANGUAGE="en")  # builds it
    response = client_for(None).get(f"/api/v1/articles/{french.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    desk = client_for(newsroom.editor_a).get(
        f"/api/v1/articles/{french.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.json()["claims"][0]["status_display"] == "Ni confirmé ni démenti"
    assert desk.json()["claims"][0]["status_display"] == "Ni confirmé ni démenti"


def test_the_detail_is_found_by_slug(api_client):
    article = PublishedArticleFactory(slug="novalys-chips", language="en")
    response = api_client.get("/api/v1/articles/novalys-chips/")
    assert response.status_code == 200
    assert response.json()["id"] == article.pk


def test_a_slug_in_two_languages_needs_the_language_parameter(api_client):
    french = PublishedArticleFactory(slug="novalys", language="fr")
    english = PublishedArticleFactory(slug="novalys", language="en")
    ambiguous = api_client.get("/api/v1/articles/novalys/")
    assert ambiguous.status_code == 400
    assert list(ambiguous.json()) == ["language"]
    assert "en, fr" in ambiguous.json()["language"][0]
    assert api_client.get("/api/v1/articles/novalys/?language=fr").json()["id"] == french.pk
    assert api_client.get("/api/v1/articles/novalys/?language=en").json()["id"] == english.pk
    assert api_client.get("/api/v1/articles/novalys/?language=de").status_code == 404


def test_a_slug_in_one_live_language_needs_no_parameter(api_client):
    live = PublishedArticleFactory(slug="novalys", language="fr")
    ArticleFactory(slug="novalys", language="en")  # a draft does not make it ambiguous
    assert api_client.get("/api/v1/articles/novalys/").json()["id"] == live.pk


def test_a_malformed_language_on_a_slug_is_a_400_naming_it(api_client):
    PublishedArticleFactory(slug="novalys", language="fr")
    response = api_client.get("/api/v1/articles/novalys/?language=fr_FR")
    assert response.status_code == 400
    assert list(response.json()) == ["language"]


def test_an_article_whose_headline_is_a_number_is_found_by_its_slug(api_client):
    article = PublishedArticleFactory(slug="", headline="2024")
    response = api_client.get(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 200
    assert response.json()["id"] == article.pk


@pytest.mark.parametrize(
    "path", ["/api/v1/articles/999999/", "/api/v1/articles/no-such-slug/", "/api/v1/nothing/"]
)
def test_an_unknown_article_is_a_json_404(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "make",
    [
        lambda: ArticleFactory(slug="hidden"),
        lambda: ScheduledArticleFactory(slug="hidden"),
        lambda: PublishedArticleFactory(slug="hidden", status=Article.Status.RETRACTED),
        lambda: PublishedArticleFactory(slug="hidden", embargo_until=timezone.now() + HOUR),
    ],
    ids=["draft", "scheduled", "retracted", "embargoed"],
)
def test_an_article_the_public_may_not_see_is_a_404_by_id_and_by_slug(api_client, make):
    article = make()
    assert api_client.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert api_client.get("/api/v1/articles/hidden/").status_code == 404


def test_translations_link_both_ways_and_only_to_live_articles(api_client):
    original = PublishedArticleFactory(language="fr", slug="novalys")
    english = PublishedArticleFactory(language="en", slug="novalys", translation_of=original)
    german = PublishedArticleFactory(language="de", slug="novalys-de", translation_of=original)
    ArticleFactory(language="es", slug="novalys-es", translation_of=original)  # a draft

    def translations(article):
        data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
        return [(t["id"], t["language"]) for t in data["translations"]]

    assert translations(original) == [(german.pk, "de"), (english.pk, "en")]
    assert translations(english) == [(german.pk, "de"), (original.pk, "fr")]
    assert translations(german) == [(english.pk, "en"), (original.pk, "fr")]
    item = api_client.get(f"/api/v1/articles/{english.pk}/").json()["translations"][1]
    assert item == {
        "id": original.pk,
        "slug": "novalys",
        "language": "fr",
        "headline": original.headline,
    }


# --- Robustness and labels (issue 9) ------------------------------------------------------------


def test_a_desk_member_reads_an_article_that_has_a_translation(newsroom):
    english = newsroom.published_a
    french = PublishedArticleFactory(desk=newsroom.desk_a, language="fr", translation_of=english)

    response = client_for(newsroom.editor_a).get(f"/api/v1/articles/{english.pk}/")

    assert response.status_code == 200, response.content
    assert response.json()["translations"] == [
        {"id": french.pk, "slug": french.slug, "language": "fr", "headline": french.headline}
    ]


def test_the_desks_followups_say_which_live_article_continued_the_story_as_the_publics_do(
    newsroom,
):
    # The desk's detail is the public one plus its own fields: the documented shape of both.
    article = newsroom.published_a
    sequel = PublishedArticleFactory(desk=newsroom.desk_a)
    done = services.followup_done(followup=FollowUpFactory(article=article), followed_up_by=sequel)
    watched = FollowUpFactory(article=article)

    desk = client_for(newsroom.editor_a).get(f"/api/v1/articles/{article.pk}/").json()
    public = client_for(None).get(f"/api/v1/articles/{article.pk}/").json()

    continued = {
        "id": sequel.pk,
        "slug": sequel.slug,
        "language": "en",
        "headline": sequel.headline,
    }
    assert [(f["id"], f["followed_up_by"]) for f in desk["followups"]] == [
        (done.pk, continued),
        (watched.pk, None),
    ]
    assert [f["followed_up_by"] for f in public["followups"]] == [continued, None]


def test_the_api_is_read_only_for_the_public(api_client):
    article = PublishedArticleFactory()
    assert api_client.post(LIST, {"headline": "x"}).status_code in (401, 403)
    assert api_client.delete(f"/api/v1/articles/{article.pk}/").status_code in (401, 403)
    assert Article.objects.filter(pk=article.pk).exists()
