"""The write side of the article API: input shapes, nested-list writers, error paths.

A nested list in a payload (``claims``, ``mentions``, …) replaces the stored list in the same
transaction as the article. Each list is handled by a *nested writer* from the registry
``nested_writers``; other apps add theirs (highlight boxes, images, follow-ups) from their
``AppConfig.ready()``::

    from articles.writes import ModelListWriter, register_nested_writer

    register_nested_writer(
        ModelListWriter(name="highlight_boxes", model=HighlightBox,
                        serializer_class=HighlightBoxInputSerializer)
    )

The input serializer then accepts and documents ``highlight_boxes``, the services write it,
and, when the model has ``history = HistoricalRecords(...)``, its changes appear in the
article's revisions. A writer that is not a plain list of rows implements ``NestedWriter``.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from articles.languages import validate_language_tag
from articles.models import (
    Article,
    Claim,
    Correction,
    Desk,
    KeyDate,
    KeyFigure,
    Mention,
    Quote,
    Source,
    Tag,
)
from articles.serializers import ArticleDetailSerializer, article_detail, iso


class NestedWriter(Protocol):
    """Replaces one nested list of an article. ``write`` raises ValidationError keyed by paths
    into the payload (``claims[2].status``) and runs inside the caller's transaction."""

    name: str
    serializer_class: type[serializers.Serializer]

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None: ...


@dataclass
class ModelListWriter:
    """Writes a list of rows that point to the article (``fk_name``), in payload order.

    Stored rows are reused rather than deleted and re-created, so the revision history shows
    what changed in each: by position, or by ``match_on(row)`` for rows with a natural key
    (a mention is its entity and role).
    """

    name: str
    model: type[models.Model]
    serializer_class: type[serializers.Serializer]
    fk_name: str = "article"
    order_field: str | None = "order"
    match_on: Callable[[models.Model], Hashable] | None = None
    history: bool = field(default=True)

    def _values(self, obj: models.Model) -> dict[str, Any]:
        return {
            f.attname: getattr(obj, f.attname)
            for f in self.model._meta.concrete_fields
            if not f.primary_key
        }

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None:
        stored = list(self.model._default_manager.filter(**{self.fk_name: article}))
        wanted = []
        for index, item in enumerate(items):
            obj = self.model(**{self.fk_name: article}, **item)
            if self.order_field:
                setattr(obj, self.order_field, index)
            wanted.append(obj)

        errors: dict[str, list[str]] = {}
        pairs: list[tuple[models.Model, models.Model | None]] = []
        if self.match_on is None:
            pairs = [(obj, stored[i] if i < len(stored) else None) for i, obj in enumerate(wanted)]
            leftovers = stored[len(wanted) :]
        else:
            by_key = {self.match_on(row): row for row in stored}
            seen: dict[Hashable, int] = {}
            for index, obj in enumerate(wanted):
                key = self.match_on(obj)
                if key in seen:
                    errors[f"{self.name}[{index}]"] = [
                        _("This is the same as item %(index)d of the list.") % {"index": seen[key]}
                    ]
                seen[key] = index
                pairs.append((obj, by_key.pop(key, None)))
            leftovers = list(by_key.values())
        if errors:
            raise ValidationError(errors)

        for row in leftovers:
            row.delete()
        to_save = []
        for index, (obj, row) in enumerate(pairs):
            if row is not None:
                new_values = self._values(obj)
                if new_values == self._values(row):
                    continue
                for attname, value in new_values.items():
                    setattr(row, attname, value)
                obj = row
            try:
                obj.full_clean(exclude=[self.fk_name])
            except ValidationError as exc:
                for fname, messages in exc.message_dict.items():
                    path = f"{self.name}[{index}]"
                    if fname != NON_FIELD_ERRORS:
                        path = f"{path}.{fname}"
                    errors.setdefault(path, []).extend(messages)
            to_save.append(obj)
        if errors:
            raise ValidationError(errors)
        for obj in to_save:
            obj.save()


nested_writers: dict[str, NestedWriter] = {}


def register_nested_writer(writer: NestedWriter) -> NestedWriter:
    """Add a nested list to the article write API (and, for ModelListWriter, its history)."""
    nested_writers[writer.name] = writer
    if isinstance(writer, ModelListWriter) and hasattr(writer.model, "history"):
        from articles.revisions import register_revision_source

        register_revision_source(writer.name, writer.model, f"{writer.fk_name}_id")
    return writer


# --- Errors ---------------------------------------------------------------------------------


def flatten_errors(detail: Any) -> Any:
    """DRF's nested error structure as {path: [messages]}: ``claims[2].status``.

    A flat error dict comes back unchanged; a bare list (errors without a field) too.
    """
    if not isinstance(detail, dict):
        return detail
    flat: dict[str, list[str]] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                    walk(value, f"{path}[{key}]")
                elif key in ("non_field_errors", NON_FIELD_ERRORS):
                    walk(value, path or "non_field_errors")
                else:
                    walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list | tuple):
            if all(not isinstance(item, dict | list | tuple) for item in node):
                flat.setdefault(path, []).extend(str(item) for item in node)
            else:
                for index, item in enumerate(node):
                    if item:
                        walk(item, f"{path}[{index}]")
        else:
            flat.setdefault(path, []).append(str(node))

    walk(detail, "")
    return flat


