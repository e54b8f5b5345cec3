import json

import pytest

from articles.models import Article, Claim, Mention
from tests.articles.conftest import client_for
from tests.factories import ClaimFactory, EntityFactory, PublishedArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def detail_url(article) -> str:
    return f"/api/v1/articles/{article.pk}/"


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


def test_patch_without_if_match_is_428_and_changes_nothing(newsroom):
    response = client_for(newsroom.reporter_a).patch(
        detail_url(newsroom.draft_mine), {"headline": "x"}, format="json"
    )

    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    newsroom.draft_mine.refresh_from_db()
    assert newsroom.draft_mine.version == 1


def test_patch_with_a_stale_if_match_is_412_with_the_current_version(newsroom):
    article = newsroom.draft_mine
    Article.objects.filter(pk=article.pk).update(version=4)

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article), {"headline": "x"}, format="json", HTTP_IF_MATCH='W/"3"'
    )

    assert response.status_code == 412
    assert response.json()["current_version"] == 4
    assert response["ETag"] == '"4"'
    article.refresh_from_db()
    assert (article.headline, article.version) != ("x", 5)


def test_the_detail_response_carries_the_etag_for_everyone(newsroom, api_client):
    response = api_client.get(detail_url(newsroom.published_a))

    assert response.status_code == 200
    assert response["ETag"] == f'"{newsroom.published_a.version}"'


def test_desk_members_read_their_desks_drafts_with_the_editor_note(newsroom):
    article = newsroom.draft_colleague
    Article.objects.filter(pk=article.pk).update(editor_note="Check the figures")

    response = client_for(newsroom.reporter_a).get(detail_url(article))

    assert response.status_code == 200
    assert response.json()["editor_note"] == "Check the figures"


def test_desk_members_list_their_desks_unpublished_work_and_live_articles(newsroom):
    response = client_for(newsroom.reporter_a).get("/api/v1/articles/")

    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["results"]}
    assert ids == {
        newsroom.draft_mine.pk,
        newsroom.draft_colleague.pk,
        newsroom.published_a.pk,
    }


def test_anonymous_readers_list_live_articles_only(newsroom, api_client):
    response = api_client.get("/api/v1/articles/")

    assert [item["id"] for item in response.json()["results"]] == [newsroom.published_a.pk]


def test_desk_members_filter_their_list_by_status_and_page_through_it(newsroom):
    client = client_for(newsroom.editor_a)

    drafts = client.get("/api/v1/articles/?status=draft&page_size=1")
    first = drafts.json()
    second = client.get(first["next"]).json()

    assert drafts.status_code == 200
    ids = [item["id"] for item in first["results"] + second["results"]]
    assert sorted(ids) == sorted([newsroom.draft_mine.pk, newsroom.draft_colleague.pk])
    assert second["next"] is None


def test_api_tokens_are_listed_and_revocable_in_the_admin(newsroom, client):
    from knox.models import AuthToken

    AuthToken.objects.create(user=newsroom.editor_a)
    client.force_login(newsroom.admin)

    response = client.get("/admin/knox/authtoken/")

    assert response.status_code == 200
    assert "editor_a" in response.content.decode()


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


# --- Robustness: every bad input a JSON 400 naming the field, nothing half-saved (issue 9) ----


def translated_pair(newsroom):
    english = newsroom.published_a
    french = PublishedArticleFactory(
        desk=newsroom.desk_a, authors=[newsroom.reporter_a], language="fr", translation_of=english
    )
    return english, french


def test_patching_an_article_with_a_translation_answers_200_with_the_translations(newsroom):
    english, french = translated_pair(newsroom)

    response = client_for(newsroom.editor_a).patch(
        detail_url(english),
        {"headline": "New headline"},
        format="json",
        HTTP_IF_MATCH=f'"{english.version}"',
    )

    assert response.status_code == 200, response.content
    assert response.json()["translations"] == [
        {"id": french.pk, "slug": french.slug, "language": "fr", "headline": french.headline}
    ]


