"""An article's images (lead and inline) in the article write API (see articles.writes)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from articles.models import Article
from articles.writes import ModelListWriter, register_editorial_field, register_nested_writer
from media_credits.models import ArticleImage, Image
from media_credits.serializers import ArticleImageSerializer, article_image_ref


class ArticleImageInputSerializer(serializers.Serializer):
    image = serializers.PrimaryKeyRelatedField(
        queryset=Image.objects.all(), help_text="Id of an uploaded image."
    )
    role = serializers.ChoiceField(
        choices=ArticleImage.Role.choices,
        default=ArticleImage.Role.INLINE,
        help_text="At most one lead image.",
    )
    order = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        help_text="Position; defaults to the place in the list.",
    )
    caption_override = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Replaces the image's own caption in this article only.",
    )


class ArticleImageWriter(ModelListWriter):
    """Rows are matched by (image, role): a use that stays keeps its history, and a role change
    removes the old row before the new one is written, so "one lead" holds at every statement."""

    def write(self, *, article: Article, items: list[dict[str, Any]]) -> None:
        leads = [i for i, item in enumerate(items) if item.get("role") == ArticleImage.Role.LEAD]
        if len(leads) > 1:
            raise ValidationError(
                {
                    f"{self.name}[{index}].role": [
                        _("An article has only one lead image (item %(index)d is the lead).")
                        % {"index": leads[0]}
                    ]
                    for index in leads[1:]
                }
            )
        items = [{"order": index} | item for index, item in enumerate(items)]
        super().write(article=article, items=items)


def article_images_editorial(article: Article) -> list[dict]:
    """Every use (lead and inline) as the write API takes it back, with what readers see.
    Reads the detail's prefetch."""
    return [
        article_image_ref(use, article.language)
        | {
            "image": use.image_id,
            "role": use.role,
            "order": use.order,
            "caption_override": use.caption_override,
        }
        for use in article.article_images.all()
    ]


class ArticleImageEditorialSerializer(ArticleImageSerializer):
    image = serializers.IntegerField(help_text="Id of the image (the same as id).")
    role = serializers.ChoiceField(choices=ArticleImage.Role.choices)
    order = serializers.IntegerField()
    caption_override = serializers.CharField()


def register() -> None:
    register_nested_writer(
        ArticleImageWriter(
            name="images",
            model=ArticleImage,
            serializer_class=ArticleImageInputSerializer,
            order_field=None,
            match_on=lambda use: (use.image_id, use.role),
        )
    )
    register_editorial_field(
        "images",
        article_images_editorial,
        lambda: ArticleImageEditorialSerializer(
            many=True,
            help_text="For the desk: every image of the article, lead included, in order.",
        ),
    )
