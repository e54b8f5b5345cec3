"""The write API's robustness: every bad input a JSON 400 naming the field, nothing half-saved
(issue 9).
"""

import json

import pytest

from tests.articles.api_helpers import detail_url
from tests.articles.conftest import client_for
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


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
