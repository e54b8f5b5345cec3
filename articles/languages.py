"""Language tags and the PostgreSQL text-search configuration that fits each."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from newsroom.params import single_value

# BCP 47, the common shapes: language, optional script, region and variants.
BCP47 = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-[a-zA-Z0-9]{5,8})*$")

# Accent-blind copies of PostgreSQL's configurations (migration articles/0013).
SEARCH_CONFIGS = {"fr": "newsroom_french", "en": "newsroom_english"}
SEARCH_CONFIG_OTHERS = "newsroom_simple"


def printable(value) -> str:
    """``value`` as it can be echoed in a message: what UTF-8 cannot encode (a lone surrogate)
    is escaped, and the text is cut short."""
    text = str(value)[:100]
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def validate_language_tag(value: str) -> None:
    if not BCP47.match(value or ""):
        raise ValidationError(
            _("%(value)s is not a language code such as fr, en or fr-CA (BCP 47)."),
            code="invalid_language",
            params={"value": printable(value)},
        )


class LanguageTagValidator(RegexValidator):
    """validate_language_tag as a RegexValidator, so that the OpenAPI schema carries the
    pattern (drf-spectacular reads it from the field's validators)."""

    regex = BCP47
    code = "invalid_language"

    def __call__(self, value):
        validate_language_tag(value)


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get((language or "").split("-")[0].lower(), SEARCH_CONFIG_OTHERS)


# The longest tag a parameter takes, as the language fields store it (Article.language).
MAX_TAG = 35


def language_param(value: str, name: str = "language") -> str:
    """A language tag given as a request parameter; a 400 naming the parameter otherwise."""
    from rest_framework.exceptions import ValidationError as DRFValidationError

    if len(value) > MAX_TAG:
        raise DRFValidationError(
            {name: [_("Give a language code of at most %(max)d characters.") % {"max": MAX_TAG}]}
        )
    try:
        validate_language_tag(value)
    except ValidationError as exc:
        raise DRFValidationError({name: exc.messages}) from exc
    return value


def slug_language(query_params) -> str | None:
    """The ``?language=`` of an article's address (None when absent): one language tag, a 400
    naming it otherwise, whether the address is a slug or an id (which needs none, but a
    parameter the schema describes is checked the same way on every address)."""
    language = single_value(query_params, "language")
    return None if language is None else language_param(language)