# --- Input shapes ---------------------------------------------------------------------------


class MentionInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mention
        fields = ["entity", "role"]


class ClaimInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["text", "status", "attributed_to", "sourcing", "as_of"]


class QuoteInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quote
        fields = ["text", "speaker", "speaker_label", "speaker_organisation", "said_at"]


class KeyFigureInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyFigure
        fields = ["label", "value", "value_high", "unit", "as_of", "source"]


class KeyDateInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyDate
        fields = ["date", "precision", "label"]


class SourceInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["name", "role", "url"]


class CorrectionInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["text", "corrected_at"]


for _writer in (
    ModelListWriter(
        name="mentions",
        model=Mention,
        serializer_class=MentionInputSerializer,
        match_on=lambda m: (m.entity_id, m.role),
    ),
    ModelListWriter(name="claims", model=Claim, serializer_class=ClaimInputSerializer),
    ModelListWriter(name="quotes", model=Quote, serializer_class=QuoteInputSerializer),
    ModelListWriter(name="key_figures", model=KeyFigure, serializer_class=KeyFigureInputSerializer),
    ModelListWriter(name="key_dates", model=KeyDate, serializer_class=KeyDateInputSerializer),
    ModelListWriter(name="sources", model=Source, serializer_class=SourceInputSerializer),
    ModelListWriter(
        name="corrections",
        model=Correction,
        serializer_class=CorrectionInputSerializer,
        order_field=None,
    ),
):
    register_nested_writer(_writer)


class ArticleWriteSerializer(serializers.Serializer):
    """What POST, PUT and PATCH accept. Nested lists given replace the stored ones.

    Status and publication times change only through the workflow actions (submit, publish,
    schedule, retract). The body is HTML, cleaned of anything unsafe on save, never rejected.
    """

    headline = serializers.CharField(max_length=300)
    slug = serializers.SlugField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="The article's address; derived from the headline when empty on creation.",
    )
    language = serializers.CharField(
        max_length=35,
        validators=[validate_language_tag],
        help_text="BCP 47 code, e.g. fr, en, fr-CA.",
    )
    desk = serializers.PrimaryKeyRelatedField(
        queryset=Desk.objects.all(),
        allow_null=True,
        help_text="Id of the desk; you must belong to it.",
    )
    standfirst = serializers.CharField(required=False, allow_blank=True, default="")
    body = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="HTML; cleaned on save."
    )
    source_note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    editor_note = serializers.CharField(required=False, allow_blank=True, default="")
    canonical_url = serializers.URLField(required=False, allow_blank=True, default="")
    translation_of = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.all(), required=False, allow_null=True, default=None
    )
    embargo_until = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Readers cannot see the article before this time.",
    )
    authors = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        many=True,
        required=False,
        help_text="User ids in byline order. On creation, defaults to you.",
    )
    tags = serializers.SlugRelatedField(
        queryset=Tag.objects.all(), slug_field="slug", many=True, required=False
    )

    def get_fields(self):
        fields = super().get_fields()
        for name, writer in nested_writers.items():
            fields[name] = writer.serializer_class(
                many=True, required=False, help_text="Replaces the stored list."
            )
        return fields

    def validate_translation_of(self, value):
        from articles.permissions import visible_articles

        request = self.context.get("request")
        if value is not None and request is not None:
            if not visible_articles(request.user).filter(pk=value.pk).exists():
                raise serializers.ValidationError(_("No article with this id."))
        return value


# --- Output for the desk ----------------------------------------------------------------------

# Fields of the desk's view that differ from the public detail: a nested list in the shape the
# write API takes back (ids, roles, owners), so that a client can edit what it read.
# name -> (build(article) -> value, factory of the serializer field documenting it)
editorial_fields: dict[str, tuple[Callable[[Article], Any], Callable[[], serializers.Field]]] = {}


def register_editorial_field(
    name: str,
    build: Callable[[Article], Any],
    field: Callable[[], serializers.Field],
) -> None:
    """Add (or replace) a field of the desk's article payload and document it in the schema."""
    editorial_fields[name] = (build, field)


def article_editorial(article: Article, translations: list[Article] | None = None) -> dict:
    """The public detail plus what only the desk sees."""
    data = article_detail(article, translations)
    data.update(
        {
            "editor_note": article.editor_note,
            "publish_at": iso(article.publish_at),
            "embargo_until": iso(article.embargo_until),
            "created_at": iso(article.created_at),
            "translation_of": article.translation_of_id,
        }
    )
    for name, (build, _field) in editorial_fields.items():
        data[name] = build(article)
    return data


class ArticleEditorialSerializer(ArticleDetailSerializer):
    editor_note = serializers.CharField()
    publish_at = serializers.DateTimeField(allow_null=True)
    embargo_until = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    translation_of = serializers.IntegerField(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        for name, (_build, make_field) in editorial_fields.items():
            fields[name] = make_field()
        return fields

    def to_representation(self, instance):
        return article_editorial(instance, self.context.get("translations"))


class ScheduleInputSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(help_text="When to publish, with its time zone.")


class RetractInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why; shown to readers as a correction note."
    )
