"""The public read API's entities: their article counts, detail, search, filters and errors."""

import pytest
from django.utils import timezone

from articles.models import Entity, Mention
from tests.articles.api_helpers import HOUR, hours_ago
from tests.factories import (
    ArticleFactory,
    EntityFactory,
    MentionFactory,
    PublishedArticleFactory,
)

pytestmark = pytest.mark.django_db


# --- Entities --------------------------------------------------------------------------------


def test_entities_count_only_live_articles(api_client):
    novalys = EntityFactory(name="Novalys")
    arcturus = EntityFactory(name="Arcturus")
    live = PublishedArticleFactory()
    MentionFactory(article=live, entity=novalys, role=Mention.Role.SUBJECT)
    MentionFactory(article=live, entity=novalys, role=Mention.Role.SOURCE)
    MentionFactory(article=PublishedArticleFactory(), entity=novalys)
    MentionFactory(article=ArticleFactory(), entity=novalys)
    MentionFactory(
        article=PublishedArticleFactory(embargo_until=timezone.now() + HOUR), entity=novalys
    )
    MentionFactory(article=ArticleFactory(), entity=arcturus)
    response = api_client.get("/api/v1/entities/")
    assert response.status_code == 200
    counts = {e["name"]: e["article_count"] for e in response.json()["results"]}
    assert counts == {"Arcturus": 0, "Novalys": 2}


def test_an_entity_detail_lists_the_live_articles_that_mention_it(api_client):
    entity = EntityFactory(name="Novalys", aliases=["Novalys AI"], wikidata_id="Q123")
    newer = PublishedArticleFactory(published_at=hours_ago(1))
    older = PublishedArticleFactory(published_at=hours_ago(2))
    draft = ArticleFactory()
    for article in (older, newer, draft):
        MentionFactory(article=article, entity=entity)
    response = api_client.get(f"/api/v1/entities/{entity.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Novalys"
    assert data["aliases"] == ["Novalys AI"]
    assert data["wikidata_id"] == "Q123"
    assert data["article_count"] == 2
    assert [a["id"] for a in data["articles"]] == [newer.pk, older.pk]


def test_entities_can_be_searched_and_filtered_by_kind(api_client):
    EntityFactory(name="Novalys", kind=Entity.Kind.ORGANISATION)
    EntityFactory(name="Léa Morel", kind=Entity.Kind.PERSON)
    by_name = api_client.get("/api/v1/entities/?q=nova").json()["results"]
    by_kind = api_client.get("/api/v1/entities/?kind=person").json()["results"]
    assert [e["name"] for e in by_name] == ["Novalys"]
    assert [e["name"] for e in by_kind] == ["Léa Morel"]


def test_a_bad_entity_kind_is_a_400_naming_it(api_client):
    response = api_client.get("/api/v1/entities/?kind=robot")
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


@pytest.mark.parametrize("path", ["/api/v1/entities/999999/", "/api/v1/entities/abc/"])
def test_an_unknown_entity_is_a_json_404(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("parameter", ["limit", "offset"])
def test_an_entities_limit_or_offset_beyond_a_bigint_is_a_400_naming_it(api_client, parameter):
    response = api_client.get("/api/v1/entities/", {parameter: str(2**63)})
    assert response.status_code == 400
    assert parameter in response.json()
    # Not a whole number in ASCII digits: refused the same way (newsroom.params), never a 500.
    odd = api_client.get("/api/v1/entities/", {parameter: "²"})
    assert odd.status_code == 400
    assert parameter in odd.json()
