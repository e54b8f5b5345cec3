"""Highlight boxes as readers see them, as the desk edits them, and as the write API takes them."""

from rest_framework import serializers

from articles.models import Article


class HighlightItemShape(serializers.Serializer):
    emoji = serializers.CharField(help_text="Exactly as typed, multi-codepoint emoji included.")
    text = serializers.CharField(help_text="Plain text or minimal inline HTML (cleaned).")


class HighlightBoxShape(serializers.Serializer):
    title = serializers.CharField()
    items = HighlightItemShape(many=True)


def public_highlight_boxes(article: Article, language: str) -> list[dict]:
    """Reads the prefetched boxes and items (articles.serializers.public.detail_queryset)."""
    return [
        {
            "title": box.title,
            "items": [{"emoji": item.emoji, "text": item.text} for item in box.items.all()],
        }
        for box in article.highlight_boxes.all()
    ]


class HighlightItemInputSerializer(serializers.Serializer):
    emoji = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    text = serializers.CharField(
        max_length=10_000,
        help_text="Plain text, or bold, italics and links; anything else is removed.",
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
    items = HighlightItemInputSerializer(
        many=True, required=False, max_length=200, help_text="At most 200 items."
    )


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
