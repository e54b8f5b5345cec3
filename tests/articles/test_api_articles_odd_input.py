"""The public read API's answer to bad and odd input: a JSON 400 or 404 naming the parameter,
never a 500.
"""

import base64

import pytest

from tests.articles.api_helpers import LIST
from tests.articles.conftest import client_for
from tests.factories import (
    PublishedArticleFactory,
)

pytestmark = pytest.mark.django_db


# --- Bad query parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
        ("page_size=-5", "page_size"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2024-13-45T00:00:00Z", "updated_since"),
        ("entity=abc", "entity"),
        ("entity=0", "entity"),
        ("language=fran%C3%A7ais", "language"),
        ("language=fr_FR", "language"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=bz1hYmM%3D", "cursor"),  # "o=abc": not an offset
        ("q=" + "x" * 201, "q"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(api_client, query, parameter):
    PublishedArticleFactory()
    response = api_client.get(f"{LIST}?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == [parameter]
    assert body[parameter] and all(isinstance(m, str) and m for m in body[parameter])


def test_a_cursor_that_decodes_but_holds_a_bad_position_is_a_400_naming_it(api_client):
    PublishedArticleFactory()
    cursor = base64.b64encode(b"p=not-a-time").decode()
    response = api_client.get(LIST, {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/articles/?q=a%00b", 400, "q"),
        ("/api/v1/articles/?desk=a%00b", 400, "desk"),
        ("/api/v1/articles/?tag=a%00b", 400, "tag"),
        ("/api/v1/articles/?language=fr%00", 400, "language"),
        ("/api/v1/articles/?cursor=cD1hAGI%3D", 400, "cursor"),  # "p=a\0b"
        ("/api/v1/articles/?entity=99999999999999999999999", 400, "entity"),
        ("/api/v1/articles/?page_size=99999999999999999999", 400, "page_size"),
        ("/api/v1/entities/?q=a%00b", 400, "q"),
        ("/api/v1/articles/a%00b/", 404, "detail"),
        ("/api/v1/articles/a%00b/?language=fr", 404, "detail"),
        ("/api/v1/articles/99999999999999999999999/", 404, "detail"),
        ("/api/v1/entities/99999999999999999999999/", 404, "detail"),
        ("/api/v1/articles/?desk=99999999999999999999999", 200, "results"),
        ("/api/v1/articles/?q=%E2%80%AE%F0%9F%A4%96", 200, "results"),
    ],
)
def test_odd_input_is_a_clear_client_error_never_a_server_error(client, url, status, field):
    client.raise_request_exception = False
    PublishedArticleFactory(slug="ab", language="fr")
    response = client.get(url)
    assert response.status_code == status, response.content
    assert field in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/%C2%B2/",
        "/api/v1/articles/%E2%91%A0/",
        "/api/v1/articles/?desk=%C2%B2",
        "/api/v1/articles/?page_size=%C2%B2",
        "/api/v1/articles/?entity=%C2%B2",
        "/api/v1/entities/%C2%B2/",
        "/api/v1/entities/99999999999999999999/",
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "editor_a"])
def test_unicode_digits_in_an_id_or_a_number_never_answer_500(newsroom, url, role):
    response = client_for(newsroom.user(role)).get(url)

    assert response.status_code in (200, 400, 404), response.content
    assert response["Content-Type"] == "application/json"


def test_unicode_digits_in_the_revisions_limit_are_a_400_naming_it(newsroom):
    response = client_for(newsroom.editor_a).get(
        f"/api/v1/articles/{newsroom.draft_mine.pk}/revisions/?limit=%C2%B2"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


@pytest.mark.parametrize(
    "value", ["2030-01-01T00:00:00%2B20:00", "2030-01-01T12:99:00Z", "2030-01-01T25:00"]
)
def test_an_updated_since_out_of_range_is_a_400_naming_it(newsroom, value):
    response = client_for(newsroom.editor_a).get(f"/api/v1/articles/?updated_since={value}")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["updated_since"]
