"""Highlight boxes and follow-ups in the article write API (nested writers, see articles.writes).

Both run inside ``article_create`` / ``article_update``'s transaction, after the If-Match
version bump: the new version is what makes the public read path rebuild the stored document.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import serializers

from articles.extension_shapes import HighlightItemShape
from articles.followup_views import AwareDateTimeField
from articles.followups import followup_cancel, followup_create, followup_update
from articles.history import current_acting_user
from articles.html import clean_inline
from articles.models import Article, Entity, FollowUp, HighlightBox, HighlightItem
from articles.models.followups import default_promise
from articles.models.highlights import default_highlight_title
from articles.revisions import register_revision_source
from articles.writes import register_editorial_field, register_nested_writer


def _add_errors(
    errors: dict[str, list[str]], path: str, exc: ValidationError
) -> dict[str, list[str]]:
    """Put a model or service ValidationError under ``path`` (``highlight_boxes[1].title``)."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            key = path if name == NON_FIELD_ERRORS else f"{path}.{name}"
            errors.setdefault(key, []).extend(messages)
    else:
        errors.setdefault(path, []).extend(exc.messages)
    return errors


# --- Highlight boxes ---------------------------------------------------------------------------


class HighlightItemInputSerializer(serializers.Serializer):
    emoji = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    text = serializers.CharField(
        help_text="Plain text, or bold, italics and links; anything else is removed."
    )


class HighlightBoxInputSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Empty: the usual title in the article's language (“Key points”).",
    )
    order = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        help_text="Position among the boxes; defaults to the place in the list.",
    )
    items = HighlightItemInputSerializer(many=True, required=False)


class HighlightBoxWriter:
    """Replaces the article's boxes and their items, reusing stored rows by position so that
    the history shows what changed in each rather than a deletion and a creation."""

    name = "highlight_boxes"
    serializer_class = HighlightBoxInputSerializer

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None:
        stored = list(HighlightBox.objects.filter(article=article).prefetch_related("items"))
        errors: dict[str, list[str]] = {}
        plan: list[tuple[HighlightBox, bool, list[tuple[HighlightItem, bool]], list]] = []
        for index, data in enumerate(items):
            path = f"{self.name}[{index}]"
            box = stored[index] if index < len(stored) else HighlightBox(article=article)
            title = (data.get("title") or "").strip() or default_highlight_title(article.language)
            order = data.get("order", index)
            box_changed = box.pk is None or (box.title, box.order) != (title, order)
            box.title, box.order = title, order
            try:
                box.full_clean(exclude=["article"])
            except ValidationError as exc:
                _add_errors(errors, path, exc)
            stored_items = list(box.items.all()) if box.pk else []
            item_plan = []
            for position, item_data in enumerate(data.get("items") or []):
                item = stored_items[position] if position < len(stored_items) else None
                item = item or HighlightItem(box=box)
                emoji = item_data.get("emoji", "")
                text = clean_inline(item_data["text"])
                item_changed = item.pk is None or (item.emoji, item.text, item.order) != (
                    emoji,
                    text,
                    position,
                )
                item.emoji, item.text, item.order = emoji, text, position
                try:
                    item.full_clean(exclude=["box"])
                except ValidationError as exc:
                    _add_errors(errors, f"{path}.items[{position}]", exc)
                item_plan.append((item, item_changed))
            plan.append((box, box_changed, item_plan, stored_items[len(item_plan) :]))
        if errors:
            raise ValidationError(errors)

        for box in stored[len(items) :]:
            box.delete()
        for box, box_changed, item_plan, leftover_items in plan:
            if box_changed:
                box.save()
            for item in leftover_items:
                item.delete()
            for item, item_changed in item_plan:
                if item_changed:
                    item.box = box
                    item.save()


def highlight_boxes_editorial(article: Article) -> list[dict]:
    """The boxes as the write API takes them back. Reads the detail's prefetch."""
    return [
        {
            "title": box.title,
            "order": box.order,
            "items": [{"emoji": item.emoji, "text": item.text} for item in box.items.all()],
        }
        for box in article.highlight_boxes.all()
    ]


class HighlightBoxEditorialShape(serializers.Serializer):
    title = serializers.CharField()
    order = serializers.IntegerField()
    items = HighlightItemShape(many=True)


# --- Follow-ups ----------------------------------------------------------------------------------

FOLLOWUP_FIELDS = ("what", "next_check_at", "every_days", "promise", "owner")


class FollowUpInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False,
        help_text="One of the article's follow-ups to change; leave it out to add one.",
    )
    what = serializers.CharField(
        required=False, help_text="What to watch. Required for a new follow-up."
    )
    next_check_at = AwareDateTimeField(
        required=False,
        allow_null=True,
        help_text="When the first reminder is due, with its time zone. Required for a new one.",
    )
    every_days = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        required=False,
        allow_null=True,
        help_text="Remind again every N days; null: once.",
    )
    promise = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="The line readers see; empty: the usual one in the article's language.",
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="User id of who gets the reminders; defaults to you for a new follow-up.",
    )
    entities = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the entities whose new articles the reminder lists.",
    )


