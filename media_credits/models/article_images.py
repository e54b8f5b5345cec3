"""An image as one article uses it (lead or inline), with its history."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.history import history_user
from media_credits.models.images import Image


class ArticleImage(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead image")
        INLINE = "inline", _("Inline image")

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="article_images",
        verbose_name=_("article"),
        help_text=_("The article that shows the image."),
    )
    image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        related_name="article_uses",
        verbose_name=_("image"),
        help_text=_("Search by alt text, caption or credit."),
    )
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=Role.choices,
        default=Role.INLINE,
        help_text=_("Lead: the large image at the top (one per article). Inline: within the text."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )
    caption_override = models.TextField(
        _("caption for this article"),
        blank=True,
        help_text=_("Replaces the image's own caption in this article only."),
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(role="lead"),
                name="article_image_one_lead",
                violation_error_message=_("An article has only one lead image."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.image}"

    @property
    def caption(self) -> str:
        return self.caption_override or self.image.caption
