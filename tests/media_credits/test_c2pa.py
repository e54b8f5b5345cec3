"""Content credentials: reading an upload's C2PA manifest, signing our renditions.

Every fixture is made here with the SDK itself and a throwaway CA: no file from elsewhere.
"""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import c2pa as sdk
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PillowImage

from articles.services.articles import article_publish
from media_credits import c2pa, services
from media_credits.models import ArticleImage, DigitalSourceType, Image, Rendition
from tests.factories import ArticleFactory, ArticleImageFactory, UserFactory
from tests.media_credits import files

pytestmark = pytest.mark.django_db

AI = DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA.value
CAPTURE = DigitalSourceType.DIGITAL_CAPTURE.value
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif"}


# --- Fixtures: a throwaway CA and files signed with it -------------------------------------------


@pytest.fixture(scope="module")
def chain():
    """(leaf + CA chain PEM, key PEM, CA PEM) of a fresh throwaway CA."""
    return c2pa.throwaway_signing_chain(organisation="Test Agency", common_name="Test Camera")


def sign(data: bytes, fmt: str, chain, *, source_type: str, agent: str, title: str) -> bytes:
    chain_pem, key_pem, _ = chain
    manifest = {
        "claim_generator_info": [{"name": agent, "version": "1.0"}],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": source_type,
                            "softwareAgent": {"name": agent},
                        }
                    ]
                },
            }
        ],
    }
    signer = sdk.Signer.from_info(sdk.C2paSignerInfo(b"es256", chain_pem, key_pem, None))
    out = io.BytesIO()
    sdk.Builder(manifest).sign(signer, MIME[fmt], io.BytesIO(data), out)
    return out.getvalue()


def picture(fmt: str, size=(1200, 800)) -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", size, (90, 40, 160)).save(out, fmt)
    return out.getvalue()


def signed_ai_image(chain, fmt: str = "JPEG") -> bytes:
    return sign(picture(fmt), fmt, chain, source_type=AI, agent="Midjourney", title="ai." + fmt)


def signed_photo(chain) -> bytes:
    return sign(
        files.jpeg((1200, 800)), "JPEG", chain, source_type=CAPTURE, agent="Camera", title="p.jpg"
    )


def tampered(data: bytes) -> bytes:
    """Pixels changed after signing: the last bytes of the entropy-coded scan."""
    changed = bytearray(data)
    changed[-100] ^= 0xFF
    return bytes(changed)


def with_xmp_after_signing(jpeg: bytes) -> bytes:
    """An XMP APP1 segment inserted after the SOI of a signed JPEG, as a tool that edits
    metadata in place after signing would."""
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + files.xmp_packet(credit_line="Late edit")
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


@pytest.fixture
def signing(settings, tmp_path, chain):
    """NEWSROOM_C2PA_CERT and NEWSROOM_C2PA_KEY point at a throwaway leaf."""
    chain_pem, key_pem, _ = chain
    (tmp_path / "chain.pem").write_bytes(chain_pem)
    (tmp_path / "key.pem").write_bytes(key_pem)
    settings.NEWSROOM_C2PA_CERT = str(tmp_path / "chain.pem")
    settings.NEWSROOM_C2PA_KEY = str(tmp_path / "key.pem")


def ingest(data: bytes, name: str = "upload.jpg", **metadata) -> Image:
    image, created = services.image_ingest(file=ContentFile(data, name=name), metadata=metadata)
    assert created
    return image


AI_DESK_FIELDS = {"licence_basis": Image.LicenceBasis.PAID_PLAN_OWNERSHIP}


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


# --- Signing renditions -------------------------------------------------------------------------


