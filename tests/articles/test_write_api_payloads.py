"""Writing articles through the API: the nested payload, its validation, the byline, the slug."""

import pytest

from articles.models import Article, Claim, Mention
from tests.articles.api_helpers import detail_url
from tests.articles.conftest import client_for
from tests.factories import ClaimFactory, EntityFactory, TagFactory

pytestmark = pytest.mark.django_db


def new_article_payload(newsroom, entity, **overrides) -> dict:
    payload = {
        "headline": "Arcturus confirms talks on AI chips",
        "language": "en",
        "desk": newsroom.desk_a.pk,
        "standfirst": "A chip designer is said to be involved.",
        "body": "<p>Talks began in <strong>September</strong>.</p>",
        "mentions": [{"entity": entity.pk, "role": "subject"}],
        "claims": [
            {"text": "Talks have begun.", "status": "confirmed", "attributed_to": entity.pk},
            {"text": "A deal is close.", "status": "disputed"},
        ],
        "quotes": [{"text": "We are talking.", "speaker_label": "a spokesperson"}],
        "key_figures": [{"label": "Funding target", "value": "7000000000000", "unit": "USD"}],
        "key_dates": [{"date": "2023-09-01", "precision": "month", "label": "Talks begin"}],
        "sources": [{"name": "Business press", "role": "original_reporter"}],
    }
    payload.update(overrides)
    return payload


