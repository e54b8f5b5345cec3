"""The import service: wire copy in, a draft out, through the write API's rules."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.formats import wirecopy
from articles.models import Article, Desk, Entity, FollowUp, Mention
from articles.services.imports import FOLLOWUP_FIRST_CHECK, article_import_text
from tests.factories import DeskFactory, DeskMembershipFactory, EntityFactory, desk_member

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "formats" / "wirecopy_samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def reporter():
    desk = DeskFactory(name="Tech", slug="tech")
    return desk_member(desk=desk, role="reporter", username="reporter")


@pytest.fixture
def registry():
    return {
        "novalys": EntityFactory(
            name="Novalys", kind=Entity.Kind.ORGANISATION, aliases=["Novalys AI"]
        ),
        "arcturus": EntityFactory(
            name="Arcturus Semiconductors", kind=Entity.Kind.ORGANISATION, aliases=["Arcturus"]
        ),
    }


def test_import_creates_a_draft_with_what_the_copy_states(reporter, registry):
    now = timezone.now()
    article = article_import_text(data=sample("fr_novalys_puces.txt"), user=reporter, now=now)

    assert article.status == Article.Status.DRAFT
    assert article.language == "fr"
    assert article.headline == "Novalys discuterait avec Arcturus pour concevoir ses propres puces"
    assert article.desk.slug == "tech"
    assert [a.username for a in article.authors.all()] == ["reporter"]
    claim = article.claims.get()
    assert claim.status == "neither_confirmed_nor_denied"
    assert claim.responded_by == registry["novalys"]
    assert claim.text.startswith("Selon certaines informations, Novalys chercherait")
    quote = article.quotes.get()
    assert (quote.text, quote.speaker_label, quote.speaker_organisation) == (
        "Nous ne commentons pas les rumeurs",
        "un porte-parole",
        registry["novalys"],
    )
    figures = [(f.value, f.value_high, f.unit) for f in article.key_figures.all()]
    assert figures == [
        (Decimal("7000000000000"), None, "USD"),
        (Decimal("70"), Decimal("95"), "percent"),
    ]
    dates = [(d.date, d.precision) for d in article.key_dates.all()]
    assert dates == [(datetime.date(2023, 9, 1), "month"), (datetime.date(2024, 1, 1), "month")]
    box = article.highlight_boxes.get()
    assert box.title == "C'est nous qui soulignons :"
    assert [i.emoji for i in box.items.all()] == ["🕵️\u200d♀️", "💰", "❤️"]
    assert {(s.name, s.role) for s in article.sources.all()} == {
        ("The Circuit", "outlet"),
        ("Sources anonymes", "anonymous"),
    }


def test_imported_mentions_are_suggestions_matched_without_case_or_accents(reporter, registry):
    article = article_import_text(data=sample("fr_novalys_puces.txt"), user=reporter)

    mentions = {(m.entity.name, m.role, m.suggested) for m in article.mentions.all()}
    assert ("Novalys", Mention.Role.SUBJECT, True) in mentions
    assert ("Arcturus Semiconductors", Mention.Role.SUBJECT, True) in mentions
    assert all(m.suggested for m in article.mentions.all())


def test_nvidia_in_the_copy_matches_the_registry_entity_named_nvidia(reporter):
    nvidia = EntityFactory(name="NVIDIA", kind=Entity.Kind.ORGANISATION)
    article = article_import_text(data=sample("fr_nvidia_partenariat.txt"), user=reporter)

    assert article.mentions.filter(entity=nvidia).exists()
    assert Entity.objects.filter(name__iexact="nvidia").count() == 1
    assert article.claims.first().responded_by == nvidia
    assert list(Entity.objects.named("nvidia")) == [nvidia]
    assert list(Entity.objects.named("Nvídia")) == [nvidia]


def test_entity_named_matches_aliases_without_accents(registry):
    taiwan = EntityFactory(name="Taïwan", kind=Entity.Kind.PLACE, aliases=["Formose"])

    assert list(Entity.objects.named("taiwan")) == [taiwan]
    assert list(Entity.objects.named("FORMOSE")) == [taiwan]
    assert list(Entity.objects.named("arcturus")) == [registry["arcturus"]]
    assert not Entity.objects.named("").exists()


def test_the_follow_up_promise_becomes_a_follow_up_owned_by_the_importer(reporter, registry):
    now = timezone.now()
    article = article_import_text(data=sample("fr_novalys_puces.txt"), user=reporter, now=now)

    followup = article.followups.get()
    assert followup.owner == reporter
    assert followup.status == FollowUp.Status.WATCHING
    assert followup.next_check_at == now + FOLLOWUP_FIRST_CHECK
    assert followup.promise == "La rédaction continuera à prêter attention à ce dossier."
    assert set(followup.entities.all()) == {registry["novalys"], registry["arcturus"]}
    assert "continuera à prêter attention" not in article.body


def test_the_ai_image_note_is_kept_for_the_lead_image(reporter, registry):
    article = article_import_text(data=sample("fr_novalys_puces.txt"), user=reporter)

    assert article.pending_image["digital_source_type"].endswith("trainedAlgorithmicMedia")
    assert article.pending_image["ai_system"] == "Midjourney"
    assert article.pending_image["licensor_name"] == "Midjourney"
    assert article.pending_image["licence_basis"] == "provider_licence"
    assert "Remarque sur la source" not in article.body


def test_the_original_text_is_kept_and_the_body_keeps_the_prose(reporter, registry):
    text = sample("fr_novalys_puces.txt")
    article = article_import_text(data=text, user=reporter)

    assert article.import_source == text.decode("utf-8")
    assert "<p>Selon certaines informations, Novalys chercherait" in article.body
    assert "C'est nous qui soulignons" not in article.body


def test_a_lost_emoji_is_removed_and_recorded_as_a_warning(reporter):
    article = article_import_text(data=sample("damaged_lost_emoji.txt"), user=reporter)

    items = list(article.highlight_boxes.get().items.all())
    assert [i.emoji for i in items] == ["", "", "", "📅"]
    assert items[2].text == "OpenAI has not commented further."
    assert not any("?" in i.text for i in items)
    codes = [w["code"] for w in article.import_warnings]
    assert "lost_emoji" in codes
    message = next(w["message"] for w in article.import_warnings if w["code"] == "lost_emoji")
    assert message == "An emoji was lost in transmission: choose one."


def test_new_organisations_become_suggested_entities_and_a_warning(reporter):
    article = article_import_text(data=sample("fr_helvio_batteries.txt"), user=reporter)

    helvio = Entity.objects.get(name="Helvio Group")
    assert helvio.kind == Entity.Kind.ORGANISATION
    assert article.mentions.get(entity=helvio).suggested is True
    warning = next(w for w in article.import_warnings if w["code"] == "new_entities")
    assert "Helvio Group" in warning["message"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 cr\xe8me", "undecodable"),
        (b"a" * (wirecopy.MAX_BYTES + 1), "too_large"),
    ],
)
def test_unreadable_input_is_refused_with_its_reason_and_creates_nothing(reporter, data, reason):
    before = Article.objects.count()
    with pytest.raises(ValidationError) as caught:
        article_import_text(data=data, user=reporter)

    assert caught.value.error_dict["text"][0].code == reason
    assert Article.objects.count() == before


def test_a_user_on_several_desks_must_name_the_desk(reporter):
    other = DeskFactory(name="Business", slug="business")
    DeskMembershipFactory(desk=other, user=reporter)
    with pytest.raises(ValidationError) as caught:
        article_import_text(data=sample("en_kestrel_robotics.txt"), user=reporter)
    assert "desk" in caught.value.message_dict

    article = article_import_text(data=sample("en_kestrel_robotics.txt"), user=reporter, desk=other)
    assert article.desk == other


def test_someone_outside_the_desk_cannot_import_into_it(reporter):
    outsider = desk_member(desk=DeskFactory(slug="sports"), role="reporter", username="outsider")
    tech = Desk.objects.get(slug="tech")

    with pytest.raises(PermissionDenied):
        article_import_text(data=sample("en_kestrel_robotics.txt"), user=outsider, desk=tech)
    assert not Article.objects.filter(headline__startswith="Kestrel").exists()
