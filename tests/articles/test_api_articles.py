"""The public read API: which articles show, in what order, filters, detail shape, errors."""

import base64
import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Claim, Entity, KeyDate, Mention
from tests.articles.conftest import client_for
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    CorrectionFactory,
    DeskFactory,
    EntityFactory,
    KeyDateFactory,
    KeyFigureFactory,
    MentionFactory,
    PublishedArticleFactory,
    QuoteFactory,
    ScheduledArticleFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
    full_article,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
HOUR = datetime.timedelta(hours=1)
NBSP = "\u00a0"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def hours_ago(n: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=n)


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


def test_a_cursor_given_by_the_api_is_accepted(api_client):
    for i in range(3):
        PublishedArticleFactory(published_at=hours_ago(i + 1))
    next_url = api_client.get(f"{LIST}?page_size=1").json()["next"]
    cursor = parse_qs(urlparse(next_url).query)["cursor"][0]
    assert len(ids(api_client.get(LIST, {"cursor": cursor, "page_size": 1}))) == 1


# --- Detail ----------------------------------------------------------------------------------

DOCUMENTED_FIELDS = {
    "id",
    "slug",
    "language",
    "headline",
    "standfirst",
    "body",
    "status",
    "published_at",
    "updated_at",
    "version",
    "authors",
    "desk",
    "tags",
    "source_note",
    "mentions",
    "claims",
    "quotes",
    "key_figures",
    "key_dates",
    "sources",
    "corrections",
    "translations",
}


def test_the_detail_has_every_documented_field_with_its_shape(api_client):
    author = UserFactory(first_name="Camille", last_name="Durand")
    article = full_article(language="fr", authors=[author], source_note="selon la presse")
    person = EntityFactory(name="Léa Morel", kind=Entity.Kind.PERSON, wikidata_id="Q42")
    QuoteFactory(article=article, speaker=person, speaker_label="", order=5)
    KeyFigureFactory(
        article=article, label="Part", value=Decimal(70), value_high=Decimal(95), unit="percent"
    )
    response = api_client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert DOCUMENTED_FIELDS <= set(data)

    assert data["id"] == article.pk
    assert data["slug"] == article.slug
    assert data["language"] == "fr"
    assert data["status"] == "published"
    assert data["body"] == "<p>The company neither confirmed nor denied.</p>"
    assert data["source_note"] == "selon la presse"
    assert isinstance(data["version"], int)
    for stamp in ("published_at", "updated_at"):
        assert datetime.datetime.fromisoformat(data[stamp]).tzinfo is not None
    assert data["authors"] == [{"id": author.pk, "name": "Camille Durand"}]
    assert set(data["desk"]) == {"id", "name", "slug"}
    assert [set(t) for t in data["tags"]] == [{"name", "slug"}]

    [mention] = data["mentions"]
    assert mention["role"] == "subject"
    assert set(mention["entity"]) == {"id", "name", "kind", "wikidata_id"}

    [claim] = data["claims"]
    assert claim["status"] == Claim.Status.NEITHER
    assert claim["status_display"] == "Ni confirmé ni démenti"  # the article is in French
    assert set(claim) >= {"text", "attributed_to", "sourcing", "as_of"}
    assert claim["attributed_to"]["id"] == article.claims.get().attributed_to_id

    unnamed, named = data["quotes"]
    assert unnamed["speaker"] is None
    assert unnamed["speaker_label"] == "a spokesperson"
    assert unnamed["speaker_organisation"]["kind"] == "organisation"
    assert named["speaker"] == {
        "id": person.pk,
        "name": "Léa Morel",
        "kind": "person",
        "wikidata_id": "Q42",
    }

    money, share = data["key_figures"]
    assert money["display"] == f"7{NBSP}000 milliards de dollars"
    assert money["value"] == "7000000000000"
    assert money["value_high"] is None
    assert money["unit"] == "USD"
    assert share["display"] == f"70–95{NBSP}%"
    assert (share["value"], share["value_high"]) == ("70", "95")

    [key_date] = data["key_dates"]
    assert key_date == {
        "date": "2023-09-01",
        "precision": "month",
        "label": "Talks begin",
        "display": "septembre 2023",
    }
    [source] = data["sources"]
    assert source == {"name": "Business press", "role": "original_reporter", "url": None}
    [correction] = data["corrections"]
    assert correction["text"] == "An earlier version misspelt the company's name."
    assert datetime.datetime.fromisoformat(correction["corrected_at"]).tzinfo is not None
    assert data["translations"] == []