def test_a_response_that_cannot_be_built_rolls_the_change_back(newsroom, monkeypatch):
    article = newsroom.draft_mine

    def broken(*args, **kwargs):
        return {"headline": object()}  # not JSON

    monkeypatch.setattr("articles.serializers.desk.article_editorial", broken)
    client = client_for(newsroom.reporter_a)
    client.raise_request_exception = False
    response = client.patch(
        detail_url(article),
        {"headline": "Never saved"},
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )

    assert response.status_code == 500
    article.refresh_from_db()
    assert article.headline != "Never saved"


@pytest.mark.parametrize(
    "field, value",
    [
        ("embargo_until", "2030-01-01T12:00:00+20:00"),
        ("embargo_until", "2030-01-01T12:99:00Z"),
        ("embargo_until", "2030-01-01T25:00"),
        ("embargo_until", "0001-01-01T00:00:00+01:00"),
    ],
)
def test_a_time_the_database_cannot_store_is_a_400_naming_the_field(newsroom, field, value):
    article = newsroom.draft_mine

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article), {field: value}, format="json", HTTP_IF_MATCH=f'"{article.version}"'
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]


@pytest.mark.parametrize(
    "payload, path",
    [
        (
            {"claims": [{"text": "x", "status": "confirmed", "as_of": "2030-01-01T00:00+20:00"}]},
            "claims[0].as_of",
        ),
        (
            {"quotes": [{"text": "x", "speaker_label": "y", "said_at": "2030-01-01T12:99Z"}]},
            "quotes[0].said_at",
        ),
        (
            {"corrections": [{"text": "x", "corrected_at": "2030-01-01T00:00-16:00"}]},
            "corrections[0].corrected_at",
        ),
    ],
)
def test_a_nested_time_out_of_range_is_a_400_naming_its_path(newsroom, payload, path):
    article = newsroom.draft_mine

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article), payload, format="json", HTTP_IF_MATCH=f'"{article.version}"'
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == [path]


def test_scheduling_at_an_offset_the_database_refuses_is_a_400(newsroom):
    response = client_for(newsroom.editor_a).post(
        f"{detail_url(newsroom.draft_mine)}schedule/",
        {"publish_at": "2030-01-01T12:00:00+20:00"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["publish_at"]


@pytest.mark.parametrize(
    "payload, path",
    [
        ({"tags": ["a\u0000"]}, "tags[0]"),
        ({"headline": "nul\u0000"}, "headline"),
        ({"claims": [{"text": "a\u0000", "status": "confirmed"}]}, "claims[0].text"),
        ({"language": "\ud800"}, "language"),
    ],
)
def test_text_the_database_cannot_store_is_a_400_naming_the_field(newsroom, payload, path):
    article = newsroom.draft_mine

    # Sent as JSON text: escapes such as \ud800 are what a client can send.
    response = client_for(newsroom.reporter_a).patch(
        detail_url(article),
        json.dumps(payload),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == [path]
    article.refresh_from_db()
    assert article.version == newsroom.draft_mine.version


def test_a_lone_surrogate_in_an_echoed_message_is_escaped_not_a_500():
    from newsroom.api import encodable

    assert encodable({"language": ["\ud800 is not a language code"]}) == {
        "language": ["\\ud800 is not a language code"]
    }


@pytest.mark.parametrize("name", ["claims", "sources", "highlight_boxes"])
def test_a_nested_list_longer_than_200_items_is_a_400_naming_the_list(newsroom, name):
    item = {
        "claims": {"text": "x", "status": "confirmed"},
        "sources": {"name": "x", "role": "original_reporter"},
        "highlight_boxes": {"items": [{"text": "x"}]},
    }[name]
    article = newsroom.draft_mine

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article),
        {name: [item] * 201},
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == [name]


def test_a_highlight_box_with_more_than_200_items_is_a_400_naming_its_path(newsroom):
    article = newsroom.draft_mine

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article),
        {"highlight_boxes": [{"items": [{"text": "x"}] * 201}]},
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["highlight_boxes[0].items"]


def test_a_body_over_a_million_characters_is_a_400_naming_the_body(newsroom):
    article = newsroom.draft_mine

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article),
        {"body": "x" * 1_000_001},
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["body"]


def test_an_if_match_of_unicode_digits_matches_nothing(newsroom):
    article = newsroom.draft_mine

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article), {"headline": "x"}, format="json", HTTP_IF_MATCH='"²"'
    )

    assert response.status_code == 412
