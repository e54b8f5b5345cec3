"""Serving the public read API from stored JSON documents (see ArticleDocument).

A request costs one query for the document (joined with the article row that says whether the
article is live and which version is current) plus one for the live translations; the JSON is
built from the ORM only when the stored document is missing or stale.
"""

import datetime
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.db.models import F
from django.utils import timezone, translation

from articles.dbspeed import prepared_cursor
from articles.models import Article, ArticleDocument
from articles.pagination import Position
from articles.purge import detail_keys, document_keys
from articles.serializers.public import article_detail, article_summary, detail_queryset
from newsroom.http_cache import digest, strong_etag, timestamp


def dumps(data) -> str:
    # Same output as DRF's JSONRenderer with its defaults (compact, UTF-8).
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def documents_build(*, article_ids: Iterable[int]) -> dict[int, ArticleDocument]:
    """Build and store the documents of these articles, whatever their status."""
    articles = list(detail_queryset(Article.objects.all()).filter(pk__in=list(article_ids)))
    now = timezone.now()
    documents = []
    for article in articles:
        # Labels (a claim's status) follow the article's language, whoever reads it first.
        with translation.override(article.language):
            detail = dumps(article_detail(article))
            documents.append(
                ArticleDocument(
                    article_id=article.pk,
                    version=article.version,
                    summary=dumps(article_summary(article)),
                    detail=detail,
                    digest=digest(detail),
                    surrogate_keys=" ".join(document_keys(article)),
                    built_at=now,
                )
            )
    if documents:
        with transaction.atomic():
            ArticleDocument.objects.bulk_create(
                documents,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=[
                    "version",
                    "summary",
                    "detail",
                    "digest",
                    "surrogate_keys",
                    "built_at",
                ],
            )
    return {document.article_id: document for document in documents}


def with_summary(queryset):
    """Rows for a list page: plain dicts (no model instances), each with its stored summary."""
    return queryset.values(
        "id",
        "published_at",
        "version",
        document_version=F("document__version"),
        summary=F("document__summary"),
    )


def summaries(rows: list[dict]) -> list[str]:
    """The summary JSON of each row, in order; missing or stale documents are rebuilt."""
    stale = [row["id"] for row in rows if row["document_version"] != row["version"]]
    built = documents_build(article_ids=stale) if stale else {}
    result = []
    for row in rows:
        if row["document_version"] == row["version"]:
            result.append(row["summary"])
        elif row["id"] in built:  # else deleted since the page was read
            result.append(built[row["id"]].summary)
            row["changed_at"] = max(row["changed_at"], timestamp(built[row["id"]].built_at))
    return result


@dataclass
class LiveDetail:
    """One live article found by id or slug, with its stored document and live translations.

    ``changed_at`` is the latest of the document's build and of the translations' changes
    (their updates, publications and embargo lifts): the answer's Last-Modified.
    """

    id: int
    original_id: int
    language: str
    version: int
    document_version: int | None
    document: str | None
    document_digest: str
    document_keys: str
    changed_at: int
    translations: list[dict]

    def build(self) -> bool:
        """Rebuild a missing or stale document; False when the article is gone meanwhile."""
        if self.document is not None and self.document_version == self.version:
            return True
        built = documents_build(article_ids=[self.id]).get(self.id)
        if built is None:  # deleted since the lookup
            return False
        self.document, self.document_version = built.detail, built.version
        self.document_digest, self.document_keys = built.digest, built.surrogate_keys
        self.changed_at = max(self.changed_at, timestamp(built.built_at))
        return True

    @functools.cached_property
    def translations_json(self) -> str:
        return dumps(self.translations)

    def etag(self) -> str:
        """A strong ETag of the answer's bytes without making them: the stored document's
        digest and the translations appended to it (the only per-request part). Builds only a
        missing or stale document."""
        self.build()
        return strong_etag(self.document_digest, self.translations_json)

    def keys(self) -> str:
        return detail_keys(
            article_id=self.id,
            original_id=self.original_id,
            stored=self.document_keys,
            translation_ids=[t["id"] for t in self.translations],
        )

    def json(self) -> str:
        """The stored detail with the live translations added (they change with other articles)."""
        if not self.build():
            return ""
        return f'{self.document[:-1]},"translations":{self.translations_json}}}'


