"""Licences: the terms an image is used under."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# The names of the catalogue seeded by migration 0002, as message ids: readers see them in the
# article's language. A licence the desk added, or a seeded one it renamed, keeps its name.
CATALOGUE_NAMES: dict[str, str] = {
    "staff": gettext_noop("Staff work"),
    "wire-agency": gettext_noop("Wire agency subscription"),
    "cc-by-4.0": gettext_noop("CC BY 4.0"),
    "cc-by-sa-4.0": gettext_noop("CC BY-SA 4.0"),
    "cc-by-nc-4.0": gettext_noop("CC BY-NC 4.0"),
    "cc0-public-domain": gettext_noop("Public domain (CC0 1.0)"),
    "ai-subscriber-owned": gettext_noop("AI service: output owned by the subscriber (paid plan)"),
}
# Licences that say the newsroom owns the image: nobody grants it a licence.
OWNERSHIP_CODES = frozenset({"ai-subscriber-owned"})

licence_code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9.-]*$",
    _("Use lower-case letters, digits, dots and hyphens, e.g. cc-by-4.0."),
)


class Licence(models.Model):
    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        validators=[licence_code_validator],
        help_text=_("A stable short name, e.g. cc-by-4.0."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("As readers see it."))
    url = models.URLField(_("URL"), blank=True, help_text=_("The licence text, if public."))
    commercial_use_allowed = models.BooleanField(
        _("commercial use allowed"),
        default=True,
        help_text=_("Off when the licence forbids commercial use (e.g. CC BY-NC)."),
    )
    attribution_required = models.BooleanField(
        _("attribution required"),
        default=True,
        help_text=_("On when readers must be told who made the image and under what licence."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return self.name

    @property
    def reader_name(self) -> str:
        """The name as readers see it, in the active language."""
        if CATALOGUE_NAMES.get(self.code) == self.name:
            return gettext(self.name)
        return self.name

    @property
    def is_ownership(self) -> bool:
        return self.code in OWNERSHIP_CODES
