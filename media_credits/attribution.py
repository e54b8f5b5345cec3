"""The reader-facing attribution note, rendered from an image's fields.

The wording is a small table per language rather than gettext catalogues: the note is data the
API returns in the article's language, whatever the language of the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from media_credits.models import Image

NOTES: dict[str, dict[str, str]] = {
    "en": {
        "ai": "AI-generated image ({system}).",
        "ai_licensed": "Licence {licence} granted by the service provider {licensor}.",
        "photo": "Photo: {credit}",
        "image": "Image: {credit}",
        "licence": "Licence {licence}.",
    },
    "fr": {
        "ai": "Image générée par IA ({system}).",
        "ai_licensed": "Licence {licence} accordée par le fournisseur de services {licensor}.",
        "photo": "Photo : {credit}",
        "image": "Image : {credit}",
        "licence": "Licence {licence}.",
    },
}
FALLBACK_LANGUAGE = "en"


def note_table(language: str) -> dict[str, str]:
    base = (language or "").split("-")[0].lower()
    return NOTES.get(base, NOTES[FALLBACK_LANGUAGE])


def render_attribution_note(image: Image, language: str) -> str:
    words = note_table(language)
    parts: list[str] = []
    licence = image.licence
    if image.ai_generated:
        parts.append(words["ai"].format(system=image.ai_system))
        # A paid plan makes the newsroom the owner: nobody "grants" it a licence, so the
        # provider is named only when the image is used under the provider's licence.
        provider_licenses = image.licence_basis in (
            image.LicenceBasis.NON_COMMERCIAL_CREATIVE_COMMONS,
            image.LicenceBasis.PROVIDER_LICENCE,
        )
        if provider_licenses and licence is not None:
            parts.append(
                words["ai_licensed"].format(
                    licence=licence.name, licensor=image.effective_licensor_name or "?"
                )
            )
        return " ".join(parts)
    credit = image.credit_line or image.creator or image.copyright_holder
    if credit:
        parts.append(words["photo" if image.is_photo else "image"].format(credit=credit))
    # Creative Commons-style licences ask for the licence to be named next to the credit.
    if licence is not None and licence.attribution_required and licence.url:
        if parts and not parts[-1].endswith("."):
            parts[-1] += "."
        parts.append(words["licence"].format(licence=licence.name))
    return " ".join(parts)
