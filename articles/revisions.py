"""An article's revision history with field-level diffs, from django-simple-history's tables.

The article's own rows and those of every *revision source* (its byline and nested lists:
claims, quotes, highlight boxes, follow-ups, images, …) are merged, newest first.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from rest_framework import serializers

from articles.models import (
    Article,
    ArticleAuthor,
    Claim,
    Correction,
    FollowUp,
    HighlightBox,
    HighlightItem,
    KeyDate,
    KeyFigure,
    Mention,
    Quote,
    Source,
)
from articles.serializers.common import UserRefSerializer, user_ref
from media_credits.models import ArticleImage

# (section name, model with HistoricalRecords, attname of its article foreign key, or a function
# of the article id returning the Q that selects its historical rows, e.g. for rows one level
# further down such as a highlight box's items)
ArticleFilter = str | Callable[[int], Q]
REVISION_SOURCES: tuple[tuple[str, type[models.Model], ArticleFilter], ...] = (
    ("authors", ArticleAuthor, "article_id"),
    ("mentions", Mention, "article_id"),
    ("claims", Claim, "article_id"),
    ("quotes", Quote, "article_id"),
    ("key_figures", KeyFigure, "article_id"),
    ("key_dates", KeyDate, "article_id"),
    ("sources", Source, "article_id"),
    ("corrections", Correction, "article_id"),
    ("highlight_boxes", HighlightBox, "article_id"),
    # Items are found through their boxes' history, so the items of a deleted box still show.
    (
        "highlight_items",
        HighlightItem,
        lambda article_id: Q(
            box_id__in=HighlightBox.history.filter(article_id=article_id).values("id")
        ),
    ),
    ("followups", FollowUp, "article_id"),
    ("images", ArticleImage, "article_id"),
)

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping that changes on every save; the entry carries the version instead.
IGNORED_FIELDS = {"version", "updated_at", "order", "article", "id"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _tracked_fields(record) -> list[tuple[str, str]]:
    """(name, attname) of the model's fields the historical row holds; ids for relations."""
    historical = {h.name: h.attname for h in record._meta.fields}
    return [
        (f.name, historical[f.name])
        for f in record.instance_type._meta.concrete_fields
        if f.name not in IGNORED_FIELDS and f.name in historical
    ]


def _snapshot(record, fields, extra: dict[str, Any]) -> dict[str, Any]:
    values = {name: _plain(getattr(record, attname)) for name, attname in fields}
    values.update(extra)
    return values


def _entries(section: str, records, m2m: dict[int, dict[str, list]] | None = None) -> list[dict]:
    """One entry per historical row; a change is diffed against the same object's previous row
    in memory, so the whole history costs one query per table."""
    entries = []
    previous_by_object: dict[Any, dict[str, Any]] = {}
    fields = None
    for record in records:
        fields = fields or _tracked_fields(record)
        values = _snapshot(record, fields, (m2m or {}).get(record.history_id, {}))
        previous = previous_by_object.get(record.id)
        if record.history_type == "-":
            changes = [
                {"field": name, "old": value, "new": None}
                for name, value in values.items()
                if value not in (None, "", [])
            ]
        elif record.history_type == "~" and previous is not None:
            changes = [
                {"field": name, "old": previous.get(name), "new": value}
                for name, value in values.items()
                if previous.get(name) != value
            ]
        else:
            changes = [
                {"field": name, "old": None, "new": value}
                for name, value in values.items()
                if value not in (None, "", [])
            ]
        entries.append(
            {
                "section": section,
                "object_id": record.id,
                "history_id": record.history_id,
                "at": record.history_date.isoformat(),
                "user": user_ref(record.history_user) if record.history_user else None,
                "action": ACTIONS.get(record.history_type, record.history_type),
                "version": getattr(record, "version", None) if section == "article" else None,
                "changes": changes,
            }
        )
        previous_by_object[record.id] = values
    return entries


def _m2m_values(model: type[models.Model], history_ids: list[int]) -> dict[int, dict[str, list]]:
    """The ids each historical row recorded for the model's tracked many-to-many fields
    (django-simple-history's m2m tables): one query per field."""
    fields = [f.name for f in getattr(model.history.model, "_history_m2m_fields", [])]
    values: dict[int, dict[str, list]] = {pk: {name: [] for name in fields} for pk in history_ids}
    if not history_ids:
        return values
    for name in fields:
        through = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{name}")
        target = model._meta.get_field(name).related_model._meta.model_name
        rows = through.objects.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}_id"
        )
        for history_id, target_id in rows:
            values[history_id][name].append(target_id)
    for value in values.values():
        for ids in value.values():
            ids.sort()
    return values


def _article_tags(history_ids: list[int]) -> dict[int, dict[str, list]]:
    """The tags each historical article row recorded."""
    return _m2m_values(Article, history_ids)


def article_revisions(*, article: Article, limit: int = 200) -> list[dict[str, Any]]:
    """Every recorded change of the article and its metadata, newest first."""
    order = ("history_date", "history_id")
    records = list(
        Article.history.filter(id=article.pk).select_related("history_user").order_by(*order)
    )
    entries = _entries("article", records, _article_tags([r.history_id for r in records]))
    for section, model, article_field in REVISION_SOURCES:
        selection = (
            article_field(article.pk)
            if callable(article_field)
            else Q(**{article_field: article.pk})
        )
        records = list(
            model.history.filter(selection).select_related("history_user").order_by(*order)
        )
        m2m = None
        if getattr(model.history.model, "_history_m2m_fields", None):
            m2m = _m2m_values(model, [r.history_id for r in records])
        entries.extend(_entries(section, records, m2m))
    entries.sort(key=lambda e: (e["at"], e["section"] == "article", e["history_id"]), reverse=True)
    return entries[:limit]


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True, help_text="Ids for relations.")
    new = serializers.JSONField(allow_null=True, help_text="Ids for relations.")


class RevisionSerializer(serializers.Serializer):
    section = serializers.CharField(
        help_text='"article", or the nested list changed: "claims", "authors", …'
    )
    object_id = serializers.IntegerField()
    history_id = serializers.IntegerField()
    at = serializers.DateTimeField()
    user = UserRefSerializer(allow_null=True, help_text="Who; null for the scheduler.")
    action = serializers.ChoiceField(choices=sorted(ACTIONS.values()))
    version = serializers.IntegerField(
        allow_null=True, help_text="The article's version after the change (article rows)."
    )
    changes = ChangeSerializer(many=True)

    def to_representation(self, instance):
        return instance