@functools.cache
def _detail_sql(by: str) -> str:
    """The lookup of a live article by `id` or `slug` (and `language`), with its translations.

    One statement, the same on PostgreSQL and SQLite: every live member `t` of the article's
    translation family (the article itself included), found through the family index, with
    the stored document joined on the article's own row.
    """
    quote = connection.ops.quote_name
    article, document = quote(Article._meta.db_table), quote(ArticleDocument._meta.db_table)
    key = {
        "id": "a.id = %(pk)s",
        "slug": "a.slug = %(slug)s",
        "slug_language": "a.slug = %(slug)s AND LOWER(a.language) = LOWER(%(language)s)",
    }[by]

    published = Article.Status.PUBLISHED.value  # our own constant: a literal, not a parameter

    def live(alias: str) -> str:
        return (
            f"{alias}.status = '{published}' AND {alias}.published_at <= %(now)s "
            f"AND ({alias}.embargo_until IS NULL OR {alias}.embargo_until <= %(now)s)"
        )

    return f"""
        SELECT a.id, a.version, t.id, t.slug, t.language, t.headline, d.version, d.detail,
          COALESCE(a.translation_of_id, a.id), d.digest, d.surrogate_keys,
          {_member_changed_at_sql()}
        FROM {article} a
        INNER JOIN {article} t
          ON COALESCE(t.translation_of_id, t.id) = COALESCE(a.translation_of_id, a.id)
        LEFT OUTER JOIN {document} d ON d.article_id = a.id AND t.id = a.id
        WHERE {key} AND {live("a")} AND {live("t")}
    """


def fetch(sql: str, params) -> list[tuple]:
    """Run a read of the public path; a dropped connection is reopened once and the read retried.

    The public path pings no connection before using it (CONN_HEALTH_CHECKS would cost a
    round trip per request): outside a transaction, a connection the database dropped (a
    restart, an idle timeout) is found here instead and replaced.
    """
    # The connection itself, not the per-request proxy: each proxy lookup costs a context-local
    # read, and this path is short enough for that to show.
    db = connections[DEFAULT_DB_ALIAS]
    for attempt in (1, 2):
        try:
            with prepared_cursor(db) as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        except (OperationalError, InterfaceError):
            if attempt == 2 or db.in_atomic_block or db.is_usable():
                raise
            db.close()
    raise AssertionError("unreachable")


def live_details(
    *, pk: int | None = None, slug: str | None = None, language: str | None = None
) -> list[LiveDetail]:
    """Live articles with this id, or this slug (in this language, when given)."""
    if pk is not None:
        by, params = "id", {"pk": pk}
    else:
        by, params = (
            ("slug_language", {"slug": slug, "language": language})
            if language
            else (
                "slug",
                {"slug": slug},
            )
        )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params["now"] = now
    rows = fetch(_detail_sql(by), params)
    found: dict[int, LiveDetail] = {}
    for row in rows:
        article_id, version, member_id, _, language_, _, doc_version, doc, original = row[:9]
        if member_id == article_id:
            found[article_id] = LiveDetail(
                article_id,
                original,
                language_,
                version,
                doc_version,
                doc,
                row[9] or "",
                row[10] or "",
                0,
                [],
            )
    for row in sorted(rows, key=lambda row: (row[4], row[2])):
        article_id, _, member_id, slug_, language_, headline = row[:6]
        detail = found[article_id]
        # A member's change, publication or embargo lift changes what the answer shows, and so
        # does the build of the article's own document (on the article's own row).
        detail.changed_at = max(detail.changed_at, timestamp(row[11]) or 0)
        if member_id != article_id:
            detail.translations.append(
                {"id": member_id, "slug": slug_, "language": language_, "headline": headline}
            )
    return list(found.values())


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _as_datetime(value) -> datetime.datetime:
    """A publication time as the query returned it: microseconds since the epoch (the public
    list on PostgreSQL), a datetime (a search), or text in UTC (SQLite)."""
    if isinstance(value, int):
        return EPOCH + datetime.timedelta(microseconds=value)
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def ids_condition(sql: str, params: tuple) -> tuple[str, tuple]:
    return f"a.id IN ({sql})", params


def language_condition(language: str) -> tuple[str, tuple]:
    """The article is in this language or one of its regional variants (fr: fr, fr-CA)."""
    language = language.lower()  # a validated BCP 47 tag: no LIKE wildcards in it
    return "(LOWER(a.language) = %s OR LOWER(a.language) LIKE %s)", (language, f"{language}-%")


