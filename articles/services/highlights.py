"""Highlight boxes: writing items from the admin's one-line-per-item text and from the API."""

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.html import clean_inline
from articles.models import Article, ArticleDocument, HighlightBox, HighlightItem
from articles.models.highlights import default_highlight_title
from articles.nested import add_errors


def _is_emoji_token(token: str) -> bool:
    """A leading token with no letter or digit is the bullet (emoji, flag, ZWJ sequence, "?").

    Keycaps (1️⃣, #️⃣) are a digit or sign followed by U+20E3.
    """
    if "\u20e3" in token:
        return True
    return bool(token) and not any(unicodedata.category(ch)[0] in ("L", "N") for ch in token)


def parse_items(text: str) -> list[tuple[str, str]]:
    """One item per line: an optional emoji, a space, the text. Blank lines are skipped."""
    items = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        head, _sep, rest = line.partition(" ")
        if _is_emoji_token(head) and rest.strip():
            items.append((head, rest.strip()))
        else:
            items.append(("", line))
    return items


def items_as_text(box: HighlightBox) -> str:
    return "\n".join(f"{i.emoji} {i.text}".strip() for i in box.items.all())


@transaction.atomic
def highlight_box_set_items(*, box: HighlightBox, items: list[tuple[str, str]]) -> None:
    """Replace the box's items, in order."""
    box.items.all().delete()
    for order, (emoji, text) in enumerate(items):
        item = HighlightItem(box=box, emoji=emoji, text=text, order=order)
        item.full_clean(exclude=["box"])
        item.save()
    ArticleDocument.objects.invalidate(article_ids=[box.article_id])


class HighlightBoxWriter:
    """Replaces the article's boxes and their items, reusing stored rows by position so that
    the history shows what changed in each rather than a deletion and a creation."""

    name = "highlight_boxes"

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
                add_errors(errors, path, exc)
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
                    add_errors(errors, f"{path}.items[{position}]", exc)
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
