"""Every field a journalist meets is labelled and explained, in English and in French."""

from django.apps import apps
from django.utils.functional import Promise
from simple_history.models import HistoricalChanges

APPS = ["articles", "media_credits"]

# Fields allowed without a help text, each with the reason.
NO_HELP_TEXT_NEEDED: dict[str, str] = {}


def journalist_models():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            # History tables mirror the fields of their model (checked there); their own
            # columns (history_date, history_user…) come from django-simple-history.
            if issubclass(model, HistoricalChanges) or model.__name__.startswith("Historical"):
                continue
            yield model


def labelled_fields():
    for model in journalist_models():
        for field in model._meta.get_fields():
            if field.auto_created or not field.concrete or not field.editable:
                continue
            yield model, field


def test_the_walk_sees_the_models_journalists_edit():
    names = {model.__name__ for model in journalist_models()}
    assert {"Article", "Claim", "Quote", "KeyFigure", "FollowUp", "Image", "Licence"} <= names
    fields = {f"{m.__name__}.{f.name}" for m, f in labelled_fields()}
    assert {"Article.headline", "Article.tags", "Claim.article", "Image.licence"} <= fields


def test_every_editable_field_has_a_written_verbose_name_and_a_help_text():
    missing = []
    for model, field in labelled_fields():
        key = f"{model.__name__}.{field.name}"
        # Django's own label is a plain str made from the name; a written one is lazy gettext.
        if not isinstance(field.verbose_name, Promise):
            missing.append(f"{key}: verbose_name")
        if not str(field.help_text).strip() and key not in NO_HELP_TEXT_NEEDED:
            missing.append(f"{key}: help_text")
    assert missing == []
