"""The public read API's list: which articles show, in what order, paging, filters."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Mention
from tests.articles.api_helpers import HOUR, LIST, hours_ago, ids
from tests.factories import (
    ArticleFactory,
    DeskFactory,
    EntityFactory,
    MentionFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- What the list shows ---------------------------------------------------------------------


def test_the_list_shows_only_published_live_articles_out_of_embargo(api_client):
    live = PublishedArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.IN_REVIEW)
    ScheduledArticleFactory()
    PublishedArticleFactory(status=Article.Status.RETRACTED)
    PublishedArticleFactory(published_at=timezone.now() + HOUR)
    PublishedArticleFactory(embargo_until=timezone.now() + HOUR)
    lifted = PublishedArticleFactory(embargo_until=timezone.now() - HOUR, published_at=hours_ago(2))
    assert ids(api_client.get(LIST)) == [live.pk, lifted.pk]


def test_the_list_is_newest_first(api_client):
    old = PublishedArticleFactory(published_at=hours_ago(30))
    new = PublishedArticleFactory(published_at=hours_ago(1))
    middle = PublishedArticleFactory(published_at=hours_ago(5))
    assert ids(api_client.get(LIST)) == [new.pk, middle.pk, old.pk]


def test_list_items_are_teasers_without_body(api_client):
    author = UserFactory(first_name="Camille", last_name="Durand")
    tag = TagFactory(name="Semiconductors", slug="semiconductors")
    desk = DeskFactory(name="Tech", slug="tech")
    article = PublishedArticleFactory(authors=[author], tags=[tag], desk=desk, source_note="wire")
    [item] = api_client.get(LIST).json()["results"]
    assert item["id"] == article.pk
    assert "body" not in item
    assert item["authors"] == [{"id": author.pk, "name": "Camille Durand"}]
    assert item["tags"] == [{"name": "Semiconductors", "slug": "semiconductors"}]
    assert item["desk"] == {"id": desk.pk, "name": "Tech", "slug": "tech"}
    assert item["source_note"] == "wire"
    assert item["status"] == "published"


def test_the_list_pages_with_cursors_and_never_counts(api_client):
    made = [PublishedArticleFactory(published_at=hours_ago(i + 1)) for i in range(5)]
    expected = [a.pk for a in made]
    seen = []
    url = f"{LIST}?page_size=2"
    with CaptureQueriesContext(connection) as queries:
        while url:
            response = api_client.get(url)
            page = response.json()
            assert set(page) == {"next", "previous", "results"}
            seen += ids(response)
            url = page["next"]
    assert seen == expected
    assert queries.captured_queries
    assert not [q["sql"] for q in queries.captured_queries if "COUNT" in q["sql"].upper()]


def test_the_cursor_is_stable_when_a_newer_article_arrives(api_client):
    older = [PublishedArticleFactory(published_at=hours_ago(i + 1)) for i in range(4)]
    first = api_client.get(f"{LIST}?page_size=2").json()
    PublishedArticleFactory(published_at=hours_ago(0.5))
    second = api_client.get(first["next"])
    assert ids(second) == [older[2].pk, older[3].pk]


def test_a_previous_link_leads_back(api_client):
    for i in range(4):
        PublishedArticleFactory(published_at=hours_ago(i + 1))
    first = api_client.get(f"{LIST}?page_size=2")
    second = api_client.get(first.json()["next"]).json()
    assert ids(api_client.get(second["previous"])) == ids(first)


def walk(api_client, url: str, key: str) -> list[list[int]]:
    pages = []
    while url:
        page = api_client.get(url).json()
        pages.append([a["id"] for a in page["results"]])
        url = page[key]
    return pages


def test_articles_published_at_the_same_instant_are_each_listed_once_both_ways(api_client):
    same = hours_ago(1)
    made = [PublishedArticleFactory(published_at=same) for _ in range(7)]
    made += [PublishedArticleFactory(published_at=hours_ago(2)) for _ in range(2)]
    expected = sorted((a.pk for a in made[:7]), reverse=True) + sorted(
        (a.pk for a in made[7:]), reverse=True
    )
    forward = walk(api_client, f"{LIST}?page_size=3", "next")
    assert [pk for page in forward for pk in page] == expected
    assert [len(page) for page in forward] == [3, 3, 3]

    last = api_client.get(f"{LIST}?page_size=3").json()
    while last["next"]:
        last = api_client.get(last["next"]).json()
    backward = walk(api_client, last["previous"], "previous")
    assert backward == [forward[1], forward[0]]


def test_a_filtered_list_pages_within_the_filter(api_client):
    french = [
        PublishedArticleFactory(language="fr", published_at=hours_ago(i + 1)) for i in range(5)
    ]
    PublishedArticleFactory(language="en", published_at=hours_ago(1.5))
    pages = walk(api_client, f"{LIST}?language=fr&page_size=2", "next")
    assert [pk for page in pages for pk in page] == [a.pk for a in french]


def test_paging_visits_every_live_article_once_even_next_to_rows_without_a_time(api_client):
    made = [PublishedArticleFactory(published_at=hours_ago(i + 1)) for i in range(3)]
    broken = PublishedArticleFactory()
    Article.objects.filter(pk=broken.pk).update(published_at=None)  # written around the rules
    seen, url = [], f"{LIST}?page_size=1"
    while url:
        response = api_client.get(url)
        seen += ids(response)
        url = response.json()["next"]
    assert seen == [a.pk for a in made]
    assert ids(api_client.get(LIST)) == seen


def test_a_cursor_given_by_the_api_is_accepted(api_client):
    for i in range(3):
        PublishedArticleFactory(published_at=hours_ago(i + 1))
    next_url = api_client.get(f"{LIST}?page_size=1").json()["next"]
    cursor = parse_qs(urlparse(next_url).query)["cursor"][0]
    assert len(ids(api_client.get(LIST, {"cursor": cursor, "page_size": 1}))) == 1


# --- Filters ---------------------------------------------------------------------------------


def test_the_language_filter_matches_regional_variants(api_client):
    french = PublishedArticleFactory(language="fr", published_at=hours_ago(1))
    canadian = PublishedArticleFactory(language="fr-CA", published_at=hours_ago(2))
    PublishedArticleFactory(language="en")
    assert ids(api_client.get(f"{LIST}?language=fr")) == [french.pk, canadian.pk]
    assert ids(api_client.get(f"{LIST}?language=fr-CA")) == [canadian.pk]


def test_the_desk_filter_takes_a_slug_or_an_id(api_client):
    tech = DeskFactory(slug="tech")
    article = PublishedArticleFactory(desk=tech)
    PublishedArticleFactory(desk=DeskFactory(slug="politics"))
    assert ids(api_client.get(f"{LIST}?desk=tech")) == [article.pk]
    assert ids(api_client.get(f"{LIST}?desk={tech.pk}")) == [article.pk]
    assert ids(api_client.get(f"{LIST}?desk=nowhere")) == []


def test_the_tag_filter_takes_a_slug(api_client):
    chips = TagFactory(slug="chips")
    article = PublishedArticleFactory(tags=[chips, TagFactory()])
    PublishedArticleFactory(tags=[TagFactory()])
    assert ids(api_client.get(f"{LIST}?tag=chips")) == [article.pk]


def test_the_entity_filter_lists_each_article_once(api_client):
    entity = EntityFactory()
    article = PublishedArticleFactory()
    MentionFactory(article=article, entity=entity, role=Mention.Role.SUBJECT)
    MentionFactory(article=article, entity=entity, role=Mention.Role.SOURCE)
    MentionFactory(article=ArticleFactory(), entity=entity)  # a draft
    PublishedArticleFactory()
    assert ids(api_client.get(f"{LIST}?entity={entity.pk}")) == [article.pk]


def test_updated_since_keeps_articles_updated_at_or_after_the_time(api_client):
    now = timezone.now()
    recent = PublishedArticleFactory(updated_at=now - HOUR)
    PublishedArticleFactory(updated_at=now - 48 * HOUR)
    since = (now - 2 * HOUR).isoformat()
    assert ids(api_client.get(LIST, {"updated_since": since})) == [recent.pk]
    exact = (now - HOUR).isoformat()
    assert ids(api_client.get(LIST, {"updated_since": exact})) == [recent.pk]


def test_filters_combine(api_client):
    tag = TagFactory(slug="chips")
    match = PublishedArticleFactory(language="fr", tags=[tag])
    PublishedArticleFactory(language="en", tags=[tag])
    PublishedArticleFactory(language="fr")
    assert ids(api_client.get(f"{LIST}?language=fr&tag=chips")) == [match.pk]


def test_q_finds_a_word_in_headline_standfirst_or_body(api_client):
    in_headline = PublishedArticleFactory(
        headline="Arcturus designs chips", published_at=hours_ago(1)
    )
    in_standfirst = PublishedArticleFactory(
        standfirst="Talks with Arcturus began.", published_at=hours_ago(2)
    )
    in_body = PublishedArticleFactory(
        body="<p>Arcturus said nothing.</p>", published_at=hours_ago(3)
    )
    PublishedArticleFactory(headline="Unrelated story")
    ArticleFactory(headline="Arcturus draft")
    assert ids(api_client.get(f"{LIST}?q=arcturus")) == [
        in_headline.pk,
        in_standfirst.pk,
        in_body.pk,
    ]


def test_a_blank_q_is_no_filter(api_client):
    article = PublishedArticleFactory()
    assert ids(api_client.get(f"{LIST}?q=%20%20")) == [article.pk]
