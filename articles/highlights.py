"""Highlight boxes: writing items from the admin's one-line-per-item text, and the public shape."""

import unicodedata

from django.db import transaction

from articles.models import Article, HighlightBox, HighlightItem


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
    from articles.readmodel import documents_invalidate

    documents_invalidate(article_ids=[box.article_id])


def public_highlight_boxes(article: Article, language: str) -> list[dict]:
    """detail extension: reads the prefetched boxes and items."""
    return [
        {
            "title": box.title,
            "items": [{"emoji": item.emoji, "text": item.text} for item in box.items.all()],
        }
        for box in article.highlight_boxes.all()
    ]
