"""Full-text search of the public list on PostgreSQL: newest matches first, or by relevance.

The plan of a search must not depend on the word, nor on how many times the connection ran the
statement (psycopg prepares a statement after a few runs, and PostgreSQL then switches to a
generic plan that knows nothing of the word: a bitmap over every match of a frequent word,
then a sort, took seconds at 250,000 articles). So the statement has one good plan whatever the
word, and it is the plan every execution gets:

- The query is parsed once per execution, in an InitPlan (``(SELECT websearch_to_tsquery(...))``),
  so no plan ever estimates from the word itself, and rows are never re-parsing it.
- Matches are looked for among the newest ``SEARCH_WALK`` live articles first (after the page's
  cursor), read in the public order and checked one by one: a word in most articles fills its
  page within a few dozen rows, with no index of the word read at all (0.2 ms for a word in
  every article at 250,000, against 14 ms for its bitmap in the window below).
- Then among the newest ``SEARCH_WINDOWS[0]`` live articles, then everywhere. The windowed
  step is one bitmap scan of the multicolumn GIN index ``article_search_recent``
  (search_vector, publication day), whose cost is bounded by the window: a word in every article
  reads 2,000 rows, not 250,000. A word that has fewer matches than a page in the window is rare
  enough (under one article in a hundred) for the unbounded step, a bitmap of all its matches,
  to stay small. A window is "the N newest": the published_at of the N-th live article, read
  from the public-order index.
- The page is cut before the documents are joined.

Relevance (``order=relevance``) ranks with ``ts_rank_cd`` the newest ``RELEVANCE_POOL`` matches
(found the same way), so its cost is bounded too; its pages walk that ranked pool.
"""

import base64
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from articles.languages import SEARCH_CONFIGS, search_config
from articles.models import Article, ArticleDocument
from articles.pagination import INVALID_CURSOR, Position

# The first step checks the newest SEARCH_WALK live articles one by one, in the public order.
SEARCH_WALK = 200
# Each window is this many of the newest live articles (after the cursor); then no window.
SEARCH_WINDOWS = (2_000,)
# The publication day in UTC, as the second column of the search index (migration 0013).
DAY = "date_trunc('day', %s AT TIME ZONE 'UTC')"
RELEVANCE_POOL = 200
# The relevance pool's walk: a word in half the newest articles fills the pool in it.
RELEVANCE_WALK = 2 * RELEVANCE_POOL
ORDERS = ("newest", "relevance")


def configurations(language: str | None) -> list[str]:
    """The text-search configurations a query is parsed with: the language's (all of ours when
    no language is given) and the accent-blind simple one, for articles in other languages."""
    configs = [search_config(language)] if language else list(SEARCH_CONFIGS.values())
    if search_config("") not in configs:
        configs.append(search_config(""))
    return configs


def tsquery_sql(configs: list[str]) -> str:
    """A scalar subquery (an InitPlan: evaluated once) of the query in every configuration.

    The configuration names are our own constants, written as literals; the text is a parameter.
    """
    parsed = " || ".join(f"websearch_to_tsquery('{config}'::regconfig, %s)" for config in configs)
    return f"(SELECT {parsed})"


@dataclass(frozen=True)
class RankedPosition:
    """Where a page of a relevance-ordered search starts in the ranked pool."""

    offset: int

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"rank|{self.offset}".encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "RankedPosition":
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            kind, offset = raw.split("|")
            value = int(offset)
        except ValueError as exc:
            raise ValidationError({"cursor": [INVALID_CURSOR]}) from exc
        if kind != "rank" or not 0 <= value < RELEVANCE_POOL:
            raise ValidationError({"cursor": [INVALID_CURSOR]})
        return cls(value)


