"""The French demo article written out as plain wire copy and imported again."""

import os

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from articles.formats import wirecopy
from articles.models import Article, Mention
from articles.services.imports import article_import_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_demo() -> Article:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Article.objects.get(language="fr", slug="novalys-veut-ses-propres-puces-ia")


def claims_of(article):
    return [(c.text, c.status, c.responded_by or c.attributed_to) for c in article.claims.all()]


def test_the_french_demo_written_as_wire_copy_imports_to_the_same_structure(french_demo):
    text = wirecopy.write(french_demo)
    user = french_demo.authors.first()

    draft = article_import_text(data=text, user=user, desk=french_demo.desk)

    assert draft.pk != french_demo.pk
    assert draft.status == Article.Status.DRAFT
    assert draft.language == "fr"
    assert draft.headline == french_demo.headline
    assert draft.standfirst == french_demo.standfirst
    assert claims_of(draft) == claims_of(french_demo)
    assert [(q.text, q.speaker_label, q.speaker_organisation) for q in draft.quotes.all()] == [
        (q.text, q.speaker_label, q.speaker_organisation) for q in french_demo.quotes.all()
    ]
    assert [
        (f.label, f.value, f.value_high, f.unit, f.approximate) for f in draft.key_figures.all()
    ] == [
        (f.label, f.value, f.value_high, f.unit, f.approximate)
        for f in french_demo.key_figures.all()
    ]
    assert [(d.date, d.precision, d.label) for d in draft.key_dates.all()] == [
        (d.date, d.precision, d.label) for d in french_demo.key_dates.all()
    ]
    boxes = [
        (b.title, [(i.emoji, i.text) for i in b.items.all()]) for b in draft.highlight_boxes.all()
    ]
    # Plain text carries no bold: the items' words and emoji come back.
    assert boxes == [
        (b.title, [(i.emoji, strip_tags(i.text)) for i in b.items.all()])
        for b in french_demo.highlight_boxes.all()
    ]
    followup, original = draft.followups.get(), french_demo.followups.get()
    assert followup.promise == original.promise
    assert followup.owner == user
    assert set(followup.entities.all()) == set(original.entities.all())
    subjects = {m.entity for m in french_demo.mentions.all() if m.role == Mention.Role.SUBJECT}
    assert subjects <= {m.entity for m in draft.mentions.all()}
    assert draft.pending_image["ai_system"] == "Midjourney"
    assert draft.pending_image["digital_source_type"].endswith("trainedAlgorithmicMedia")
    assert draft.import_warnings == []


def test_written_wire_copy_is_plain_text_with_the_parts_the_reader_knows(french_demo):
    text = wirecopy.write(french_demo)

    assert text.startswith(french_demo.headline + "\n\n")
    assert "<" not in text
    assert "Novalys n'a ni confirmé ni démenti." in text
    assert "Une porte-parole de Novalys a déclaré : « Nous ne commentons pas les rumeurs. »" in text
    assert "C'est nous qui soulignons :\n- 🕵️\u200d♀️ Des sources anonymes" in text
    assert "Remarque sur la source de l'image : Image générée par l'IA Midjourney" in text
