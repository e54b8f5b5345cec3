"""Content credentials read from an upload's C2PA manifest: validity, trust, ingest, the API and
the publishing check.

Every fixture is made with the SDK itself and a throwaway CA: no file from elsewhere.
"""

import pytest
from django.core.exceptions import ValidationError

from articles.services.articles import article_publish
from media_credits import c2pa, services
from media_credits.models import ArticleImage, Image
from tests.factories import ArticleFactory, ArticleImageFactory, UserFactory
from tests.media_credits import files
from tests.media_credits.credentials import (
    AI,
    AI_DESK_FIELDS,
    CAPTURE,
    ingest,
    signed_ai_image,
    signed_photo,
    tampered,
    with_xmp_after_signing,
)

pytestmark = pytest.mark.django_db


# --- Reading an upload --------------------------------------------------------------------------


def test_a_signed_ai_image_reads_as_valid_untrusted_with_its_creation_action(chain):
    found = c2pa.read(signed_ai_image(chain), "JPEG")

    assert found.present and found.valid
    assert found.state == "Valid"
    assert found.trusted is False
    assert found.failures == ["signingCredential.untrusted"]
    assert found.signer == "Test Camera"
    assert found.issuer == "Test Agency"
    assert found.claim_generator == "Midjourney 1.0"
    assert found.actions == [
        {"action": "c2pa.created", "digitalSourceType": AI, "softwareAgent": "Midjourney"}
    ]
    assert found.signed_at == ""  # no timestamp authority offline
    assert found.prefill() == {"digital_source_type": AI, "ai_system": "Midjourney"}


def test_a_signed_photo_states_a_digital_capture_and_no_ai_system(chain):
    found = c2pa.read(signed_photo(chain), "JPEG")

    assert found.valid
    assert found.digital_source_type == CAPTURE
    assert found.ai_generated is False
    assert found.prefill() == {"digital_source_type": CAPTURE}


def test_a_file_changed_after_signing_is_invalid_with_a_data_hash_mismatch(chain):
    found = c2pa.read(tampered(signed_ai_image(chain)), "JPEG")

    assert found.present
    assert found.state == "Invalid"
    assert found.valid is False
    assert "assertion.dataHash.mismatch" in found.failures


def test_xmp_written_after_signing_breaks_the_hash(chain):
    found = c2pa.read(with_xmp_after_signing(signed_ai_image(chain)), "JPEG")

    assert found.state == "Invalid"
    assert "assertion.dataHash.mismatch" in found.failures


def test_a_file_without_a_manifest_has_no_credentials():
    found = c2pa.read(files.jpeg((300, 200)), "JPEG")

    assert found.present is False
    assert found.as_data() == {}


def test_a_signer_whose_ca_is_on_the_trust_list_is_trusted(chain):
    found = c2pa.read(signed_ai_image(chain), "JPEG", trust_anchors=chain[2].decode())

    assert found.state == "Trusted"
    assert found.trusted is True
    assert found.failures == []


def test_a_signer_from_another_ca_stays_untrusted_with_a_trust_list(chain):
    other_ca = c2pa.throwaway_signing_chain()[2].decode()

    found = c2pa.read(signed_ai_image(chain), "JPEG", trust_anchors=other_ca)

    assert found.state == "Valid"
    assert found.trusted is False


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "AVIF"])
def test_manifests_are_read_from_png_webp_and_avif(chain, fmt):
    if fmt == "AVIF" and "AVIF" not in services.renditions.ALLOWED_FORMATS:
        pytest.skip("this Pillow build has no AVIF")
    found = c2pa.read(signed_ai_image(chain, fmt), fmt)

    assert found.valid
    assert found.ai_system == "Midjourney"


# --- On ingest ----------------------------------------------------------------------------------


def test_ingest_records_the_credentials_and_prefills_what_the_desk_left_empty(chain):
    image = ingest(signed_ai_image(chain), name="mj.jpg", **AI_DESK_FIELDS)

    assert image.c2pa_manifest_present is True
    assert image.c2pa_validation_state == "Valid"
    assert image.digital_source_type == AI
    assert image.ai_system == "Midjourney"
    assert image.c2pa_credentials["actions"][0]["softwareAgent"] == "Midjourney"
    assert image.c2pa_credentials["failures"] == ["signingCredential.untrusted"]


