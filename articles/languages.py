"""Language tags and the PostgreSQL text-search configuration that fits each."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# BCP 47, the common shapes: language, optional script, region and variants.
_BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-[a-zA-Z0-9]{5,8})*$")

SEARCH_CONFIGS = {"fr": "french", "en": "english"}


def validate_language_tag(value: str) -> None:
    if not _BCP47.match(value or ""):
        raise ValidationError(
            _("%(value)s is not a language code such as fr, en or fr-CA (BCP 47)."),
            code="invalid_language",
            params={"value": value},
        )


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get((language or "").split("-")[0].lower(), "simple")
