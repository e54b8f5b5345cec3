"""Serving the public read API from stored JSON documents (see ArticleDocument).

A request costs one query for the document (joined with the article row that says whether the
article is live and which version is current) plus one for the live translations; the JSON is
built from the ORM only when the stored document is missing or stale.
"""

import json
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleDocument
from articles.serializers import article_detail, article_summary


def dumps(data) -> str:
    # Same output as DRF's JSONRenderer with its defaults (compact, UTF-8).
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def documents_build(*, article_ids: Iterable[int]) -> dict[int, ArticleDocument]:
    """Build and store the documents of these articles, whatever their status."""
    from articles.views import detail_queryset

    articles = list(detail_queryset(Article.objects.all()).filter(pk__in=list(article_ids)))
    now = timezone.now()
    documents = [
        ArticleDocument(
            article_id=article.pk,
            version=article.version,
            summary=dumps(article_summary(article)),
            detail=dumps(article_detail(article)),
            built_at=now,
        )
        for article in articles
    ]
    if documents:
        with transaction.atomic():
            ArticleDocument.objects.bulk_create(
                documents,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=["version", "summary", "detail", "built_at"],
            )
    return {document.article_id: document for document in documents}


def documents_invalidate(*, article_ids: Iterable[int]) -> None:
    """Forget stored documents whose content changed without a version bump (shared records)."""
    ArticleDocument.objects.filter(article_id__in=article_ids).delete()


def stored_or_built(rows: list[Article]) -> dict[int, str]:
    """Map article id → document, for rows fetched with `with_document()`; rebuilds stale ones."""
    fresh: dict[int, ArticleDocument] = {}
    stale: list[int] = []
    for row in rows:
        document = getattr(row, "document", None) if _has_document(row) else None
        if document is not None and document.version == row.version:
            fresh[row.pk] = document
        else:
            stale.append(row.pk)
    if stale:
        fresh.update(documents_build(article_ids=stale))
    return fresh


def _has_document(row: Article) -> bool:
    try:
        row.document  # noqa: B018 - raises when the row has no document
    except ArticleDocument.DoesNotExist:
        return False
    return True


def with_summary(queryset):
    return queryset.select_related("document").only(
        "id", "version", "published_at", "document__version", "document__summary"
    )


def with_detail(queryset):
    return queryset.select_related("document").only(
        "id", "version", "translation_of_id", "document__version", "document__detail"
    )


def live_translations(article: Article, public_queryset) -> list[dict]:
    from django.db.models import Q

    original = article.translation_of_id or article.pk
    rows = (
        public_queryset.filter(Q(pk=original) | Q(translation_of_id=original))
        .exclude(pk=article.pk)
        .order_by("language", "id")
        .values("id", "slug", "language", "headline")
    )
    return list(rows)


def detail_json(article: Article, document: ArticleDocument, translations: list[dict]) -> str:
    """The stored detail with the live translations appended (they change with other articles)."""
    return f'{document.detail[:-1]},"translations":{dumps(translations)}}}'
