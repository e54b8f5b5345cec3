"""Query parameters are what the schema says they are: one value of their type, or a 400 naming
the parameter (newsroom.params, newsroom.filters, newsroom.pagination)."""

import pytest

from tests.articles.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("status=", "status"),
        ("updated_since=", "updated_since"),
        ("q=", "q"),
        ("status=draft&status=published", "status"),
        ("entity=1.5", "entity"),
        ("entity=0", "entity"),
        ("page_size=5&page_size=6", "page_size"),
        ("cursor=a&cursor=b", "cursor"),
    ],
)
def test_an_empty_repeated_or_mistyped_article_filter_is_a_400_naming_it(
    newsroom, query, parameter
):
    response = client_for(newsroom.editor_a).get(f"/api/v1/articles/?{query}")

    assert response.status_code == 400, response.content
    assert list(response.json()) == [parameter]


def test_a_repeated_language_on_the_public_list_is_a_400_naming_it(newsroom):
    response = client_for(None).get("/api/v1/articles/?language=fr&language=en")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["language"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=5&limit=6", "limit"),
        ("limit=", "limit"),
        ("offset=-1", "offset"),
        ("offset=x", "offset"),
        ("mine=maybe", "mine"),
        ("mine=", "mine"),
        ("article=1e3", "article"),
        ("status=", "status"),
    ],
)
def test_an_empty_repeated_or_mistyped_followup_parameter_is_a_400_naming_it(
    newsroom, query, parameter
):
    response = client_for(newsroom.admin).get(f"/api/v1/followups/?{query}")

    assert response.status_code == 400, response.content
    assert list(response.json()) == [parameter]


def test_a_limit_above_the_maximum_is_brought_down_to_it(newsroom):
    response = client_for(newsroom.admin).get("/api/v1/entities/?limit=5000")

    assert response.status_code == 200, response.content
    assert "limit=1000" in (response.json()["next"] or "limit=1000")


def test_the_images_format_filter_refuses_an_empty_value(newsroom):
    response = client_for(newsroom.admin).get("/api/v1/images/?format=")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["format"]


def test_a_repeated_revisions_limit_is_a_400_naming_it(newsroom):
    article = newsroom.draft_mine
    response = client_for(newsroom.editor_a).get(
        f"/api/v1/articles/{article.pk}/revisions/?limit=5&limit=6"
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["limit"]


# A tag of the BCP 47 shape, longer than the 35 characters the schema (and Article.language) allow.
TOO_LONG = "fr" + "-abcdefgh" * 4


@pytest.mark.parametrize(
    "query",
    ["language=", "language=x", f"language={TOO_LONG}", "language=fr&language=en"],
)
@pytest.mark.parametrize(
    ("role", "suffix"),
    [
        ("anonymous", ""),
        ("editor_a", ""),
        ("anonymous", "ninjs/"),
        ("editor_a", "ninjs/"),
        ("anonymous", "jsonld/"),
        ("editor_a", "revisions/"),
    ],
)
def test_a_bad_language_on_an_article_address_by_id_is_a_400_naming_it(
    newsroom, role, suffix, query
):
    article = newsroom.published_a
    response = client_for(newsroom.user(role)).get(
        f"/api/v1/articles/{article.pk}/{suffix}?{query}"
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["language"]


def test_a_workflow_action_with_a_bad_language_is_refused_before_it_changes_anything(newsroom):
    article = newsroom.published_a
    response = client_for(newsroom.editor_a).post(
        f"/api/v1/articles/{article.pk}/retract/?language=%F0%B5%A8%89",
        {"reason": "Wrong figures"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["language"]
    article.refresh_from_db()
    assert article.status == article.Status.PUBLISHED


def test_an_article_address_by_slug_takes_a_language_of_at_most_35_characters(newsroom):
    response = client_for(None).get(f"/api/v1/articles/live-a/?language={TOO_LONG}")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["language"]