class Search:
    """One search: the statement's pieces shared by its steps, and the steps themselves."""

    def __init__(self, *, text: str, language: str | None, filtered: tuple[str, tuple] | None):
        quote = connection.ops.quote_name
        self.article = quote(Article._meta.db_table)
        self.document = quote(ArticleDocument._meta.db_table)
        configs = configurations(language)
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        # The live conditions are written so that no index matches them ("IS TRUE"): ANDing a
        # bitmap of every live article (the public-order index) into the search costs more
        # than the search itself (275 ms at 250,000 articles); they filter the matches instead.
        self.where = [
            f"a.search_vector @@ {tsquery_sql(configs)}",
            "(a.status = %s AND a.published_at <= %s) IS TRUE",
            "(a.embargo_until IS NULL OR a.embargo_until <= %s)",
        ]
        self.params: list = [text] * len(configs) + [Article.Status.PUBLISHED, self.now, self.now]
        if filtered is not None:
            self.where.append(filtered[0])
            self.params.extend(filtered[1])

    def bounded(
        self, position: Position | None, window: "int | Walk | None"
    ) -> tuple[str, str, list[str], list, str]:
        """One step's pieces: a WITH clause (the window's edge), what is searched (the table,
        or the walk's newest rows), its conditions (after the cursor, inside the window), their
        parameters, and the direction."""
        where, params = list(self.where), list(self.params)
        reverse = position is not None and position.reverse
        after, direction = (">", "ASC") if reverse else ("<", "DESC")
        cursor = []
        if position is not None:
            cursor = [
                connection.ops.adapt_datetimefield_value(position.published_at),
                position.id,
            ]
        if isinstance(window, Walk):
            # The newest rows after the cursor, from the public-order index; the query and the
            # other conditions are checked on each, and the page stops the walk when full.
            live = ["b.status = %s", "b.published_at <= %s"]
            if position is not None:
                live.append(f"(b.published_at, b.id) {after} (%s, %s)")
            source = (
                f"(SELECT b.* FROM {self.article} b WHERE {' AND '.join(live)} "
                f"ORDER BY b.published_at {direction}, b.id {direction} "
                f"LIMIT {int(window.rows)}) a"
            )
            return (
                "",
                source,
                where,
                [Article.Status.PUBLISHED, self.now, *cursor, *params],
                direction,
            )
        source = f"{self.article} a"
        if position is not None:
            where.append(f"(a.published_at, a.id) {after} (%s, %s)")
            params += cursor
        if window is None:
            return "", source, where, params, direction
        # The published_at of the window's last article: the newest `window` live articles
        # after the cursor are at or after it (before it, going back). Read once (a CTE), from
        # the public-order index.
        bound = ["b.status = %s", "b.published_at <= %s"]
        bound_params: list = [Article.Status.PUBLISHED, self.now]
        if position is not None:
            bound.append(f"(b.published_at, b.id) {after} (%s, %s)")
            bound_params += cursor
        edge, infinity = ("<=", "infinity") if reverse else (">=", "-infinity")
        with_clause = (
            f"WITH edge AS (SELECT COALESCE((SELECT b.published_at FROM {self.article} b "
            f"WHERE {' AND '.join(bound)} "
            f"ORDER BY b.published_at {direction}, b.id {direction} OFFSET %s LIMIT 1), "
            f"'{infinity}'::timestamptz) AS at) "
        )
        # The day (the search index's second column) narrows the index scan to the window's
        # few days; the timestamp then gives the exact window.
        where += [
            f"{DAY % 'a.published_at'} {edge} {DAY % '(SELECT at FROM edge)'}",
            f"a.published_at {edge} (SELECT at FROM edge)",
        ]
        return with_clause, source, where, [*bound_params, window - 1, *params], direction

    def newest_sql(self, position: Position | None, size: int, window: "int | Walk | None"):
        with_clause, source, where, params, direction = self.bounded(position, window)
        # The page is cut before its documents are joined: one document read per row shown.
        sql = (
            f"{with_clause}SELECT m.id, m.published_at, m.version, d.version, d.summary FROM ("
            f"SELECT a.id, a.published_at, a.version FROM {source} "
            f"WHERE {' AND '.join(where)} "
            f"ORDER BY a.published_at {direction}, a.id {direction} LIMIT %s) m "
            f"LEFT OUTER JOIN {self.document} d ON d.article_id = m.id "
            f"ORDER BY m.published_at {direction}, m.id {direction}"
        )
        return sql, [*params, size + 1]

    def pool_sql(self, window: "int | Walk | None"):
        with_clause, source, where, params, _ = self.bounded(None, window)
        # The configurations' query once more, for the rank (an InitPlan as in the condition).
        rank_query = self.where[0].removeprefix("a.search_vector @@ ")
        texts = self.params[: self.where[0].count("%s")]
        # What comes before the conditions' own parameters: the window's edge or the walk's.
        edge_params = params[: len(params) - len(self.params)]
        rest = params[len(edge_params) :]
        # Ranked after the pool is cut, so that only the pool's vectors are read for the rank.
        sql = (
            f"{with_clause}SELECT m.id, m.published_at, ts_rank_cd(m.search_vector, "
            f"{rank_query}) FROM (SELECT a.id, a.published_at, a.search_vector "
            f"FROM {source} WHERE {' AND '.join(where)} "
            f"ORDER BY a.published_at DESC, a.id DESC LIMIT %s) m"
        )
        # In the statement's order: a window's edge (WITH) comes before the rank's query, a
        # walk's rows (FROM) after it.
        if with_clause:
            return sql, [*edge_params, *texts, *rest, RELEVANCE_POOL]
        return sql, [*texts, *edge_params, *rest, RELEVANCE_POOL]


@dataclass(frozen=True)
class Walk:
    """A step that reads the newest ``rows`` live articles in order and checks each."""

    rows: int


def steps(walk: int | None = None) -> list:
    return [Walk(walk or SEARCH_WALK), *SEARCH_WINDOWS, None]


def search_newest(
    *,
    text: str,
    language: str | None,
    position: Position | None,
    size: int,
    filtered: tuple[str, tuple] | None = None,
) -> list[tuple]:
    """Up to size + 1 live matches after `position`, newest first (oldest first going back)."""
    from articles.readmodel import fetch

    search = Search(text=text, language=language, filtered=filtered)
    for window in steps():
        fetched = fetch(*search.newest_sql(position, size, window))
        if len(fetched) > size:
            break
    return fetched


def search_ranked(
    *,
    text: str,
    language: str | None,
    position: RankedPosition | None,
    size: int,
    filtered: tuple[str, tuple] | None = None,
) -> tuple[list[tuple], bool]:
    """A page of the newest RELEVANCE_POOL matches ranked by ts_rank_cd (ties: newest first),
    as rows of the public list, and whether the pool holds more after it."""
    from articles.readmodel import fetch

    search = Search(text=text, language=language, filtered=filtered)
    for window in steps(RELEVANCE_WALK):
        pool = fetch(*search.pool_sql(window))
        if len(pool) >= RELEVANCE_POOL:
            break
    ranked = sorted(pool, key=lambda row: (-row[2], -row[1].timestamp(), -row[0]))
    start = position.offset if position is not None else 0
    page = [row[0] for row in ranked[start : start + size]]
    if not page:
        return [], False
    rows = fetch(
        f"SELECT a.id, a.published_at, a.version, d.version, d.summary "
        f"FROM {search.article} a LEFT OUTER JOIN {search.document} d ON d.article_id = a.id "
        f"WHERE a.id = ANY(%s)",
        [page],
    )
    by_id = {row[0]: row for row in rows}
    return [by_id[pk] for pk in page if pk in by_id], len(ranked) > start + size
