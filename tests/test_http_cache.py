"""Conditional GETs and caching headers of the public reads (newsroom.http_cache)."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date
from knox.models import AuthToken

from articles.models import ArticleDocument
from articles.services.articles import article_publish
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    DeskFactory,
    EntityFactory,
    MentionFactory,
    PublishedArticleFactory,
    UserFactory,
    desk_member,
)

pytestmark = pytest.mark.django_db


def detail_url(article) -> str:
    return f"/api/v1/articles/{article.pk}/"


@pytest.fixture
def article():
    article = PublishedArticleFactory()
    MentionFactory(article=article, entity=EntityFactory())
    ArticleImageFactory(article=article)
    return article


def test_a_public_detail_has_a_strong_etag_last_modified_cache_control_and_keys(client, article):
    response = client.get(detail_url(article))
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/") and len(etag) == 34
    assert response["Last-Modified"]
    assert response["Cache-Control"] == (
        "public, max-age=60, s-maxage=3600, stale-while-revalidate=30, stale-if-error=86400"
    )
    keys = response["Surrogate-Key"].split()
    mention = article.mentions.get()
    image = article.article_images.get()
    assert {
        f"article-{article.pk}",
        f"family-{article.pk}",
        f"desk-{article.desk_id}",
        f"entity-{mention.entity_id}",
        f"image-{image.image_id}",
        f"licence-{image.image.licence_id}",
    } <= set(keys)
    assert response["xkey"] == response["Surrogate-Key"]
    assert response["Cache-Tag"] == ",".join(keys)
    assert "Authorization" in response["Vary"]


def test_cache_control_follows_the_settings(client, settings, article):
    settings.NEWSROOM_CACHE_MAX_AGE = 5
    settings.NEWSROOM_CACHE_S_MAXAGE = 600
    settings.NEWSROOM_CACHE_STALE_WHILE_REVALIDATE = 7
    settings.NEWSROOM_CACHE_STALE_IF_ERROR = 9
    response = client.get(detail_url(article))
    assert response["Cache-Control"] == (
        "public, max-age=5, s-maxage=600, stale-while-revalidate=7, stale-if-error=9"
    )


def test_if_none_match_answers_304_without_a_body_in_one_query(
    client, article, django_assert_num_queries
):
    first = client.get(detail_url(article))
    with django_assert_num_queries(1):
        response = client.get(detail_url(article), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Surrogate-Key"] == first["Surrogate-Key"]
    assert response["Cache-Control"].startswith("public")


def test_a_304_does_not_build_the_document(client, article):
    etag = client.get(detail_url(article))["ETag"]
    built = ArticleDocument.objects.get(article=article).built_at
    assert client.get(detail_url(article), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert ArticleDocument.objects.get(article=article).built_at == built


def test_if_modified_since_answers_304_unless_older_than_the_last_change(client, article):
    first = client.get(detail_url(article))
    same = client.get(detail_url(article), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert same.status_code == 304
    earlier = http_date((timezone.now() - datetime.timedelta(days=1)).timestamp())
    older = client.get(detail_url(article), HTTP_IF_MODIFIED_SINCE=earlier)
    assert older.status_code == 200
    assert older.json()["id"] == article.pk


def test_the_etag_stays_while_the_bytes_stay(client, article):
    first = client.get(detail_url(article))
    again = client.get(detail_url(article))
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_the_etag_changes_when_a_translation_goes_live_without_a_version_bump(client, article):
    first = client.get(detail_url(article))
    PublishedArticleFactory(translation_of=article, language="fr", slug="traduction")
    second = client.get(detail_url(article))
    assert second.json()["translations"][0]["slug"] == "traduction"
    assert second["ETag"] != first["ETag"]
    assert client.get(detail_url(article), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_etag_changes_when_a_shared_record_is_renamed(client, article):
    first = client.get(detail_url(article))
    entity = article.mentions.get().entity
    entity.name = "Renamed Corp"
    entity.save()
    ArticleDocument.objects.invalidate(article_ids=[article.pk])
    second = client.get(detail_url(article))
    assert "Renamed Corp" in second.content.decode()
    assert second["ETag"] != first["ETag"]


def test_head_gives_the_headers_of_get_without_the_body(client, article):
    got = client.get(detail_url(article))
    head = client.head(detail_url(article))
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == got["ETag"]
    assert head["Surrogate-Key"] == got["Surrogate-Key"]


def test_the_list_has_an_etag_keys_and_answers_304(client, article):
    other = PublishedArticleFactory()
    response = client.get("/api/v1/articles/")
    assert response.status_code == 200
    keys = response["Surrogate-Key"].split()
    assert {"articles", f"article-{article.pk}", f"article-{other.pk}"} <= set(keys)
    assert response["Last-Modified"]
    again = client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_the_list_etag_changes_when_an_article_is_published(client, article):
    first = client.get("/api/v1/articles/?language=en")
    draft = ArticleFactory(authors=[UserFactory()])
    article_publish(article=draft)
    second = client.get("/api/v1/articles/?language=en", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert draft.pk in [row["id"] for row in second.json()["results"]]


def test_a_signed_in_desk_read_is_private_and_keeps_the_version_etag(client):
    desk = DeskFactory()
    editor = desk_member(desk=desk, role="editor")
    article = PublishedArticleFactory(desk=desk)
    client.force_login(editor)
    response = client.get(detail_url(article))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["ETag"] == f'"{article.version}"'
    assert "Surrogate-Key" not in response
    assert "xkey" not in response


def test_a_token_read_of_the_public_list_is_private(api_client, article):
    _, token = AuthToken.objects.create(UserFactory())
    response = api_client.get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Surrogate-Key" not in response


def test_a_missing_article_is_a_404_with_nothing_to_cache(client):
    response = client.get("/api/v1/articles/999999/")
    assert response.status_code == 404
    assert "Surrogate-Key" not in response
    assert "ETag" not in response


def test_ninjs_jsonld_and_the_page_answer_304_and_name_their_keys(client, article):
    for url in (
        f"/api/v1/articles/{article.pk}/ninjs/",
        f"/api/v1/articles/{article.pk}/jsonld/",
        f"/articles/{article.slug}/",
    ):
        first = client.get(url)
        assert first.status_code == 200, url
        assert f"article-{article.pk}" in first["Surrogate-Key"].split(), url
        assert first["Cache-Control"].startswith("public"), url
        assert first["Last-Modified"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b"", url


def test_formats_of_one_article_have_different_etags(client, article):
    tags = {
        client.get(f"/api/v1/articles/{article.pk}/ninjs/")["ETag"],
        client.get(f"/api/v1/articles/{article.pk}/ninjs/?version=3.1")["ETag"],
        client.get(f"/api/v1/articles/{article.pk}/jsonld/")["ETag"],
        client.get(f"/articles/{article.slug}/")["ETag"],
        client.get(detail_url(article))["ETag"],
    }
    assert len(tags) == 5


def test_the_public_page_does_not_vary_on_cookies(client, article):
    response = client.get(f"/articles/{article.slug}/")
    assert "Cookie" not in response.get("Vary", "")


def test_entity_pages_have_etags_keys_and_answer_304(client, article):
    entity = article.mentions.get().entity
    for url, expected in (
        ("/api/v1/entities/", {"entities", f"entity-{entity.pk}", f"mentions-{entity.pk}"}),
        (f"/api/v1/entities/{entity.pk}/", {f"entity-{entity.pk}", f"article-{article.pk}"}),
    ):
        first = client.get(url)
        assert first.status_code == 200, url
        assert expected <= set(first["Surrogate-Key"].split()), url
        assert first["Last-Modified"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