def public_page(
    *, position: Position | None, size: int, filtered: tuple[str, tuple] | None = None
) -> tuple[list[dict], bool]:
    """One page of live articles, newest first, after (or before) `position`, with documents.

    Keyset pagination on (published_at, id) in plain SQL: one statement, prepared on PostgreSQL,
    walking the public-order index. `filtered` is a condition on the article `a`: the ids a
    filter keeps (`ids_condition` on the SQL the ORM builds, only when the request filters), or
    `language_condition`. Returns the rows in display order and whether there are more rows
    beyond them in the direction of travel.
    """
    quote = connection.ops.quote_name
    article, document = quote(Article._meta.db_table), quote(ArticleDocument._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    where = [
        "a.status = %s",
        "a.published_at <= %s",
        "(a.embargo_until IS NULL OR a.embargo_until <= %s)",
    ]
    params: list = [Article.Status.PUBLISHED, now, now]
    if filtered is not None:
        where.append(filtered[0])
        params.extend(filtered[1])
    reverse = position is not None and position.reverse
    if position is not None:
        where.append(f"(a.published_at, a.id) {'>' if reverse else '<'} (%s, %s)")
        params += [
            connection.ops.adapt_datetimefield_value(position.published_at),
            position.id,
        ]
    direction = "ASC" if reverse else "DESC"
    sql = (
        f"SELECT a.id, {_published_at_sql()}, a.version, d.version, d.summary, "
        f"{_changed_at_sql()} "
        f"FROM {article} a LEFT OUTER JOIN {document} d ON d.article_id = a.id "
        f"WHERE {' AND '.join(where)} "
        f"ORDER BY a.published_at {direction}, a.id {direction} LIMIT %s"
    )
    params.append(size + 1)
    return page_rows(fetch(sql, params), size=size, reverse=reverse)


@functools.cache
def _member_changed_at_sql() -> str:
    """When a member `t` of the family last changed what the detail shows (its update,
    publication or embargo lift, and the stored document's build on the article's own row), one
    column: whole seconds on PostgreSQL (an integer, cheaper to load than four timestamps),
    text in UTC on SQLite."""
    moments = "d.built_at, t.updated_at, t.published_at, t.embargo_until"
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM GREATEST({moments})))::bigint"
    # SQLite's max() of several values is NULL when one is: the publication time stands in.
    return (
        "MAX(COALESCE(d.built_at, t.published_at), t.updated_at, t.published_at, "
        "COALESCE(t.embargo_until, t.published_at))"
    )


@functools.cache
def _published_at_sql() -> str:
    """A list row's publication time: microseconds since the epoch on PostgreSQL (an integer
    loads several times faster than a timestamp through Django's time zone loader, and only the
    first and last rows of a page need it as a datetime, for the cursors), text on SQLite."""
    if connection.vendor == "postgresql":
        return "(EXTRACT(EPOCH FROM a.published_at) * 1000000)::bigint"
    return "a.published_at"


@functools.cache
def _changed_at_sql() -> str:
    """When a list row last changed what a page shows (its document's build, the article's
    update, publication or embargo lift), one column instead of four: whole seconds on
    PostgreSQL (an integer, cheaper to load than a timestamp), text in UTC on SQLite."""
    moments = "a.published_at, d.built_at, a.updated_at, a.embargo_until"
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM GREATEST({moments})))::bigint"
    # SQLite's max() of several values is NULL when one is: the publication time stands in.
    return (
        "MAX(a.published_at, COALESCE(d.built_at, a.published_at), a.updated_at, "
        "COALESCE(a.embargo_until, a.published_at))"
    )


def page_rows(fetched: list[tuple], *, size: int, reverse: bool = False) -> tuple[list[dict], bool]:
    """Rows (id, published_at, version, document version, summary, and when the row last
    changed) of a list page as dicts, in display order, and whether more rows were fetched
    beyond the page."""
    rows = [
        {
            "id": row[0],
            "published_at": _as_datetime(row[1]),
            "version": row[2],
            "document_version": row[3],
            "summary": row[4],
            # When the row last changed what a page shows (the page's Last-Modified).
            # (A search's rows have no such column: their publication stands in.)
            "changed_at": timestamp(row[5] if len(row) > 5 else row[1]),
        }
        for row in fetched[:size]
    ]
    if reverse:
        rows.reverse()
    return rows, len(fetched) > size