class FollowUpWriter:
    """Replaces the article's open follow-ups through the follow-up services.

    An item with an ``id`` changes that follow-up (``followup_update``), one without creates a
    follow-up (``followup_create``, owned by the requesting user unless ``owner`` is given), and
    a watched follow-up left out of the list is cancelled (``followup_cancel``): never deleted,
    so its reminder deliveries stay on record. Done follow-ups are closed: left out, they stay.
    """

    name = "followups"
    serializer_class = FollowUpInputSerializer

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None:
        stored = {
            f.pk: f
            for f in FollowUp.objects.filter(article=article)
            .exclude(status=FollowUp.Status.CANCELLED)
            .prefetch_related("entities")
        }
        errors: dict[str, list[str]] = {}
        seen: dict[int, int] = {}
        for index, data in enumerate(items):
            path = f"{self.name}[{index}]"
            pk = data.get("id")
            if pk is None:
                for name in ("what", "next_check_at"):
                    if not data.get(name):
                        errors[f"{path}.{name}"] = [_("A new follow-up needs this field.")]
            elif pk not in stored:
                errors[f"{path}.id"] = [_("This article has no open follow-up with this id.")]
            elif pk in seen:
                errors[path] = [
                    _("This is the same as item %(index)d of the list.") % {"index": seen[pk]}
                ]
            else:
                seen[pk] = index
        if errors:
            raise ValidationError(errors)

        for pk, followup in stored.items():
            if pk not in seen and followup.is_active:
                followup_cancel(followup=followup)
        for index, data in enumerate(items):
            path = f"{self.name}[{index}]"
            try:
                if data.get("id") is None:
                    self._create(article=article, data=data, path=path)
                else:
                    self._update(article=article, followup=stored[data["id"]], data=data)
            except ValidationError as exc:
                _add_errors(errors, path, exc)
        if errors:
            raise ValidationError(errors)

    def _create(self, *, article: Article, data: dict[str, Any], path: str) -> None:
        owner = data.get("owner") or current_acting_user()
        if owner is None:
            raise ValidationError({"owner": _("Name the owner who gets the reminders.")})
        followup_create(
            article=article,
            owner=owner,
            what=data["what"],
            next_check_at=data["next_check_at"],
            every_days=data.get("every_days"),
            entities=data.get("entities", ()),
            promise=data.get("promise", ""),
        )

    def _update(self, *, article: Article, followup: FollowUp, data: dict[str, Any]) -> None:
        changes = {}
        for name in FOLLOWUP_FIELDS:
            if name not in data:
                continue
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            if name == "promise" and not value:
                value = default_promise(article.language)
            current = followup.owner_id if name == "owner" else getattr(followup, name)
            if current != (value.pk if name == "owner" else value):
                changes[name] = value
        entities = None
        if "entities" in data:
            wanted = {entity.pk for entity in data["entities"]}
            if wanted != {entity.pk for entity in followup.entities.all()}:
                entities = data["entities"]
        if changes or entities is not None:
            followup_update(followup=followup, entities=entities, **changes)


def followups_editorial(article: Article) -> list[dict]:
    """The article's follow-ups (cancelled ones left out) as the write API takes them back."""
    return [
        {
            "id": followup.pk,
            "what": followup.what,
            "next_check_at": followup.next_check_at.isoformat() if followup.next_check_at else None,
            "every_days": followup.every_days,
            "promise": followup.promise,
            "owner": followup.owner_id,
            "entities": sorted(entity.pk for entity in followup.entities.all()),
            "status": followup.status,
        }
        for followup in FollowUp.objects.filter(article=article)
        .public()
        .prefetch_related("entities")
        .order_by("created_at", "id")
    ]


class FollowUpEditorialShape(serializers.Serializer):
    id = serializers.IntegerField()
    what = serializers.CharField()
    next_check_at = serializers.DateTimeField(allow_null=True)
    every_days = serializers.IntegerField(allow_null=True)
    promise = serializers.CharField()
    owner = serializers.IntegerField(help_text="User id.")
    entities = serializers.ListField(child=serializers.IntegerField(), help_text="Entity ids.")
    status = serializers.ChoiceField(
        choices=FollowUp.Status.choices,
        help_text="Changed by the follow-up actions (snooze, done, cancel), not here.",
    )


def register() -> None:
    register_nested_writer(HighlightBoxWriter())
    register_nested_writer(FollowUpWriter())
    register_revision_source("highlight_boxes", HighlightBox, "article_id")
    # Items are found through their boxes' history, so the items of a deleted box still show.
    register_revision_source(
        "highlight_items",
        HighlightItem,
        lambda article_id: Q(
            box_id__in=HighlightBox.history.filter(article_id=article_id).values("id")
        ),
    )
    register_revision_source("followups", FollowUp, "article_id")
    register_editorial_field(
        "highlight_boxes",
        highlight_boxes_editorial,
        lambda: HighlightBoxEditorialShape(many=True),
    )
    register_editorial_field(
        "followups",
        followups_editorial,
        lambda: FollowUpEditorialShape(many=True, help_text="Cancelled follow-ups are not listed."),
    )
