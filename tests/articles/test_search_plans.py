"""Search on PostgreSQL at scale: newest matches first through the recency windows, and a
plan that does not change with a connection's history (articles.search)."""

import datetime

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Article
from articles.readmodel import language_condition
from tests.factories import DeskFactory, PublishedArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LIST = "/api/v1/articles/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def walk(api_client, params: dict) -> list[int]:
    """Every id of a search, following the next links."""
    page = api_client.get(LIST, params)
    found = ids(page)
    while page.json()["next"]:
        page = api_client.get(page.json()["next"])
        found += ids(page)
    return found


def test_matches_beyond_the_first_windows_are_found_newest_first(api_client, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_WALK", 2)
    monkeypatch.setattr(search, "SEARCH_WINDOWS", (3, 7))
    now = timezone.now()
    matching = []
    for hour in range(1, 31):
        word = "tramway" if hour % 4 == 0 else "budget"
        article = PublishedArticleFactory(
            language="en",
            headline=f"The {word} again",
            standfirst="",
            body="<p>News.</p>",
            published_at=now - datetime.timedelta(hours=hour),
        )
        if word == "tramway":
            matching.append(article.pk)
    assert walk(api_client, {"q": "tramway", "language": "en", "page_size": 2}) == matching
    assert (
        walk(api_client, {"q": "budget", "page_size": 5})[:3]
        == [
            a.pk
            for a in Article.objects.filter(headline__contains="budget").order_by("-published_at")
        ][:3]
    )
    # Going back from the last page gives the pages before it, in display order.
    first = api_client.get(LIST, {"q": "tramway", "page_size": 3}).json()
    second = api_client.get(first["next"]).json()
    back = api_client.get(second["previous"]).json()
    assert [item["id"] for item in back["results"]] == matching[:3]


def test_the_walk_step_pages_a_frequent_word_newest_first_both_ways(api_client, monkeypatch):
    # A walk of 6 rows: a page of 2 "budget" matches (3 in 4 articles) is found in it, and the
    # next page's walk starts after the cursor; a rare word falls through to the windows.
    monkeypatch.setattr(search, "SEARCH_WALK", 6)
    now = timezone.now()
    budget, tramway = [], []
    desk = DeskFactory()
    for hour in range(1, 25):
        word = "tramway" if hour % 4 == 0 else "budget"
        article = PublishedArticleFactory(
            language="en",
            desk=desk if hour % 2 else DeskFactory(),
            headline=f"The {word} again",
            standfirst="",
            body="<p>News.</p>",
            published_at=now - datetime.timedelta(hours=hour),
        )
        (tramway if word == "tramway" else budget).append(article)
    assert walk(api_client, {"q": "budget", "page_size": 2}) == [a.pk for a in budget]
    assert walk(api_client, {"q": "tramway", "page_size": 2}) == [a.pk for a in tramway]
    # Filtered by desk (the conditions apply to the walked rows too).
    assert walk(api_client, {"q": "budget", "desk": desk.pk, "page_size": 2}) == [
        a.pk for a in budget if a.desk_id == desk.pk
    ]
    first = api_client.get(LIST, {"q": "budget", "page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()
    back = api_client.get(third["previous"]).json()
    assert [item["id"] for item in back["results"]] == [a.pk for a in budget[2:4]]
    # The relevance pool is walked the same way: the newest matches, all of them here.
    ranked = api_client.get(LIST, {"q": "budget", "order": "relevance", "page_size": 50})
    assert sorted(ids(ranked)) == sorted(a.pk for a in budget)


def seed_rows(n: int) -> None:
    """n published English articles, one in a hundred about a tramway, by SQL (fast)."""
    desk = DeskFactory()
    template = PublishedArticleFactory(language="en", desk=desk, headline="Template")
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "articles_article"
        )
        if c.name not in ("id", "search_vector")
    ]
    overrides = {
        "slug": "'bulk-' || i",
        "headline": "CASE WHEN mod(i, 100) = 0 THEN 'The tramway opens' "
        "ELSE 'The council meets' END",
        "published_at": "t.published_at - make_interval(secs => i * 60)",
    }
    select = ", ".join(overrides.get(c, f"t.{c}") for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO articles_article ({', '.join(columns)}) SELECT {select} "
            f"FROM generate_series(1, %s) i JOIN articles_article t ON t.id = %s",
            [n, template.pk],
        )
        cursor.execute("SELECT gin_clean_pending_list('article_search_recent'::regclass)")
        cursor.execute("ANALYZE articles_article")


def numbered(sql: str) -> str:
    parts = sql.split("%s")
    return "".join(p + (f"${k + 1}" if k < len(parts) - 1 else "") for k, p in enumerate(parts))


def test_the_plan_still_uses_the_search_index_after_many_executions_on_one_connection(
    api_client,
):
    seed_rows(6000)
    for _ in range(12):
        for q in ("council", "tramway"):
            assert api_client.get(LIST, {"q": q, "language": "en"}).status_code == 200

    query = search.Search(text="council", language="en", filtered=language_condition("en"))
    sql, params = query.newest_sql(None, 20, search.SEARCH_WINDOWS[0])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements "
            "WHERE statement = %s",
            [numbered(sql)],
        )
        prepared = cursor.fetchall()
        # psycopg keys a prepared statement by its text and parameter types (one per shape).
        assert prepared, "the search statement was not prepared on this connection"
        assert sum(executions for _, executions in prepared) >= 10
        literals = psycopg.sql.SQL(", ").join(psycopg.sql.Literal(p) for p in params)
        plans = {}
        for name, _ in prepared:
            for mode in ("auto", "force_generic_plan"):
                cursor.execute(f"SET LOCAL plan_cache_mode = {mode}")
                explain = psycopg.sql.SQL("EXPLAIN EXECUTE {}({})").format(
                    psycopg.sql.Identifier(name), literals
                )
                cursor.execute(explain.as_string(connection.connection))
                plans[name, mode] = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL plan_cache_mode = auto")
    for plan in plans.values():
        assert "article_search_recent" in plan, plan
        assert "Seq Scan on articles_article" not in plan, plan


def test_every_step_of_a_search_has_a_generic_plan_on_the_search_index():
    seed_rows(6000)
    query = search.Search(text="tramway", language="en", filtered=language_condition("en"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        for n, window in enumerate(search.steps()):
            sql, params = query.newest_sql(None, 20, window)
            cursor.execute(f"PREPARE search_step_{n} AS {numbered(sql)}")
            literals = psycopg.sql.SQL(", ").join(psycopg.sql.Literal(p) for p in params)
            explain = psycopg.sql.SQL("EXPLAIN EXECUTE {}({})").format(
                psycopg.sql.Identifier(f"search_step_{n}"), literals
            )
            cursor.execute(explain.as_string(connection.connection))
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute(f"DEALLOCATE search_step_{n}")
            if isinstance(window, search.Walk):
                # The walk reads the newest rows in order: the public-order index, no sort.
                assert "article_public_order" in plan, (window, plan)
                assert "Sort" not in plan, (window, plan)
            else:
                assert "article_search_recent" in plan, (window, plan)
            assert "Seq Scan on articles_article" not in plan, (window, plan)
