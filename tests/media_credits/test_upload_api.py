import pytest

from media_credits.models import DigitalSourceType, Image, Licence
from tests.factories import UserFactory
from tests.media_credits import files

pytestmark = pytest.mark.django_db

URL = "/api/v1/images/"


def post(client, data: dict):
    return client.post(URL, data, format="multipart")


def test_staff_upload_stores_the_original_byte_for_byte_and_answers_with_the_image(
    staff_client, upload, settings, staff_user
):
    data = files.jpeg((1200, 800))
    response = post(
        staff_client,
        {
            "file": upload(data, "no-extension-needed"),
            "alt_text": "A gradient with an orange square.",
            "credit_line": "Jane Doe / Agency",
            "licence": "cc-by-4.0",
            "digital_source_type": DigitalSourceType.DIGITAL_CAPTURE,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    image = Image.objects.get(pk=body["id"])
    assert body["alt_text"] == "A gradient with an orange square."
    assert body["credit_line"] == "Jane Doe / Agency"
    assert body["licence"]["code"] == "cc-by-4.0"
    assert body["licence"]["name"] == "CC BY 4.0"
    assert body["format"] == "JPEG"
    assert (body["width"], body["height"]) == (1200, 800)
    assert body["bytes"] == len(data)
    assert body["ai_generated"] is False
    assert body["uploaded_by"] == staff_user.pk
    assert body["attribution_notes"] == {
        "en": "Photo: Jane Doe / Agency. Licence CC BY 4.0.",
        "fr": "Photo : Jane Doe / Agency. Licence CC BY 4.0.",
    }
    stored = settings.NEWSROOM_ORIGINALS_ROOT / image.original.name
    assert stored.read_bytes() == data
    assert settings.MEDIA_ROOT not in stored.parents
    with pytest.raises(ValueError, match="private"):
        image.original.url  # noqa: B018 - the property is what is tested


def test_the_same_bytes_uploaded_twice_return_the_existing_image(staff_client, upload):
    data = files.jpeg()
    first = post(staff_client, {"file": upload(data), "alt_text": "first"})
    second = post(staff_client, {"file": upload(data, "copy.jpg"), "alt_text": "second"})

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["alt_text"] == "first"
    assert Image.objects.count() == 1


def test_upload_enqueues_the_renditions_task_after_commit(
    staff_client, upload, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(staff_client, {"file": upload(files.jpeg())})

    assert response.status_code == 201
    [callback] = callbacks
    assert callback.func.__self__.name == "media_credits.tasks.image_renditions_make"
    assert callback.args == (response.json()["id"],)


@pytest.mark.parametrize("who", ["anonymous", "journalist"])
def test_only_staff_may_upload_or_list_images(api_client, upload, who):
    if who == "journalist":
        api_client.force_authenticate(UserFactory(is_staff=False))
    response = post(api_client, {"file": upload(files.jpeg())})
    listing = api_client.get(URL)

    assert response.status_code in (401, 403)
    assert listing.status_code in (401, 403)
    assert Image.objects.count() == 0


def test_list_and_retrieve_show_renditions_without_a_query_per_image(
    staff_client, upload, django_assert_max_num_queries
):
    from media_credits.services import image_renditions_make

    ids = []
    for colour in ((1, 2, 3), (4, 5, 6), (7, 8, 9)):
        ids.append(
            post(staff_client, {"file": upload(files.jpeg((700, 400), colour))}).json()["id"]
        )
    for pk in ids:
        image_renditions_make(image_id=pk)

    with django_assert_max_num_queries(5):
        listing = staff_client.get(URL)
    detail = staff_client.get(f"{URL}{ids[0]}/")

    assert listing.status_code == 200
    assert [item["id"] for item in listing.json()["results"]] == list(reversed(ids))
    assert detail.status_code == 200
    assert [r["spec"] for r in detail.json()["renditions"]] == [
        "w320-jpeg",
        "w640-jpeg",
        "w700-jpeg",
        "w320-webp",
        "w640-webp",
        "w700-webp",
    ]


def test_an_ai_image_without_ai_system_or_licence_basis_is_refused_naming_the_fields(
    staff_client, upload, stored_files
):
    response = post(
        staff_client,
        {
            "file": upload(files.jpeg()),
            "digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
        },
    )

    assert response.status_code == 400
    body = response.json()
    assert "AI system" in body["ai_system"][0]
    assert "licence basis" in body["licence_basis"][0]
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_an_unknown_licence_code_is_a_400_on_the_licence_field(staff_client, upload):
    response = post(staff_client, {"file": upload(files.jpeg()), "licence": "all-rights-mine"})

    assert response.status_code == 400
    assert "licence" in response.json()
    assert Image.objects.count() == 0


def test_an_ai_image_with_its_system_and_basis_is_accepted(staff_client, upload):
    response = post(
        staff_client,
        {
            "file": upload(files.png()),
            "alt_text": "A glowing chip.",
            "credit_line": "Midjourney / Desk",
            "digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            "ai_system": "Midjourney",
            "ai_system_version": "6.1",
            "ai_prompt": "a glowing chip",
            "licence_basis": Image.LicenceBasis.NON_COMMERCIAL_CREATIVE_COMMONS,
            "licence": "cc-by-nc-4.0",
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ai_generated"] is True
    assert body["format"] == "PNG"
    assert body["ai_prompt"] == "a glowing chip"
    assert body["attribution_notes"]["fr"] == (
        "Image générée par IA (Midjourney). Licence CC BY-NC 4.0 accordée par le fournisseur "
        "de services Midjourney."
    )


def test_embedded_xmp_prefills_the_fields_the_desk_left_empty(staff_client, upload):
    xmp = files.xmp_packet(
        digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
        ai_system="Midjourney",
        ai_system_version="6.1",
        credit_line="Embedded credit",
        creator="Embedded Creator",
        copyright_notice="© 2026 Embedded",
        usage_terms="Editorial use only",
        licensor_name="Midjourney Inc.",
        licensor_url="https://www.midjourney.com/",
    )
    response = post(
        staff_client,
        {
            "file": upload(files.jpeg(xmp=xmp)),
            "credit_line": "Typed by the desk",
            "licence_basis": Image.LicenceBasis.PAID_PLAN_OWNERSHIP,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["credit_line"] == "Typed by the desk"
    assert body["digital_source_type"] == DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA
    assert body["ai_system"] == "Midjourney"
    assert body["ai_system_version"] == "6.1"
    assert body["creator"] == "Embedded Creator"
    assert body["copyright_notice"] == "© 2026 Embedded"
    assert body["usage_terms"] == "Editorial use only"
    assert body["licensor_name"] == "Midjourney Inc."
    assert body["licensor_url"] == "https://www.midjourney.com/"


def test_exif_artist_and_copyright_prefill_creator_and_notice(staff_client, upload):
    exif = files.exif_with(artist="Exif Artist", copyright="Copyright Exif Holder")
    response = post(staff_client, {"file": upload(files.jpeg(exif=exif))})

    assert response.status_code == 201
    assert response.json()["creator"] == "Exif Artist"
    assert response.json()["copyright_notice"] == "Copyright Exif Holder"


def test_iptc_iim_byline_and_credit_prefill_creator_and_credit_line(staff_client, upload):
    data = files.with_iptc(files.jpeg(), byline="Iptc Byline", credit="Iptc Credit / Agency")
    response = post(staff_client, {"file": upload(data)})

    assert response.status_code == 201
    assert response.json()["creator"] == "Iptc Byline"
    assert response.json()["credit_line"] == "Iptc Credit / Agency"


def test_a_c2pa_manifest_in_jpeg_app11_is_recorded(staff_client, upload):
    plain = post(staff_client, {"file": upload(files.jpeg((300, 200), (1, 1, 1)))})
    signed = post(
        staff_client, {"file": upload(files.with_c2pa_app11(files.jpeg((300, 200), (9, 9, 9))))}
    )

    assert plain.json()["c2pa_manifest_present"] is False
    assert signed.status_code == 201
    assert signed.json()["c2pa_manifest_present"] is True


def test_a_c2pa_manifest_in_a_png_cabx_chunk_is_recorded(staff_client, upload):
    data = files.with_png_chunk(files.png(), b"caBX", b"\x00\x00\x00\x10jumb" + b"c2pa" * 2)
    response = post(staff_client, {"file": upload(data, "credentials.png", "image/png")})

    assert response.status_code == 201, response.json()
    assert response.json()["c2pa_manifest_present"] is True


def test_the_licence_catalogue_is_seeded():
    codes = set(Licence.objects.values_list("code", flat=True))
    assert {
        "staff",
        "wire-agency",
        "cc-by-4.0",
        "cc-by-sa-4.0",
        "cc-by-nc-4.0",
        "cc0-public-domain",
        "ai-subscriber-owned",
    } <= codes
    assert Licence.objects.get(code="cc-by-nc-4.0").commercial_use_allowed is False
    assert Licence.objects.get(code="cc-by-4.0").attribution_required is True


def _encoded(fmt: str, **options) -> bytes:
    import io

    from PIL import Image as PillowImage

    out = io.BytesIO()
    PillowImage.new("RGB", (400, 300), (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("WEBP", "WEBP"), ("GIF", "GIF"), ("AVIF", "AVIF")],
)
def test_every_allowed_format_is_accepted_by_its_content(staff_client, upload, fmt, expected):
    from media_credits.renditions import ALLOWED_FORMATS

    if fmt not in ALLOWED_FORMATS:
        pytest.skip(f"this Pillow build cannot decode {fmt}")
    response = post(staff_client, {"file": upload(_encoded(fmt), "named-wrongly.png")})

    assert response.status_code == 201, response.json()
    assert response.json()["format"] == expected
