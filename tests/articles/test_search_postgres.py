"""Full-text search on PostgreSQL: stemming per language, the GIN index, the trigger."""

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.utils import timezone

from articles.filters import ArticleFilter
from articles.models import Article
from articles.views.articles import list_queryset
from tests.factories import ArticleFactory, PublishedArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LIST = "/api/v1/articles/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def hours_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=n)


def test_french_stemming_finds_the_plural_from_the_singular(api_client):
    article = PublishedArticleFactory(
        language="fr", headline="Novalys prépare ses propres puces pour serveurs"
    )
    PublishedArticleFactory(language="fr", headline="Le gouvernement présente son budget")
    assert ids(api_client.get(LIST, {"q": "puce", "language": "fr"})) == [article.pk]
    assert ids(api_client.get(LIST, {"q": "puce"})) == [article.pk]
    assert ids(api_client.get(LIST, {"q": "serveur prépare"})) == [article.pk]


def test_english_stemming_finds_other_forms_of_a_word(api_client):
    article = PublishedArticleFactory(
        language="en", headline="Novalys designs its own chips", body="<p>Talks continued.</p>"
    )
    PublishedArticleFactory(
        language="en", headline="The budget is presented", standfirst="", body="<p>No.</p>"
    )
    assert ids(api_client.get(LIST, {"q": "chip", "language": "en"})) == [article.pk]
    assert ids(api_client.get(LIST, {"q": "designing"})) == [article.pk]
    assert ids(api_client.get(LIST, {"q": "talk"})) == [article.pk]


def test_search_reads_the_standfirst_and_the_body_without_markup(api_client):
    in_standfirst = PublishedArticleFactory(
        language="en", standfirst="Arcturus is involved.", published_at=hours_ago(1)
    )
    in_body = PublishedArticleFactory(
        language="en",
        body="<p><strong>Arcturus</strong> said nothing.</p>",
        published_at=hours_ago(2),
    )
    PublishedArticleFactory(language="en", body='<p><a title="arcturus">link</a></p>')
    assert ids(api_client.get(LIST, {"q": "arcturus"})) == [in_standfirst.pk, in_body.pk]


def test_a_language_without_its_own_configuration_is_searched_with_simple(api_client):
    article = PublishedArticleFactory(language="de", headline="Novalys plant eigene Chips")
    assert ids(api_client.get(LIST, {"q": "Chips"})) == [article.pk]
    assert ids(api_client.get(LIST, {"q": "chips", "language": "de"})) == [article.pk]


def test_search_results_are_newest_first_and_only_live(api_client):
    older = PublishedArticleFactory(language="en", headline="Chips one", published_at=hours_ago(5))
    newer = PublishedArticleFactory(language="en", headline="Chips two", published_at=hours_ago(1))
    ArticleFactory(language="en", headline="Chips draft")
    assert ids(api_client.get(LIST, {"q": "chips"})) == [newer.pk, older.pk]


def test_web_search_syntax_is_accepted_and_never_a_server_error(api_client):
    article = PublishedArticleFactory(language="en", headline="Novalys designs chips")
    PublishedArticleFactory(language="en", headline="Novalys hires staff")
    assert ids(api_client.get(LIST, {"q": "novalys -hires"})) == [article.pk]
    assert ids(api_client.get(LIST, {"q": '"designs chips"'})) == [article.pk]
    for odd in ["&", "!!", "(", "a | | b", "':*", "\\"]:
        assert api_client.get(LIST, {"q": odd}).status_code == 200


def test_the_trigger_updates_the_vector_when_the_headline_changes():
    article = ArticleFactory(language="en", headline="Novalys designs chips")

    def found():
        query = SearchQuery("semiconductor", config="english")
        return list(Article.objects.filter(search_vector=query))

    assert found() == []
    article.headline = "Novalys designs semiconductors"
    article.save()
    assert found() == [article]
    Article.objects.filter(pk=article.pk).update(headline="Novalys hires staff")
    assert found() == []


def test_the_trigger_uses_the_configuration_of_the_new_language():
    article = ArticleFactory(language="en", headline="Les puces", standfirst="", body="")
    french = Article.objects.filter(search_vector=SearchQuery("puce", config="french"))
    assert not french.exists()  # English stems "puces" as "puce"s, not as French does
    article.language = "fr"
    article.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM articles_article WHERE id = %s", [article.pk]
        )
        (vector,) = cursor.fetchone()
    assert "'puc'" in vector  # the French stem
    assert french.exists()


def test_the_search_uses_the_gin_index():
    template = PublishedArticleFactory(language="fr", headline="Novalys et ses puces")
    Article.objects.bulk_create(
        Article(
            headline=f"Article {i} sur le budget",
            slug=f"budget-{i}",
            language="fr",
            status=Article.Status.PUBLISHED,
            published_at=template.published_at,
            desk=template.desk,
        )
        for i in range(300)
    )
    queryset = ArticleFilter(data={"q": "puce"}, queryset=list_queryset()).qs
    assert [a.pk for a in queryset] == [template.pk]
    with connection.cursor() as cursor:
        # What autovacuum does in production: fold GIN's pending list of fresh rows into the
        # index (https://www.postgresql.org/docs/current/gin.html#GIN-FAST-UPDATE) and gather
        # statistics, so the planner costs the index as it will be in service.
        cursor.execute("SELECT gin_clean_pending_list('article_search_recent'::regclass)")
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET LOCAL enable_seqscan = on")
    assert "article_search_recent" in plan, plan
