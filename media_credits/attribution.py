"""The reader-facing attribution note, rendered from an image's fields.

The note follows the article's language, whatever the language of the request, so it is
rendered under `translation.override(language)` with the project's gettext catalogues.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from media_credits.models import Image

FALLBACK_LANGUAGE = "en"


def note_language(language: str) -> str:
    """The site language the note is written in: "fr-CA" is French, "de" falls back."""
    base = (language or "").split("-")[0].lower()
    return base if base in {code for code, _name in settings.LANGUAGES} else FALLBACK_LANGUAGE


def render_attribution_note(image: Image, language: str) -> str:
    with translation.override(note_language(language)):
        return _render(image)


def _render(image: Image) -> str:
    parts: list[str] = []
    licence = image.licence
    if image.ai_generated:
        parts.append(_("AI-generated image (%(system)s).") % {"system": image.ai_system})
        # A paid plan makes the newsroom the owner: nobody "grants" it a licence, so the
        # provider is named only when the image is used under a licence the provider grants
        # (the basis says so, and the licence is not one of ownership).
        provider_licenses = image.licence_basis in (
            image.LicenceBasis.NON_COMMERCIAL_CREATIVE_COMMONS,
            image.LicenceBasis.PROVIDER_LICENCE,
        )
        if provider_licenses and licence is not None and not licence.is_ownership:
            parts.append(
                _("Licence %(licence)s granted by the service provider %(licensor)s.")
                % {
                    "licence": licence.reader_name,
                    "licensor": image.effective_licensor_name or "?",
                }
            )
        return " ".join(parts)
    credit = image.credit_line or image.creator or image.copyright_holder
    if credit:
        if image.is_photo:
            parts.append(_("Photo: %(credit)s") % {"credit": credit})
        else:
            parts.append(_("Image: %(credit)s") % {"credit": credit})
    # Creative Commons-style licences ask for the licence to be named next to the credit.
    if licence is not None and licence.attribution_required and licence.url:
        if parts and not parts[-1].endswith("."):
            parts[-1] += "."
        parts.append(_("Licence %(licence)s.") % {"licence": licence.reader_name})
    return " ".join(parts)