def read_back(path: Path, fmt: str) -> dict:
    with open(path, "rb") as fh:
        reader = sdk.Reader(MIME[fmt.upper()], fh)
        with reader:
            store = json.loads(reader.json())
    return store


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "AVIF"])
def test_each_rendition_of_a_signed_upload_is_valid_with_the_original_as_parent(
    settings, signing, chain, fmt
):
    if fmt == "AVIF" and "AVIF" not in services.renditions.ALLOWED_FORMATS:
        pytest.skip("this Pillow build has no AVIF")
    image = ingest(signed_ai_image(chain, fmt), name=f"mj.{fmt.lower()}", **AI_DESK_FIELDS)

    made = services.image_renditions_make(image_id=image.pk)

    assert len(made) == 8
    for rendition in made:
        assert rendition.c2pa_signed is True
        store = read_back(Path(settings.MEDIA_ROOT) / rendition.file.name, rendition.format)
        assert store["validation_state"] == "Valid", store.get("validation_status")
        found = c2pa.credentials_from_store(store)
        assert found.failures == ["signingCredential.untrusted"]
        assert found.signer == "Test Camera"
        assert found.claim_generator.startswith("newsroom")
        manifest = store["manifests"][store["active_manifest"]]
        [parent] = manifest["ingredients"]
        assert parent["title"] == f"mj.{fmt.lower()}"
        assert parent["relationship"] == "parentOf"
        # The original's own manifest travels as the parent's, still valid.
        assert parent["active_manifest"] in store["manifests"]
        original_manifest = store["manifests"][parent["active_manifest"]]
        assert original_manifest["claim_generator_info"][0]["name"] == "Midjourney"
        expected = ["c2pa.opened", "c2pa.resized"]
        if rendition.format.upper() != fmt:
            expected.append("c2pa.converted")
        assert [a["action"] for a in found.actions] == expected
        assert found.actions[0]["digitalSourceType"] == AI


def test_a_rendition_of_an_upload_without_a_manifest_still_gets_one(settings, signing):
    image = ingest(files.jpeg((800, 600)), name="plain.jpg")

    made = services.image_renditions_make(image_id=image.pk)

    store = read_back(Path(settings.MEDIA_ROOT) / made[0].file.name, made[0].format)
    assert store["validation_state"] == "Valid"
    manifest = store["manifests"][store["active_manifest"]]
    [parent] = manifest["ingredients"]
    assert parent["title"] == "plain.jpg"
    assert "active_manifest" not in parent


def test_without_a_certificate_renditions_are_unsigned_and_signing_later_remakes_them(
    settings, tmp_path, chain
):
    image = ingest(signed_ai_image(chain), **AI_DESK_FIELDS)
    unsigned = services.image_renditions_make(image_id=image.pk)
    assert {r.c2pa_signed for r in unsigned} == {False}
    path = Path(settings.MEDIA_ROOT) / unsigned[0].file.name
    assert c2pa.read(path.read_bytes(), unsigned[0].format).present is False

    (tmp_path / "chain.pem").write_bytes(chain[0])
    (tmp_path / "key.pem").write_bytes(chain[1])
    settings.NEWSROOM_C2PA_CERT = str(tmp_path / "chain.pem")
    settings.NEWSROOM_C2PA_KEY = str(tmp_path / "key.pem")
    signed = services.image_renditions_make(image_id=image.pk)

    assert {r.c2pa_signed for r in signed} == {True}
    assert Rendition.objects.filter(image=image, c2pa_signed=False).count() == 0


@pytest.mark.skipif(
    shutil.which("exiftool") is None and os.environ.get("NEWSROOM_REQUIRE_SERVICES") != "1",
    reason="exiftool is not installed (apt-get install libimage-exiftool-perl); CI installs it",
)
def test_exiftool_reads_the_xmp_and_the_jumbf_of_a_signed_rendition(settings, signing, chain):
    image = ingest(
        signed_ai_image(chain), credit_line="Illustration: Midjourney / Desk", **AI_DESK_FIELDS
    )
    made = services.image_renditions_make(image_id=image.pk)
    paths = [str(Path(settings.MEDIA_ROOT) / r.file.name) for r in made]

    xmp_out = subprocess.run(
        ["exiftool", "-json", "-G1", "-XMP:all", *paths], capture_output=True, check=True
    )
    jumbf_out = subprocess.run(
        ["exiftool", "-json", "-G1", "-JUMBF:all", *paths], capture_output=True, check=True
    )

    for tags in json.loads(xmp_out.stdout):
        assert tags["XMP-photoshop:Credit"] == "Illustration: Midjourney / Desk"
        assert tags["XMP-iptcExt:DigitalSourceType"] == AI
    # exiftool (12.57, Debian bookworm) reads JUMBF from JPEG and PNG, not yet from WebP: the
    # WebP renditions' manifests are read back with the SDK in the test above.
    by_file = {tags["SourceFile"]: tags for tags in json.loads(jumbf_out.stdout)}
    jpegs = [path for path, r in zip(paths, made, strict=True) if r.format == "jpeg"]
    assert len(jpegs) == 4
    for path in jpegs:
        assert by_file[path]["JUMBF:JUMDLabel"] == "c2pa", by_file[path]


