import json

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, ArticleDocument, Claim
from articles.serializers.public import article_detail, article_summary
from articles.services import articles as services
from articles.views.articles import detail_queryset
from tests.factories import (
    ClaimFactory,
    EntityFactory,
    MentionFactory,
    PublishedArticleFactory,
    full_article,
)

pytestmark = pytest.mark.django_db


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_stored_detail_is_the_same_as_the_payload_built_from_the_orm(client):
    article = full_article()
    served = get_json(client, f"/api/v1/articles/{article.pk}/")
    built = article_detail(detail_queryset().get(pk=article.pk), translations=[])
    assert served == json.loads(json.dumps(built))
    assert ArticleDocument.objects.get(article=article).version == article.version


def test_list_items_are_the_same_as_the_summaries_built_from_the_orm(client):
    articles = [full_article() for _ in range(3)]
    served = get_json(client, "/api/v1/articles/")["results"]
    by_id = {a.pk: a for a in detail_queryset().filter(pk__in=[a.pk for a in articles])}
    assert [item["id"] for item in served] == sorted(by_id, reverse=True)
    for item in served:
        assert item == json.loads(json.dumps(article_summary(by_id[item["id"]])))


def test_a_new_version_of_the_article_is_served_after_a_metadata_change(client):
    article = full_article()
    url = f"/api/v1/articles/{article.pk}/"
    assert get_json(client, url)["claims"][0]["status"] == Claim.Status.NEITHER

    Claim.objects.filter(article=article).update(status=Claim.Status.CONFIRMED)
    services.article_touch(article=article)

    payload = get_json(client, url)
    assert payload["claims"][0]["status"] == Claim.Status.CONFIRMED
    assert payload["version"] == article.version
    assert ArticleDocument.objects.get(article=article).version == article.version


def test_a_stale_document_is_never_served(client):
    article = PublishedArticleFactory(headline="Old headline")
    get_json(client, f"/api/v1/articles/{article.pk}/")
    Article.objects.filter(pk=article.pk).update(
        headline="New headline", version=article.version + 1
    )
    assert get_json(client, f"/api/v1/articles/{article.pk}/")["headline"] == "New headline"
    assert get_json(client, "/api/v1/articles/")["results"][0]["headline"] == "New headline"


def test_renaming_an_entity_in_the_admin_refreshes_the_articles_that_mention_it(client):
    article = PublishedArticleFactory()
    entity = EntityFactory(name="Old name")
    MentionFactory(article=article, entity=entity)
    url = f"/api/v1/articles/{article.pk}/"
    assert get_json(client, url)["mentions"][0]["entity"]["name"] == "Old name"

    admin_user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/articles/entity/{entity.pk}/change/",
        {
            "name": "New name",
            "kind": entity.kind,
            "aliases": "[]",
            "wikidata_id": "",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content
    client.logout()
    assert get_json(client, url)["mentions"][0]["entity"]["name"] == "New name"


def test_a_warm_list_page_is_one_query_whatever_its_size(client, django_assert_num_queries):
    for _ in range(12):
        article = full_article()
        ClaimFactory(article=article)
    get_json(client, "/api/v1/articles/?page_size=100")  # builds the documents
    with django_assert_num_queries(1):
        assert len(get_json(client, "/api/v1/articles/?page_size=10")["results"]) == 10
    with django_assert_num_queries(1):
        assert len(get_json(client, "/api/v1/articles/?page_size=100")["results"]) == 12


def test_a_warm_detail_is_one_query_whatever_the_metadata(client, django_assert_num_queries):
    small = full_article()
    large = full_article()
    for _ in range(20):
        MentionFactory(article=large)
        ClaimFactory(article=large)
    for article in (small, large):
        get_json(client, f"/api/v1/articles/{article.pk}/")
        with django_assert_num_queries(1):
            get_json(client, f"/api/v1/articles/{article.pk}/")


def test_cold_documents_are_built_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for _ in range(3):
        full_article()
    with django_assert_max_num_queries(20) as small_page:
        get_json(client, "/api/v1/articles/?page_size=3")
    ArticleDocument.objects.all().delete()
    for _ in range(20):
        full_article()
    with django_assert_max_num_queries(20) as large_page:
        get_json(client, "/api/v1/articles/?page_size=23")
    assert len(small_page.captured_queries) == len(large_page.captured_queries)


def test_follow_up_changes_reach_the_stored_article(client):
    import datetime

    from django.utils import timezone

    from articles.services import followups
    from tests.factories import UserFactory

    article = PublishedArticleFactory(language="fr")
    url = f"/api/v1/articles/{article.pk}/"
    assert get_json(client, url)["followups"] == []

    followup = followups.followup_create(
        article=article,
        owner=UserFactory(),
        what="La décision du régulateur",
        next_check_at=timezone.now() + datetime.timedelta(days=3),
    )
    assert [f["status"] for f in get_json(client, url)["followups"]] == ["watching"]

    followups.followup_snooze(followup=followup, period="week")
    assert [f["status"] for f in get_json(client, url)["followups"]] == ["watching"]

    followups.followup_done(followup=followup)
    assert [f["status"] for f in get_json(client, url)["followups"]] == ["done"]


def test_anonymous_and_signed_in_readers_get_the_same_public_article(api_client):
    from tests.factories import UserFactory

    article = full_article()
    anonymous = api_client.get(f"/api/v1/articles/{article.pk}/")
    page = api_client.get("/api/v1/articles/?language=en")
    api_client.force_login(UserFactory())  # a reader with no desk: the DRF path
    signed_in = api_client.get(f"/api/v1/articles/{article.pk}/")
    signed_in_page = api_client.get("/api/v1/articles/?language=en")
    assert anonymous.json() == signed_in.json()
    # The public document's validator is a digest of its bytes (newsroom.http_cache), the same
    # for both; the desk's own read carries the version for If-Match.
    assert anonymous["ETag"] == signed_in["ETag"] != f'"{article.version}"'
    assert page.json()["results"] == signed_in_page.json()["results"]
