"""Every field a journalist meets is labelled and explained, in English and in French."""

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from simple_history.models import HistoricalChanges

APPS = ["articles", "media_credits"]

# Fields allowed without a help text, each with the reason.
NO_HELP_TEXT_NEEDED: dict[str, str] = {}

# Labels spelt the same in French.
SAME_IN_FRENCH = {
    "article",
    "code",
    "date",
    "description",
    "emoji",
    "format",
    "image",
    "licence",
    "mention",
    "source",
    "version",
    "Message-ID",
    "SHA-256",
    "URL",
}


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


def test_key_labels_come_out_in_newsroom_french():
    from articles.admin.articles import ArticleAdmin
    from articles.models import Article, Claim, KeyFigure
    from media_credits.models import Image

    with translation.override("fr"):
        assert str(Article._meta.verbose_name) == "article"
        assert str(Article._meta.verbose_name_plural) == "articles"
        assert str(Article._meta.get_field("headline").verbose_name) == "titre"
        assert str(Article._meta.get_field("standfirst").verbose_name) == "chapô"
        assert str(Article.Status.IN_REVIEW.label) == "En relecture"
        assert str(Claim.Status.NEITHER.label) == "Ni confirmé ni démenti"
        assert str(KeyFigure._meta.verbose_name) == "chiffre clé"
        assert str(Image._meta.get_field("alt_text").verbose_name) == "texte alternatif"
        assert str(Article._meta.get_field("headline").help_text) == (
            "Le titre que voit le lecteur. Faites court."
        )
        assert str(ArticleAdmin.schedule_selected.short_description) == (
            "Programmer les articles sélectionnés…"
        )
    with translation.override("en"):
        assert str(Article._meta.get_field("headline").verbose_name) == "headline"


def test_every_label_and_help_text_has_a_french_translation():
    untranslated = []
    for model, field in labelled_fields():
        for text in (field.verbose_name, field.help_text):
            with translation.override("en"):
                english = str(text)
            with translation.override("fr"):
                french = str(text)
            # A few words are the same in both languages (article, version, URL, emoji...).
            if english and french == english and english not in SAME_IN_FRENCH:
                untranslated.append(f"{model.__name__}.{field.name}: {english}")
    assert untranslated == []
