"""Upload refusals speak the journalist's language, in the API and in the admin: a PDF, an
image over the size limit and a decompression bomb, in French and in English."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media_credits.models import Image
from tests.factories import UserFactory
from tests.media_credits import files

pytestmark = pytest.mark.django_db

CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
SIZE_LIMIT = 20_000

# What the message says, by case and language (French typography: a space before ":" and ";").
MESSAGES = {
    ("pdf", "fr"): [
        "Le fichier est au format PDF, qui n’est pas accepté : envoyez une image JPEG, PNG, WebP",
        " ou ",
        "(le format est lu dans le contenu, pas dans le nom du fichier).",
    ],
    ("pdf", "en"): [
        "The file is PDF, which is not accepted: upload a JPEG, PNG, WebP, GIF",
        " or ",
        "(the format is read from the content, not the file name).",
    ],
    ("oversize", "fr"): ["Le fichier fait ", " octets ; la limite est de 20000 octets."],
    ("oversize", "en"): ["The file is ", " bytes; the limit is 20000 bytes."],
    ("bomb", "fr"): [
        "L’image fait 10000 × 8000 pixels (80,0 mégapixels) ; la limite est de 50 mégapixels."
    ],
    ("bomb", "en"): [
        "The image is 10000 × 8000 pixels (80.0 megapixels); the limit is 50 megapixels."
    ],
}


def upload_data(case: str) -> bytes:
    if case == "pdf":
        return files.pdf()
    if case == "oversize":
        data = files.jpeg((1600, 1200))
        assert SIZE_LIMIT < len(data) < 1024 * 1024
        return data
    bomb = files.png_bomb(10_000, 8_000)
    assert len(bomb) < SIZE_LIMIT
    return bomb


@pytest.fixture(autouse=True)
def _size_limit(settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = SIZE_LIMIT


def assert_says(message: str, case: str, language: str) -> None:
    for part in MESSAGES[(case, language)]:
        assert part in message.replace("\u00a0", " ").replace("\u202f", " "), message


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("case", ["pdf", "oversize", "bomb"])
def test_the_api_refuses_an_upload_in_the_requests_language(
    case, language, staff_client, stored_files
):
    response = staff_client.post(
        "/api/v1/images/",
        {"file": SimpleUploadedFile("upload.jpg", upload_data(case)), "alt_text": "x"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == (413 if case == "oversize" else 400)
    assert response["Content-Type"] == "application/json"
    assert_says(" ".join(response.json()["file"]), case, language)
    assert Image.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("case", ["pdf", "oversize", "bomb"])
def test_the_admin_refuses_an_upload_in_the_browsers_language(case, language, client, stored_files):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/media_credits/image/add/",
        {
            "file": SimpleUploadedFile("upload.jpg", upload_data(case)),
            "alt_text": "x",
            "digital_source_type": CAPTURE,
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["file"])
    assert_says(errors, case, language)
    if language == "fr":
        assert "upload a" not in errors and "the limit" not in errors
    assert_says(response.content.decode(), case, language)
    assert Image.objects.count() == 0
    assert stored_files() == []
