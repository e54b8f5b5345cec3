"""The write API's versions (ETag, If-Match: 428, 412) and what the desk reads and lists."""

import pytest

from articles.models import Article
from tests.articles.api_helpers import detail_url
from tests.articles.conftest import client_for

pytestmark = pytest.mark.django_db


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


def test_an_if_match_of_unicode_digits_matches_nothing(newsroom):
    article = newsroom.draft_mine

    response = client_for(newsroom.reporter_a).patch(
        detail_url(article), {"headline": "x"}, format="json", HTTP_IF_MATCH='"²"'
    )

    assert response.status_code == 412


def test_the_detail_response_carries_an_etag_for_everyone(newsroom, api_client):
    response = api_client.get(detail_url(newsroom.published_a))

    assert response.status_code == 200
    # The public reader's is a digest of the bytes (they change without a version bump: live
    # translations, shared records); the desk's is the version If-Match compares.
    assert len(response["ETag"]) == 34
    desk = client_for(newsroom.reporter_a).get(detail_url(newsroom.published_a))
    assert desk["ETag"] == f'"{newsroom.published_a.version}"'


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
