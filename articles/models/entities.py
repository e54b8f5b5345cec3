"""People, organisations and places articles name, linked to Wikidata."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

wikidata_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", _("A Wikidata id looks like Q95 (Q followed by digits).")
)


def fold(text: str) -> str:
    """A name as searches compare it: without case or accents ("Société" = "societe")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(text: str) -> str:
    """A name folded for matching: case, accents, apostrophes and spacing ignored, so that
    "Nvidia" = "NVIDIA" and "Taïwan" = "Taiwan". Done in Python rather than with PostgreSQL's
    unaccent, which needs an extension, so it works the same on SQLite."""
    return re.sub(r"\s+", " ", fold(text).replace("\u2019", "'")).strip()


class EntityQuerySet(models.QuerySet):
    def named(self, text: str) -> "EntityQuerySet":
        """Entities whose name or one of whose aliases is ``text``, ignoring case and accents."""
        wanted = name_key(text)
        if not wanted:
            return self.none()
        ids = [
            pk
            for pk, name, aliases in self.values_list("pk", "name", "aliases")
            if wanted
            in {name_key(n) for n in [name, *(aliases if isinstance(aliases, list) else [])]}
        ]
        return self.filter(pk__in=ids)


class Entity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        PLACE = "place", _("Place")
        PRODUCT = "product", _("Product")
        EVENT = "event", _("Event")

    name = models.CharField(
        _("name"),
        max_length=200,
        db_index=True,
        help_text=_("The usual name in the article's language, e.g. Nvidia or Emmanuel Macron."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        help_text=_("Person, organisation, place, product or event."),
    )
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_('Other names for the same thing, e.g. ["OpenAI", "Open AI"].'),
    )
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        validators=[wikidata_validator],
        help_text=_(
            "Optional, e.g. Q95 for Google. Links the entity to the public knowledge base."
        ),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_('A few words that tell namesakes apart, e.g. "chip designer, Santa Clara".'),
    )
    updated_at = models.DateTimeField(
        _("updated at"),
        auto_now=True,
        help_text=_("When the entity was last saved (the Last-Modified of its public pages)."),
    )

    search_names = models.TextField(
        _("names as searched"),
        blank=True,
        editable=False,
        help_text=_("The name and aliases without case or accents, one a line (filled on save)."),
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="entity_wikidata_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def save(self, *args, **kwargs) -> None:
        self.search_names = "\n".join(fold(name) for name in self.names())
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_names"}
        super().save(*args, **kwargs)

    def names(self) -> list[str]:
        """The name, then the aliases."""
        aliases = self.aliases if isinstance(self.aliases, list) else []
        return [self.name, *(a for a in aliases if isinstance(a, str))]

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": _("Aliases must be a list of names.")})
