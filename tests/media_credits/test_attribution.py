import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from media_credits.models import DigitalSourceType, Image, Licence
from tests.factories import AIImageFactory, ImageFactory

pytestmark = pytest.mark.django_db


def test_a_non_paid_midjourney_image_names_the_provider_as_licensor_in_french_and_english():
    image = AIImageFactory()

    assert image.attribution_note("fr") == (
        "Image générée par IA (Midjourney). Licence CC BY-NC 4.0 accordée par le fournisseur "
        "de services Midjourney."
    )
    assert image.attribution_note("en") == (
        "AI-generated image (Midjourney). Licence CC BY-NC 4.0 granted by the service provider "
        "Midjourney."
    )


def test_a_paid_plan_image_has_no_licensed_by_wording_since_the_desk_owns_it():
    image = AIImageFactory(
        licence_basis=Image.LicenceBasis.PAID_PLAN_OWNERSHIP,
        licence=Licence.objects.get(code="ai-subscriber-owned"),
    )

    assert image.attribution_note("fr") == "Image générée par IA (Midjourney)."
    assert image.attribution_note("en") == "AI-generated image (Midjourney)."


def test_a_photo_is_credited_with_its_credit_line():
    image = ImageFactory(credit_line="Jane Doe / Agency")

    assert image.attribution_note("en") == "Photo: Jane Doe / Agency"
    assert image.attribution_note("fr") == "Photo : Jane Doe / Agency"
    assert image.attribution_note("fr-CA") == "Photo : Jane Doe / Agency"


def test_a_language_without_a_table_falls_back_to_english():
    image = ImageFactory(credit_line="Jane Doe")

    assert image.attribution_note("de") == "Photo: Jane Doe"
    assert image.attribution_note("") == "Photo: Jane Doe"


def test_a_creative_commons_photo_names_its_licence():
    image = ImageFactory(credit_line="Jane Doe", licence=Licence.objects.get(code="cc-by-4.0"))

    assert image.attribution_note("en") == "Photo: Jane Doe. Licence CC BY 4.0."


def test_a_digital_creation_is_credited_as_an_image_not_a_photo():
    image = ImageFactory(
        credit_line="Studio", digital_source_type=DigitalSourceType.DIGITAL_CREATION
    )

    assert image.attribution_note("en") == "Image: Studio"
    assert image.ai_generated is False


def test_an_ai_source_type_needs_the_ai_system_and_a_licence_basis():
    image = ImageFactory.build(
        digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        ai_system="",
        licence_basis="",
    )

    with pytest.raises(ValidationError) as caught:
        image.full_clean(exclude=["original", "sha256"])

    assert set(caught.value.message_dict) == {"ai_system", "licence_basis"}
    assert "Midjourney" in caught.value.message_dict["ai_system"][0]


def test_the_queryset_finds_ai_images_missing_alt_text_and_expiring_licences():
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    ai = AIImageFactory()
    no_alt = ImageFactory(alt_text="")
    soon = ImageFactory(licence_expires_on=today + datetime.timedelta(days=10))
    ImageFactory(licence_expires_on=today + datetime.timedelta(days=90))
    ImageFactory(licence_expires_on=today - datetime.timedelta(days=1))

    assert list(Image.objects.ai_generated()) == [ai]
    assert list(Image.objects.missing_alt_text()) == [no_alt]
    assert list(Image.objects.licence_expiring(within_days=30)) == [soon]


def test_a_licence_name_from_the_catalogue_is_translated_in_the_french_note():
    image = AIImageFactory(
        licence_basis=Image.LicenceBasis.PROVIDER_LICENCE,
        licence=Licence.objects.get(code="cc0-public-domain"),
    )

    assert image.attribution_note("fr") == (
        "Image générée par IA (Midjourney). Licence Domaine public (CC0 1.0) accordée par le "
        "fournisseur de services Midjourney."
    )
    assert image.attribution_note("en") == (
        "AI-generated image (Midjourney). Licence Public domain (CC0 1.0) granted by the service "
        "provider Midjourney."
    )


def test_a_licence_the_desk_added_or_renamed_keeps_its_name_in_every_language():
    added = Licence.objects.create(code="agence-x", name="Contrat Agence X")
    renamed = Licence.objects.get(code="cc0-public-domain")
    renamed.name = "CC0"
    renamed.save()

    assert added.reader_name == "Contrat Agence X"
    with translation.override("fr"):
        assert renamed.reader_name == "CC0"
        assert added.reader_name == "Contrat Agence X"


def test_an_owned_output_is_never_said_to_be_licensed_by_the_provider_whatever_the_basis():
    image = AIImageFactory(
        licence_basis=Image.LicenceBasis.PROVIDER_LICENCE,
        licence=Licence.objects.get(code="ai-subscriber-owned"),
    )

    assert image.attribution_note("fr") == "Image générée par IA (Midjourney)."
    assert image.attribution_note("en") == "AI-generated image (Midjourney)."


def test_the_note_follows_the_article_language_not_the_active_one():
    image = AIImageFactory()

    with translation.override("fr"):
        assert image.attribution_note("en").startswith("AI-generated image")
    assert image.attribution_note("fr").startswith("Image générée par IA")
