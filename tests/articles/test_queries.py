"""Query discipline: the number of queries of a page does not grow with what is on it."""

import datetime

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleAuthor
from articles.serializers.public import detail_queryset
from tests.factories import (
    ClaimFactory,
    EntityFactory,
    KeyDateFactory,
    KeyFigureFactory,
    MentionFactory,
    PublishedArticleFactory,
    QuoteFactory,
    TagFactory,
    UserFactory,
    full_article,
)

pytestmark = pytest.mark.django_db

# Pages are served from stored documents (articles.readmodel): one query for the page with its
# documents when they are fresh.
LIST_QUERIES = 1
# The article with its document and its live translations, in one statement.
DETAIL_QUERIES = 1
# Building missing or stale documents, whatever their number: article (with desk),
# bylines+users, tags, mentions+entities, claims with both their entities (attributed_to,
# responded_by), quotes with speakers, key figures, key dates, sources, corrections, then one
# upsert (inside a savepoint: two more).
BUILD_QUERIES = 13


def extension_queries() -> int:
    """Highlight boxes, follow-ups and images: one prefetch query per level of each lookup."""
    extensions = [
        p
        for p in detail_queryset()._prefetch_related_lookups
        if isinstance(p, Prefetch)
        and p.prefetch_to in ("highlight_boxes", "followups", "article_images")
    ]
    assert len(extensions) == 3
    return sum(len(p.prefetch_through.split("__")) for p in extensions)


def published_with_many_authors_and_tags(count: int) -> None:
    authors = [UserFactory() for _ in range(4)]
    tags = [TagFactory() for _ in range(4)]
    now = timezone.now()
    for i in range(count):
        article = PublishedArticleFactory(
            authors=authors, tags=tags, published_at=now - datetime.timedelta(minutes=i + 1)
        )
        assert article.bylines.count() == 4


def count_queries(client, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def cold_and_warm(client, url: str) -> tuple[int, int, dict]:
    """Queries of the first request (documents built) and of the next (documents stored)."""
    cold, _ = count_queries(client, url)
    warm, page = count_queries(client, url)
    return cold, warm, page


def test_a_list_page_takes_the_same_queries_for_10_and_100_articles(api_client):
    published_with_many_authors_and_tags(101)
    small_cold, small, small_page = cold_and_warm(api_client, "/api/v1/articles/?page_size=10")
    large_cold, large, large_page = cold_and_warm(api_client, "/api/v1/articles/?page_size=100")
    assert len(small_page["results"]) == 10
    assert len(large_page["results"]) == 100
    assert all(len(a["authors"]) == 4 and len(a["tags"]) == 4 for a in large_page["results"])
    assert small == large == LIST_QUERIES
    # Cold pages build documents in the same number of queries whatever their size (articles
    # without claims skip the claims' entities query).
    assert small_cold == large_cold <= LIST_QUERIES + BUILD_QUERIES + extension_queries()


def test_the_next_page_takes_the_same_queries(api_client):
    published_with_many_authors_and_tags(25)
    _, first, page = cold_and_warm(api_client, "/api/v1/articles/?page_size=10")
    _, second, _ = cold_and_warm(api_client, page["next"])
    assert first == second == LIST_QUERIES


def test_filters_add_no_query(api_client):
    published_with_many_authors_and_tags(3)
    tag = Article.objects.first().tags.first()
    entity = EntityFactory()
    MentionFactory(article=Article.objects.first(), entity=entity)
    url = f"/api/v1/articles/?language=en&tag={tag.slug}&entity={entity.pk}&q=company"
    _, queries, page = cold_and_warm(api_client, url)
    assert len(page["results"]) == 1
    assert queries == LIST_QUERIES


def full_article_with(count: int) -> Article:
    article = full_article(authors=[UserFactory(), UserFactory()])
    article.tags.add(TagFactory(), TagFactory())
    for order in range(count - 1):
        MentionFactory(article=article, order=order + 1)
        ClaimFactory(article=article, attributed_to=EntityFactory())
        QuoteFactory(article=article, speaker=EntityFactory())
        KeyFigureFactory(article=article)
        KeyDateFactory(article=article)
    return article


def test_the_detail_takes_the_same_queries_for_1_and_20_pieces_of_metadata(api_client):
    one = full_article_with(1)
    twenty = full_article_with(20)
    PublishedArticleFactory(translation_of=twenty, language="fr")
    few_cold, few, few_data = cold_and_warm(api_client, f"/api/v1/articles/{one.pk}/")
    many_cold, many, many_data = cold_and_warm(api_client, f"/api/v1/articles/{twenty.pk}/")
    assert len(few_data["mentions"]) == len(few_data["claims"]) == len(few_data["quotes"]) == 1
    assert len(many_data["mentions"]) == len(many_data["claims"]) == len(many_data["quotes"]) == 20
    assert len(many_data["translations"]) == 1
    assert few == many == DETAIL_QUERIES
    assert few_cold == many_cold == DETAIL_QUERIES + BUILD_QUERIES + extension_queries()


def test_the_detail_by_slug_takes_the_same_queries_as_by_id(api_client):
    article = full_article_with(3)
    by_id_cold, by_id, _ = cold_and_warm(api_client, f"/api/v1/articles/{article.pk}/")
    by_slug, _ = count_queries(api_client, f"/api/v1/articles/{article.slug}/?language=en")
    assert by_id == by_slug == DETAIL_QUERIES
    assert by_id_cold == DETAIL_QUERIES + BUILD_QUERIES + extension_queries()


def test_an_entity_list_page_is_one_query_whatever_the_mentions(api_client):
    entities = [EntityFactory() for _ in range(5)]
    for _ in range(3):
        article = PublishedArticleFactory()
        for entity in entities:
            MentionFactory(article=article, entity=entity)
    queries, page = count_queries(api_client, "/api/v1/entities/")
    assert [e["article_count"] for e in page["results"]] == [3] * 5
    # The page and its count: the entity list pages by limit and offset.
    assert queries == 2


def test_bylines_keep_their_order(api_client):
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    article = PublishedArticleFactory(authors=[first, second, third])
    ArticleAuthor.objects.filter(article=article, user=first).update(order=9)
    data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert [a["id"] for a in data["authors"]] == [second.pk, third.pk, first.pk]


def test_an_entity_detail_takes_the_same_queries_for_1_and_10_articles(api_client):
    def entity_with(count: int):
        entity = EntityFactory()
        for _ in range(count):
            MentionFactory(article=PublishedArticleFactory(authors=[UserFactory()]), entity=entity)
        return entity

    one, ten = entity_with(1), entity_with(10)
    few, few_data = count_queries(api_client, f"/api/v1/entities/{one.pk}/")
    many, many_data = count_queries(api_client, f"/api/v1/entities/{ten.pk}/")
    assert (len(few_data["articles"]), len(many_data["articles"])) == (1, 10)
    assert few == many
