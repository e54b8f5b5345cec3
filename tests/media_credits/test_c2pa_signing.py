"""Content credentials on our renditions: signing them, reading them back, the admin panel and
the demo's throwaway certificate.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import c2pa as sdk
import pytest

from media_credits import c2pa, services
from media_credits.models import Rendition
from tests.factories import UserFactory
from tests.media_credits import files
from tests.media_credits.credentials import (
    AI,
    AI_DESK_FIELDS,
    MIME,
    ingest,
    signed_ai_image,
    signed_photo,
    tampered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(settings, tmp_path, chain):
    """NEWSROOM_C2PA_CERT and NEWSROOM_C2PA_KEY point at a throwaway leaf."""
    chain_pem, key_pem, _ = chain
    (tmp_path / "chain.pem").write_bytes(chain_pem)
    (tmp_path / "key.pem").write_bytes(key_pem)
    settings.NEWSROOM_C2PA_CERT = str(tmp_path / "chain.pem")
    settings.NEWSROOM_C2PA_KEY = str(tmp_path / "key.pem")


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