def test_the_detail_renders_figures_and_dates_in_english_for_an_english_article(api_client):
    article = PublishedArticleFactory(language="en")
    KeyFigureFactory(article=article)
    KeyDateFactory(article=article, precision=KeyDate.Precision.DAY)
    data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["key_figures"][0]["display"] == "$7 trillion"
    assert data["key_dates"][0]["display"] == "1 September 2023"


def test_the_detail_is_found_by_slug(api_client):
    article = PublishedArticleFactory(slug="novalys-chips", language="en")
    response = api_client.get("/api/v1/articles/novalys-chips/")
    assert response.status_code == 200
    assert response.json()["id"] == article.pk


def test_a_slug_in_two_languages_needs_the_language_parameter(api_client):
    french = PublishedArticleFactory(slug="novalys", language="fr")
    english = PublishedArticleFactory(slug="novalys", language="en")
    ambiguous = api_client.get("/api/v1/articles/novalys/")
    assert ambiguous.status_code == 400
    assert list(ambiguous.json()) == ["language"]
    assert "en, fr" in ambiguous.json()["language"][0]
    assert api_client.get("/api/v1/articles/novalys/?language=fr").json()["id"] == french.pk
    assert api_client.get("/api/v1/articles/novalys/?language=en").json()["id"] == english.pk
    assert api_client.get("/api/v1/articles/novalys/?language=de").status_code == 404


def test_a_slug_in_one_live_language_needs_no_parameter(api_client):
    live = PublishedArticleFactory(slug="novalys", language="fr")
    ArticleFactory(slug="novalys", language="en")  # a draft does not make it ambiguous
    assert api_client.get("/api/v1/articles/novalys/").json()["id"] == live.pk


def test_a_malformed_language_on_a_slug_is_a_400_naming_it(api_client):
    PublishedArticleFactory(slug="novalys", language="fr")
    response = api_client.get("/api/v1/articles/novalys/?language=fr_FR")
    assert response.status_code == 400
    assert list(response.json()) == ["language"]


@pytest.mark.parametrize(
    "path", ["/api/v1/articles/999999/", "/api/v1/articles/no-such-slug/", "/api/v1/nothing/"]
)
def test_an_unknown_article_is_a_json_404(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "make",
    [
        lambda: ArticleFactory(slug="hidden"),
        lambda: ScheduledArticleFactory(slug="hidden"),
        lambda: PublishedArticleFactory(slug="hidden", status=Article.Status.RETRACTED),
        lambda: PublishedArticleFactory(slug="hidden", embargo_until=timezone.now() + HOUR),
    ],
    ids=["draft", "scheduled", "retracted", "embargoed"],
)
def test_an_article_the_public_may_not_see_is_a_404_by_id_and_by_slug(api_client, make):
    article = make()
    assert api_client.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert api_client.get("/api/v1/articles/hidden/").status_code == 404


def test_translations_link_both_ways_and_only_to_live_articles(api_client):
    original = PublishedArticleFactory(language="fr", slug="novalys")
    english = PublishedArticleFactory(language="en", slug="novalys", translation_of=original)
    german = PublishedArticleFactory(language="de", slug="novalys-de", translation_of=original)
    ArticleFactory(language="es", slug="novalys-es", translation_of=original)  # a draft

    def translations(article):
        data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
        return [(t["id"], t["language"]) for t in data["translations"]]

    assert translations(original) == [(german.pk, "de"), (english.pk, "en")]
    assert translations(english) == [(german.pk, "de"), (original.pk, "fr")]
    assert translations(german) == [(english.pk, "en"), (original.pk, "fr")]
    item = api_client.get(f"/api/v1/articles/{english.pk}/").json()["translations"][1]
    assert item == {
        "id": original.pk,
        "slug": "novalys",
        "language": "fr",
        "headline": original.headline,
    }


def test_the_api_is_read_only_for_the_public(api_client):
    article = PublishedArticleFactory()
    assert api_client.post(LIST, {"headline": "x"}).status_code in (401, 403)
    assert api_client.delete(f"/api/v1/articles/{article.pk}/").status_code in (401, 403)
    assert Article.objects.filter(pk=article.pk).exists()


# --- Entities --------------------------------------------------------------------------------


