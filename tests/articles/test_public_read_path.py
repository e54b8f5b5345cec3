"""The public read path stays as fast as before the write API: same queries for anonymous."""

import pytest

from tests.factories import PublishedArticleFactory, UserFactory, full_article

pytestmark = pytest.mark.django_db

# Served from the stored documents once built (articles.readmodel; cold costs are pinned in
# test_queries.py): the page with its documents; the article with its document and translations.
LIST_QUERIES = 1
DETAIL_QUERIES = 1


def test_anonymous_list_uses_a_fixed_number_of_queries(api_client, django_assert_num_queries):
    for _ in range(5):
        full_article()

    api_client.get("/api/v1/articles/")
    with django_assert_num_queries(LIST_QUERIES):
        response = api_client.get("/api/v1/articles/")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 5


def test_anonymous_detail_uses_a_fixed_number_of_queries(api_client, django_assert_num_queries):
    article = full_article()

    api_client.get(f"/api/v1/articles/{article.pk}/")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = api_client.get(f"/api/v1/articles/{article.pk}/")

    assert response.status_code == 200
    assert "editor_note" not in response.json()


def test_an_authenticated_reader_without_a_desk_gets_the_public_payload(api_client):
    article = PublishedArticleFactory()
    api_client.force_login(UserFactory())

    response = api_client.get(f"/api/v1/articles/{article.pk}/")

    assert response.status_code == 200
    assert "editor_note" not in response.json()