# --- The admin ----------------------------------------------------------------------------------


def test_the_admin_panel_says_valid_untrusted_with_the_actions_and_unsigned_renditions(
    chain, client
):
    admin = UserFactory(username="chief", is_staff=True, is_superuser=True)
    client.force_login(admin)
    image = ingest(signed_ai_image(chain), **AI_DESK_FIELDS)

    page = client.get(f"/admin/media_credits/image/{image.pk}/change/").content.decode()

    assert "Content Credentials" in page
    assert "Valid, untrusted" in page
    assert "c2pa.created" in page
    assert "Midjourney" in page
    assert "Unsigned: no signing certificate is configured" in page
    assert 'name="c2pa_override_reason"' in page


def test_the_admin_panel_names_the_failure_codes_and_the_absence(chain, client, signing):
    admin = UserFactory(username="chief", is_staff=True, is_superuser=True)
    client.force_login(admin)
    bad = ingest(tampered(signed_photo(chain)))
    none = ingest(files.jpeg((300, 200)), name="none.jpg")

    bad_page = client.get(f"/admin/media_credits/image/{bad.pk}/change/").content.decode()
    none_page = client.get(f"/admin/media_credits/image/{none.pk}/change/").content.decode()

    assert "Invalid: " in bad_page and "assertion.dataHash.mismatch" in bad_page
    assert "None: the upload carried no content credentials." in none_page
    assert "Signed with NEWSROOM_C2PA_CERT (renditions pending)." in none_page

    services.image_renditions_make(image_id=none.pk)
    none_page = client.get(f"/admin/media_credits/image/{none.pk}/change/").content.decode()
    assert "Signed: Valid, untrusted" in none_page
    assert "read back from w300-jpeg" in none_page


# --- The demo -----------------------------------------------------------------------------------


def test_the_demo_makes_a_throwaway_certificate_under_var_and_signs_its_renditions(
    settings, tmp_path
):
    from articles.demo import demo_load

    settings.NEWSROOM_COMMERCIAL_USE = False
    settings.VAR_DIR = tmp_path / "var"
    settings.NEWSROOM_C2PA_CERT = str(tmp_path / "var" / "c2pa" / "demo-chain.pem")
    settings.NEWSROOM_C2PA_KEY = str(tmp_path / "var" / "c2pa" / "demo-key.pem")

    demo_load()

    assert Path(settings.NEWSROOM_C2PA_CERT).exists()
    assert Rendition.objects.count() == 16
    assert set(Rendition.objects.values_list("c2pa_signed", flat=True)) == {True}
    rendition = Rendition.objects.filter(format="jpeg").first()
    store = read_back(Path(settings.MEDIA_ROOT) / rendition.file.name, "jpeg")
    found = c2pa.credentials_from_store(store)
    assert found.state == "Valid"
    assert found.failures == ["signingCredential.untrusted"]
    assert found.signer == "newsroom demo desk"


def test_the_demo_never_writes_a_certificate_outside_var(settings, tmp_path):
    from media_credits.demo import demo_signing_certificate

    settings.VAR_DIR = tmp_path / "var"
    settings.NEWSROOM_C2PA_CERT = str(tmp_path / "etc" / "chain.pem")
    settings.NEWSROOM_C2PA_KEY = str(tmp_path / "etc" / "key.pem")

    assert demo_signing_certificate() is False
    assert not (tmp_path / "etc").exists()
