"""Highlight boxes: a short titled list of emoji bullets shown beside an article."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.history import history_user
from articles.html import clean_inline

from .article import Article

DEFAULT_TITLES = {"fr": "C'est nous qui soulignons :", "en": "Key points"}

# What a broken encoding leaves of an emoji: a lone "?" followed by the variation selector.
MANGLED_EMOJI = "?\ufe0f"


def default_highlight_title(language: str) -> str:
    return DEFAULT_TITLES.get((language or "").split("-")[0].lower(), DEFAULT_TITLES["en"])


def looks_mangled(text: str) -> bool:
    return MANGLED_EMOJI in (text or "") or "\ufffd" in (text or "")


def is_lost_emoji(emoji: str) -> bool:
    """An emoji a broken encoding turned into "?" (alone, or with the variation selector)."""
    return (emoji or "").strip() in ("?", MANGLED_EMOJI, "\ufffd", "\ufffd\ufe0f")


def starts_with_lost_emoji(text: str) -> bool:
    """Text that begins with what is left of an emoji: "?️ Text", "? Text", "?OpenAI"."""
    text = (text or "").lstrip()
    return text.startswith(("?", "\ufffd"))


class HighlightBox(models.Model):
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="highlight_boxes",
        verbose_name=_("article"),
        help_text=_("The article the box appears beside."),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_(
            "Left empty, it follows the article's language: "
            "“C'est nous qui soulignons :” in French, “Key points” in English."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("highlight box")
        verbose_name_plural = _("highlight boxes")

    def __str__(self) -> str:
        return self.title or default_highlight_title(getattr(self.article, "language", ""))

    def save(self, *args, **kwargs):
        if not self.title.strip():
            self.title = default_highlight_title(self.article.language)
        super().save(*args, **kwargs)

    def mangled_texts(self) -> list[str]:
        """Title or items that a broken encoding has already damaged (shown in the admin)."""
        found = [self.title] if looks_mangled(self.title) else []
        for item in self.items.all():
            if looks_mangled(item.emoji) or looks_mangled(item.text):
                found.append(f"{item.emoji} {item.text}".strip())
        return found


class HighlightItem(models.Model):
    box = models.ForeignKey(
        HighlightBox,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("box"),
        help_text=_("The highlight box the line belongs to."),
    )
    emoji = models.CharField(
        _("emoji"),
        max_length=32,
        blank=True,
        help_text=_("One emoji, kept exactly as typed (flags and combined emoji included)."),
    )
    text = models.TextField(
        _("text"),
        help_text=_("Plain text, or bold, italics and links. Anything else is removed on save."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in the list: lower numbers come first.")
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("highlight item")
        verbose_name_plural = _("highlight items")

    def __str__(self) -> str:
        return f"{self.emoji} {self.text}".strip()

    def save(self, *args, **kwargs):
        self.text = clean_inline(self.text)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # The admin's one-line-per-item text and the API both clean each item: the same refusal.
        if is_lost_emoji(self.emoji):
            raise ValidationError(
                {
                    "emoji": _(
                        "This emoji was lost to a broken encoding (only “?” is left): "
                        "choose the emoji again, or leave it empty."
                    )
                }
            )
        if starts_with_lost_emoji(self.text):
            raise ValidationError(
                {
                    "text": _(
                        "The text starts with “?”, what a broken encoding leaves of an emoji: "
                        "put the emoji back in the emoji field, or remove the “?”."
                    )
                }
            )

    @property
    def is_mangled(self) -> bool:
        return looks_mangled(self.emoji) or looks_mangled(self.text)