def test_entities_count_only_live_articles(api_client):
    novalys = EntityFactory(name="Novalys")
    arcturus = EntityFactory(name="Arcturus")
    live = PublishedArticleFactory()
    MentionFactory(article=live, entity=novalys, role=Mention.Role.SUBJECT)
    MentionFactory(article=live, entity=novalys, role=Mention.Role.SOURCE)
    MentionFactory(article=PublishedArticleFactory(), entity=novalys)
    MentionFactory(article=ArticleFactory(), entity=novalys)
    MentionFactory(
        article=PublishedArticleFactory(embargo_until=timezone.now() + HOUR), entity=novalys
    )
    MentionFactory(article=ArticleFactory(), entity=arcturus)
    response = api_client.get("/api/v1/entities/")
    assert response.status_code == 200
    counts = {e["name"]: e["article_count"] for e in response.json()["results"]}
    assert counts == {"Arcturus": 0, "Novalys": 2}


def test_an_entity_detail_lists_the_live_articles_that_mention_it(api_client):
    entity = EntityFactory(name="Novalys", aliases=["Novalys AI"], wikidata_id="Q123")
    newer = PublishedArticleFactory(published_at=hours_ago(1))
    older = PublishedArticleFactory(published_at=hours_ago(2))
    draft = ArticleFactory()
    for article in (older, newer, draft):
        MentionFactory(article=article, entity=entity)
    response = api_client.get(f"/api/v1/entities/{entity.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Novalys"
    assert data["aliases"] == ["Novalys AI"]
    assert data["wikidata_id"] == "Q123"
    assert data["article_count"] == 2
    assert [a["id"] for a in data["articles"]] == [newer.pk, older.pk]


def test_entities_can_be_searched_and_filtered_by_kind(api_client):
    EntityFactory(name="Novalys", kind=Entity.Kind.ORGANISATION)
    EntityFactory(name="Léa Morel", kind=Entity.Kind.PERSON)
    by_name = api_client.get("/api/v1/entities/?q=nova").json()["results"]
    by_kind = api_client.get("/api/v1/entities/?kind=person").json()["results"]
    assert [e["name"] for e in by_name] == ["Novalys"]
    assert [e["name"] for e in by_kind] == ["Léa Morel"]


def test_a_bad_entity_kind_is_a_400_naming_it(api_client):
    response = api_client.get("/api/v1/entities/?kind=robot")
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


@pytest.mark.parametrize("path", ["/api/v1/entities/999999/", "/api/v1/entities/abc/"])
def test_an_unknown_entity_is_a_json_404(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_claims_attributed_to_nobody_render_as_null(api_client):
    article = PublishedArticleFactory()
    ClaimFactory(article=article, attributed_to=None, status=Claim.Status.DISPUTED)
    SourceFactory(article=article, url="https://example.org/doc")
    CorrectionFactory(article=article)
    data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["claims"][0]["attributed_to"] is None
    assert data["claims"][0]["status"] == "disputed"
    assert data["sources"][0]["url"] == "https://example.org/doc"


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


def test_an_article_whose_headline_is_a_number_is_found_by_its_slug(api_client):
    article = PublishedArticleFactory(slug="", headline="2024")
    response = api_client.get(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 200
    assert response.json()["id"] == article.pk


# --- Robustness and labels (issue 9) ------------------------------------------------------------


def test_a_desk_member_reads_an_article_that_has_a_translation(newsroom):
    english = newsroom.published_a
    french = PublishedArticleFactory(desk=newsroom.desk_a, language="fr", translation_of=english)

    response = client_for(newsroom.editor_a).get(f"/api/v1/articles/{english.pk}/")

    assert response.status_code == 200, response.content
    assert response.json()["translations"] == [
        {"id": french.pk, "slug": french.slug, "language": "fr", "headline": french.headline}
    ]


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


@pytest.mark.parametrize("role", ["anonymous", "editor_a"])
def test_claim_labels_follow_the_articles_language_not_the_first_readers(newsroom, role):
    french = PublishedArticleFactory(desk=newsroom.desk_a, language="fr")
    ClaimFactory(article=french, status=Claim.Status.NEITHER)
    client = client_for(newsroom.user(role))

    client.get(f"/api/v1/articles/{french.pk}/", HTTP_ACCEPT_LANGUAGE="en")  # builds it
    response = client_for(None).get(f"/api/v1/articles/{french.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    desk = client_for(newsroom.editor_a).get(
        f"/api/v1/articles/{french.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.json()["claims"][0]["status_display"] == "Ni confirmé ni démenti"
    assert desk.json()["claims"][0]["status_display"] == "Ni confirmé ni démenti"


@pytest.mark.parametrize("parameter", ["limit", "offset"])
def test_an_entities_limit_or_offset_beyond_a_bigint_is_a_400_naming_it(api_client, parameter):
    response = api_client.get("/api/v1/entities/", {parameter: str(2**63)})
    assert response.status_code == 400
    assert parameter in response.json()
    assert api_client.get("/api/v1/entities/", {parameter: "²"}).status_code == 200