def test_what_the_desk_gave_wins_over_the_manifest(chain):
    image = ingest(signed_ai_image(chain), ai_system="Midjourney v6 (desk)", **AI_DESK_FIELDS)

    assert image.ai_system == "Midjourney v6 (desk)"


def test_the_trust_list_setting_is_read_on_ingest(settings, tmp_path, chain):
    (tmp_path / "anchors.pem").write_bytes(chain[2])
    settings.NEWSROOM_C2PA_TRUST_ANCHORS = str(tmp_path / "anchors.pem")

    image = ingest(signed_photo(chain))

    assert image.c2pa_validation_state == "Trusted"
    assert image.c2pa_credentials["trusted"] is True


def test_the_original_is_kept_byte_for_byte_so_its_manifest_stays_valid(chain):
    data = signed_ai_image(chain)
    image = ingest(data, **AI_DESK_FIELDS)

    with image.original.open("rb") as original:
        kept = original.read()
    assert kept == data
    assert c2pa.read(kept, "JPEG").valid


def test_a_tampered_upload_is_stored_with_its_failure_codes(chain):
    image = ingest(tampered(signed_photo(chain)))

    assert image.c2pa_validation_state == "Invalid"
    assert "assertion.dataHash.mismatch" in image.c2pa_credentials["failures"]


# --- The API ------------------------------------------------------------------------------------


def test_the_desk_api_shows_the_details_and_the_public_article_the_summary(
    chain, staff_client, api_client
):
    image = ingest(signed_ai_image(chain), name="mj.jpg", **AI_DESK_FIELDS)

    desk = staff_client.get(f"/api/v1/images/{image.pk}/").json()["content_credentials"]

    assert desk["present"] is True
    assert desk["valid"] is True
    assert desk["validation_state"] == "Valid"
    assert desk["trusted"] is False
    assert desk["signer"] == "Test Camera"
    assert desk["claim_generator"] == "Midjourney 1.0"
    assert desk["actions"] == [
        {"action": "c2pa.created", "digitalSourceType": AI, "softwareAgent": "Midjourney"}
    ]
    assert desk["renditions_signed"] is False
    public = services_public_ref(image)
    assert public == {"present": True, "valid": True, "digital_source_type": AI}


def services_public_ref(image: Image) -> dict:
    from media_credits.serializers import article_image_ref

    use = ArticleImageFactory(image=image)
    return article_image_ref(use, "en")["content_credentials"]


def test_an_image_without_a_manifest_says_so_in_the_public_shape():
    image = ingest(files.jpeg((300, 200)))

    assert services_public_ref(image) == {
        "present": False,
        "valid": False,
        "digital_source_type": None,
    }


# --- The publishing check -----------------------------------------------------------------------


def test_an_ai_manifest_on_an_image_marked_as_a_capture_is_refused_until_a_reason_is_given(
    chain,
):
    image = ingest(signed_ai_image(chain), digital_source_type=CAPTURE, alt_text="A chip.")
    image.credit_line = "Desk"
    image.save()
    article = ArticleFactory(authors=[UserFactory()])
    ArticleImageFactory(article=article, image=image, role=ArticleImage.Role.LEAD)

    with pytest.raises(ValidationError) as caught:
        article_publish(article=article)
    [message] = caught.value.message_dict["images"]
    assert "content credentials say it was generated by AI" in message
    assert AI in message

    image.c2pa_override_reason = "The agency confirmed it is a photo; their tool mislabels it."
    services.image_update(image=image)
    article.refresh_from_db()
    assert article_publish(article=article).status == "published"
    image.refresh_from_db()
    assert image.c2pa_override_reason.startswith("The agency confirmed")


def test_a_photo_manifest_on_a_photo_is_no_problem(chain):
    image = ingest(signed_photo(chain), alt_text="Towers.", credit_line="Desk")
    article = ArticleFactory(authors=[UserFactory()])
    ArticleImageFactory(article=article, image=image)

    assert article_publish(article=article).status == "published"
