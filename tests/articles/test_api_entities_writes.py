"""The entity registry through the API: desk members create, edit, merge and delete; ?q= finds
names and aliases without case or accents (articles.views.entities, articles.services.entities)."""

import pytest

from articles.models import ArticleDocument, Claim, Entity, Mention, Quote
from articles.readmodel import documents_build
from tests.articles.conftest import client_for
from tests.factories import (
    ClaimFactory,
    EntityFactory,
    FollowUpFactory,
    MentionFactory,
    PublishedArticleFactory,
    QuoteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/entities/"


def url(entity) -> str:
    return f"/api/v1/entities/{entity.pk}/"


def test_a_reporter_adds_an_entity_with_aliases_and_a_wikidata_id(newsroom):
    response = client_for(newsroom.reporter_a).post(
        LIST,
        {
            "name": "Société Générale",
            "kind": "organisation",
            "aliases": ["SocGen", "SG"],
            "wikidata_id": "Q270363",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Société Générale"
    assert body["aliases"] == ["SocGen", "SG"]
    assert body["wikidata_id"] == "Q270363"
    assert Entity.objects.get(pk=body["id"]).kind == "organisation"


@pytest.mark.parametrize("wikidata_id", ["95", "Q", "Q0", "q95", "Q95x"])
def test_a_malformed_wikidata_id_is_a_400_naming_the_field(newsroom, wikidata_id):
    response = client_for(newsroom.editor_a).post(
        LIST, {"name": "Nvidia", "kind": "organisation", "wikidata_id": wikidata_id}, "json"
    )

    assert response.status_code == 400
    assert "wikidata_id" in response.json()
    assert not Entity.objects.filter(name="Nvidia").exists()


@pytest.mark.parametrize(("field", "value"), [("description", -1396887), ("name", 3.5)])
def test_a_number_where_the_schema_says_text_is_a_400_naming_the_field(newsroom, field, value):
    # DRF would store it as its digits; the schema says a string, so the client is told.
    data = {"name": "Nvidia", "kind": "organisation", field: value}
    response = client_for(newsroom.editor_a).post(LIST, data, "json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not Entity.objects.filter(kind="organisation", description="-1396887").exists()


def test_a_form_encoded_entity_still_takes_digits_as_its_text(newsroom):
    data = {"name": "3M", "kind": "organisation", "description": "1902"}
    response = client_for(newsroom.editor_a).post(LIST, data)

    assert response.status_code == 201, response.content
    assert response.json()["description"] == "1902"


def test_a_wikidata_id_another_entity_has_is_refused_with_the_reason(newsroom):
    EntityFactory(name="Google", wikidata_id="Q95")

    response = client_for(newsroom.editor_a).post(
        LIST, {"name": "Google LLC", "kind": "organisation", "wikidata_id": "Q95"}, "json"
    )

    assert response.status_code == 400
    assert "merge" in response.json()["wikidata_id"][0]


def test_a_signed_in_reader_who_is_on_no_desk_may_not_add_entities_and_is_told_why(db):
    response = client_for(UserFactory()).post(
        LIST, {"name": "Nvidia", "kind": "organisation"}, "json"
    )

    assert response.status_code == 403
    assert "desk members" in response.json()["detail"]
    assert not Entity.objects.exists()


def test_anonymous_readers_read_entities_but_cannot_write(db):
    entity = EntityFactory(name="Arcturus")
    client = client_for(None)

    assert client.get(url(entity)).status_code == 200
    assert client.patch(url(entity), {"name": "X"}, format="json").status_code == 401
    assert client.delete(url(entity)).status_code == 401
    assert Entity.objects.get(pk=entity.pk).name == "Arcturus"


def test_a_patch_changes_the_name_and_refreshes_the_public_documents_showing_it(newsroom):
    article = PublishedArticleFactory(desk=newsroom.desk_a)
    entity = EntityFactory(name="Arcturus")
    MentionFactory(article=article, entity=entity)
    documents_build(article_ids=[article.pk])
    assert ArticleDocument.objects.filter(article=article).exists()

    response = client_for(newsroom.editor_a).patch(
        url(entity), {"name": "Arcturus Semiconductors", "aliases": ["Arcturus"]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["aliases"] == ["Arcturus"]
    assert not ArticleDocument.objects.filter(article=article).exists()
    public = client_for(None).get(f"/api/v1/articles/{article.pk}/").json()
    assert public["mentions"][0]["entity"]["name"] == "Arcturus Semiconductors"


def test_the_search_matches_aliases_without_regard_to_case_or_accents(db):
    societe = EntityFactory(name="Société Générale", aliases=["SocGen"])
    nvidia = EntityFactory(name="NVIDIA", aliases=["Nvidia Corporation"])
    EntityFactory(name="Arcturus")
    client = client_for(None)

    def found(q):
        response = client.get(LIST, {"q": q})
        assert response.status_code == 200
        return {item["id"] for item in response.json()["results"]}

    assert found("societe generale") == {societe.pk}
    assert found("SOCGEN") == {societe.pk}
    assert found("nvidia") == {nvidia.pk}
    assert found("corporation") == {nvidia.pk}
    assert found("générale\nsocgen") == set()


def test_an_entity_in_use_cannot_be_deleted_and_the_answer_says_what_uses_it(newsroom):
    entity = EntityFactory()
    MentionFactory(entity=entity)
    ClaimFactory(responded_by=entity)

    response = client_for(newsroom.reporter_a).delete(url(entity))

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "1 mentions" in detail and "1 claims" in detail
    assert Entity.objects.filter(pk=entity.pk).exists()


def test_an_unused_entity_is_deleted(newsroom):
    entity = EntityFactory()

    response = client_for(newsroom.reporter_a).delete(url(entity))

    assert response.status_code == 204
    assert not Entity.objects.filter(pk=entity.pk).exists()


def test_a_merge_moves_every_use_to_the_surviving_entity_and_keeps_the_names_as_aliases(
    newsroom,
):
    survivor = EntityFactory(name="OpenAI", aliases=["Open AI"])
    twin = EntityFactory(name="OpenAI Inc.", aliases=["OpenAI LP"], wikidata_id="Q21708200")
    article = PublishedArticleFactory(desk=newsroom.desk_a)
    other = PublishedArticleFactory(desk=newsroom.desk_a)
    MentionFactory(article=article, entity=survivor, role="subject")
    duplicate = MentionFactory(article=article, entity=twin, role="subject")
    moved = MentionFactory(article=other, entity=twin, role="mentioned")
    quote = QuoteFactory(article=article, speaker=None, speaker_organisation=twin)
    claim = ClaimFactory(article=article, attributed_to=twin, responded_by=twin)
    followup = FollowUpFactory(article=article)
    followup.entities.set([twin])
    documents_build(article_ids=[other.pk])

    response = client_for(newsroom.editor_a).post(
        f"{url(survivor)}merge/", {"entities": [twin.pk]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["aliases"] == ["Open AI", "OpenAI Inc.", "OpenAI LP"]
    assert not Entity.objects.filter(pk=twin.pk).exists()
    assert not Mention.objects.filter(pk=duplicate.pk).exists()
    assert Mention.objects.get(pk=moved.pk).entity_id == survivor.pk
    assert Quote.objects.get(pk=quote.pk).speaker_organisation_id == survivor.pk
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.attributed_to_id, claim.responded_by_id) == (survivor.pk, survivor.pk)
    assert list(followup.entities.all()) == [Entity.objects.get(pk=survivor.pk)]
    assert Entity.objects.get(pk=survivor.pk).wikidata_id == "Q21708200"
    assert not ArticleDocument.objects.filter(article=other).exists()
    found = client_for(None).get(LIST, {"q": "openai lp"}).json()["results"]
    assert [item["id"] for item in found] == [survivor.pk]


@pytest.mark.parametrize("merged", ["self", "unknown"])
def test_a_merge_with_a_bad_id_is_a_400_and_changes_nothing(newsroom, merged):
    survivor = EntityFactory(name="OpenAI")
    twin = EntityFactory(name="Open AI")
    mention = MentionFactory(entity=twin)
    ids = [twin.pk, survivor.pk] if merged == "self" else [twin.pk, 999_999]

    response = client_for(newsroom.editor_a).post(
        f"{url(survivor)}merge/", {"entities": ids}, format="json"
    )

    assert response.status_code == 400
    assert "entities" in response.json()
    assert Entity.objects.filter(pk=twin.pk).exists()
    assert Mention.objects.get(pk=mention.pk).entity_id == twin.pk


def test_staff_on_no_desk_may_edit_entities(db):
    staff = UserFactory(is_staff=True)
    entity = EntityFactory(name="Arcturus")

    response = client_for(staff).patch(url(entity), {"kind": "product"}, format="json")

    assert response.status_code == 200
    assert Entity.objects.get(pk=entity.pk).kind == "product"