def test_a_reporter_creates_a_draft_with_nested_metadata_on_their_desk(newsroom, entity):
    response = client_for(newsroom.reporter_a).post(
        "/api/v1/articles/", new_article_payload(newsroom, entity), format="json"
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft"
    assert data["slug"] == "arcturus-confirms-talks-on-ai-chips"
    assert [a["id"] for a in data["authors"]] == [newsroom.reporter_a.pk]
    assert [c["status"] for c in data["claims"]] == ["confirmed", "disputed"]
    assert data["mentions"][0]["entity"]["id"] == entity.pk
    assert data["key_figures"][0]["display"]
    assert response["ETag"] == '"1"'
    article = Article.objects.get(pk=data["id"])
    assert article.claims.count() == 2


def test_the_body_is_cleaned_not_rejected(newsroom, entity):
    payload = new_article_payload(
        newsroom,
        entity,
        body='<p onclick="x()">Fine <em>text</em><script>alert(1)</script></p>',
    )
    response = client_for(newsroom.reporter_a).post("/api/v1/articles/", payload, format="json")

    assert response.status_code == 201
    assert response.json()["body"] == "<p>Fine <em>text</em></p>"


def test_validation_errors_name_the_path_into_the_nested_payload(newsroom, entity):
    payload = new_article_payload(newsroom, entity)
    payload["claims"].append({"text": "Third", "status": "probably"})
    payload["key_figures"] = [{"label": "Range", "value": "95", "value_high": "70"}]

    response = client_for(newsroom.reporter_a).post("/api/v1/articles/", payload, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["claims[2].status"]
    assert "probably" in errors["claims[2].status"][0]
    assert Article.objects.filter(headline=payload["headline"]).count() == 0


def test_model_rules_of_nested_items_are_reported_by_path_and_nothing_is_saved(newsroom, entity):
    payload = {
        "key_figures": [
            {"label": "Share", "value": "70"},
            {"label": "Range", "value": "95", "value_high": "70"},
        ],
        "quotes": [{"text": "Nobody said it."}],
        "headline": "Changed headline",
    }
    article = newsroom.draft_mine

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article), payload, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 400
    assert set(response.json()) == {"key_figures[1].value_high", "quotes[0].speaker_label"}
    article.refresh_from_db()
    assert article.headline != "Changed headline"
    assert article.version == 1
    assert article.key_figures.count() == 0


def test_a_nested_list_in_a_patch_replaces_the_stored_one(newsroom, entity):
    article = newsroom.draft_mine
    kept = ClaimFactory(article=article, text="Kept", status=Claim.Status.NEITHER, order=0)
    ClaimFactory(article=article, text="Dropped", order=1)

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article),
        {"claims": [{"text": "Kept", "status": "confirmed", "attributed_to": entity.pk}]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200, response.json()
    assert [(c.pk, c.status) for c in article.claims.all()] == [(kept.pk, Claim.Status.CONFIRMED)]
    assert response["ETag"] == '"2"'
    assert response.json()["version"] == 2


def test_fields_left_out_of_a_patch_stay_and_put_clears_them(newsroom, entity):
    article = newsroom.draft_mine
    Mention.objects.create(article=article, entity=entity, role="subject")
    article.tags.add(TagFactory(slug="chips"))
    client = client_for(newsroom.reporter_a)

    patched = client.patch(
        detail_url(article), {"standfirst": "New"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert patched.status_code == 200
    assert patched.json()["tags"] == [{"name": article.tags.get().name, "slug": "chips"}]
    assert len(patched.json()["mentions"]) == 1

    put = client.put(
        detail_url(article),
        {
            "headline": "Replaced",
            "language": "en",
            "desk": newsroom.desk_a.pk,
            "authors": [newsroom.reporter_a.pk],
        },
        format="json",
        HTTP_IF_MATCH='"2"',
    )
    assert put.status_code == 200, put.json()
    data = put.json()
    assert (data["headline"], data["standfirst"], data["tags"], data["mentions"]) == (
        "Replaced",
        "",
        [],
        [],
    )
    assert data["slug"] == "draft-mine"


def test_mentions_are_matched_by_entity_and_role_so_reordering_keeps_rows(newsroom):
    article = newsroom.draft_mine
    first, second = EntityFactory(), EntityFactory()
    a = Mention.objects.create(article=article, entity=first, role="subject", order=0)
    b = Mention.objects.create(article=article, entity=second, role="subject", order=1)

    response = client_for(newsroom.editor_a).patch(
        detail_url(article),
        {
            "mentions": [
                {"entity": second.pk, "role": "subject"},
                {"entity": first.pk, "role": "subject"},
            ]
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200
    assert [m.pk for m in article.mentions.all()] == [b.pk, a.pk]


def test_a_mention_listed_twice_is_refused_with_its_position(newsroom, entity):
    response = client_for(newsroom.editor_a).patch(
        detail_url(newsroom.draft_mine),
        {"mentions": [{"entity": entity.pk}, {"entity": entity.pk}]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 400
    assert list(response.json()) == ["mentions[1]"]


def test_an_unknown_entity_in_a_nested_item_is_a_400_with_its_path(newsroom):
    response = client_for(newsroom.editor_a).patch(
        detail_url(newsroom.draft_mine),
        {"claims": [{"text": "x", "status": "confirmed", "attributed_to": 999999}]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 400
    assert list(response.json()) == ["claims[0].attributed_to"]


def test_a_taken_slug_is_a_400_on_the_slug(newsroom, entity):
    payload = new_article_payload(newsroom, entity, slug="draft-mine")

    response = client_for(newsroom.reporter_a).post("/api/v1/articles/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["slug"]


def test_a_reporter_cannot_leave_themselves_out_of_their_byline(newsroom, entity):
    payload = new_article_payload(newsroom, entity, authors=[newsroom.colleague_a.pk])

    response = client_for(newsroom.reporter_a).post("/api/v1/articles/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["authors"]


def test_an_editor_sets_the_byline_in_order(newsroom, entity):
    payload = new_article_payload(
        newsroom, entity, authors=[newsroom.colleague_a.pk, newsroom.reporter_a.pk]
    )

    response = client_for(newsroom.editor_a).post("/api/v1/articles/", payload, format="json")

    assert response.status_code == 201
    assert [a["id"] for a in response.json()["authors"]] == [
        newsroom.colleague_a.pk,
        newsroom.reporter_a.pk,
    ]


def test_an_edit_cannot_break_the_publishing_rules_of_a_live_article(newsroom):
    article = newsroom.published_a

    response = client_for(newsroom.editor_a).patch(
        detail_url(article),
        {"authors": [], "body": ""},
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )

    assert response.status_code == 400
    assert set(response.json()) == {"authors", "body"}
    assert article.bylines.count() == 1
