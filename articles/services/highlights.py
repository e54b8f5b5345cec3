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


ItemPlan = list[tuple[HighlightItem, bool]]


def _plan_items(
    *, box: HighlightBox, items: list[dict[str, Any]], path: str, errors: dict[str, list[str]]
) -> tuple[ItemPlan, list[HighlightItem]]:
    """The box's items as ``items`` asks, reusing stored rows by position so the history shows
    what changed in each line rather than a deletion and a creation. Returns the rows to save
    (with whether each changed) and the stored rows left over; problems go into ``errors``."""
    stored_items = list(box.items.all()) if box.pk else []
    plan: ItemPlan = []
    for position, data in enumerate(items):
        item = stored_items[position] if position < len(stored_items) else HighlightItem(box=box)
        emoji = data.get("emoji", "")
        text = clean_inline(data["text"])
        changed = item.pk is None or (item.emoji, item.text, item.order) != (emoji, text, position)
        item.emoji, item.text, item.order = emoji, text, position
        try:
            item.full_clean(exclude=["box"])
        except ValidationError as exc:
            add_errors(errors, f"{path}items[{position}]", exc)
        plan.append((item, changed))
    return plan, stored_items[len(plan) :]


def _save_items(*, box: HighlightBox, plan: ItemPlan, leftovers: list[HighlightItem]) -> None:
    for item in leftovers:
        item.delete()
    for item, changed in plan:
        if changed:
            item.box = box
            item.save()


def _items_from_lines(items: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"emoji": emoji, "text": text} for emoji, text in items]


def highlight_items_problems(*, items: list[tuple[str, str]]) -> list[str]:
    """What keeps these lines from being saved as items (the admin shows it on the form)."""
    errors: dict[str, list[str]] = {}
    _plan_items(box=HighlightBox(), items=_items_from_lines(items), path="", errors=errors)
    return [f"{path}: {message}" for path, messages in errors.items() for message in messages]


@transaction.atomic
def highlight_box_set_items(*, box: HighlightBox, items: list[tuple[str, str]]) -> None:
    """Set the box's items, in order (the admin's one-line-per-item text), in place as the
    API's writer does: an unchanged line keeps its row, a changed one is updated."""
    errors: dict[str, list[str]] = {}
    plan, leftovers = _plan_items(
        box=box,
        items=_items_from_lines(items),
        path="",
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    _save_items(box=box, plan=plan, leftovers=leftovers)
    ArticleDocument.objects.invalidate(article_ids=[box.article_id])


class HighlightBoxWriter:
    """Replaces the article's boxes and their items, reusing stored rows by position so that
    the history shows what changed in each rather than a deletion and a creation."""

    name = "highlight_boxes"

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None:
        stored = list(HighlightBox.objects.filter(article=article).prefetch_related("items"))
        errors: dict[str, list[str]] = {}
        plan: list[tuple[HighlightBox, bool, ItemPlan, list[HighlightItem]]] = []
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
            item_plan, leftovers = _plan_items(
                box=box, items=data.get("items") or [], path=f"{path}.", errors=errors
            )
            plan.append((box, box_changed, item_plan, leftovers))
        if errors:
            raise ValidationError(errors)

        for box in stored[len(items) :]:
            box.delete()
        for box, box_changed, item_plan, leftovers in plan:
            if box_changed:
                box.save()
            _save_items(box=box, plan=item_plan, leftovers=leftovers)
