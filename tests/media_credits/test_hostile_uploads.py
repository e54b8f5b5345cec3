"""One test per class of file the upload must refuse: a clear 400/413, no row, no file."""

import pytest

from media_credits.models import Image
from tests.media_credits import files

pytestmark = pytest.mark.django_db

URL = "/api/v1/images/"


@pytest.fixture
def refused(staff_client, upload, stored_files):
    """Upload `data` and check the refusal left nothing behind; returns (status, message)."""

    def send(data: bytes, name: str, content_type: str = "application/octet-stream"):
        response = staff_client.post(
            URL,
            {"file": upload(data, name, content_type), "alt_text": "x", "credit_line": "y"},
            format="multipart",
        )
        assert Image.objects.count() == 0
        assert stored_files() == []
        assert response["Content-Type"] == "application/json"
        return response.status_code, " ".join(response.json()["file"])

    return send


def test_an_svg_is_refused_even_named_jpg(refused):
    status, message = refused(files.svg(), "drawing.jpg", "image/jpeg")
    assert status == 400
    assert "SVG" in message
    assert "not accepted" in message


def test_a_pdf_is_refused(refused):
    status, message = refused(files.pdf(), "scan.png", "image/png")
    assert status == 400
    assert "PDF" in message


def test_a_photoshop_file_is_refused(refused):
    status, message = refused(files.psd(), "layers.psd")
    assert status == 400
    assert "Photoshop (PSD)" in message


def test_a_tiff_is_refused(refused):
    status, message = refused(files.tiff(), "photo.jpg", "image/jpeg")
    assert status == 400
    assert "TIFF" in message


def test_a_truncated_jpeg_is_refused(refused):
    data = files.jpeg((1600, 1200))
    status, message = refused(data[: len(data) * 2 // 3], "cut.jpg", "image/jpeg")
    assert status == 400
    assert "damaged or incomplete" in message


def test_a_truncated_png_is_refused(refused):
    data = files.png((900, 700), mode="RGB")
    status, message = refused(data[: len(data) - 40], "cut.png", "image/png")
    assert status == 400
    assert "damaged or incomplete" in message


def test_a_zero_byte_file_is_refused(refused):
    status, message = refused(b"", "empty.jpg", "image/jpeg")
    assert status == 400
    assert "empty" in message


def test_random_bytes_are_refused(refused):
    status, message = refused(bytes(range(256)) * 40, "noise.webp", "image/webp")
    assert status == 400
    assert "not an image we can read" in message


def test_a_file_over_the_byte_limit_is_a_413(refused, settings):
    data = files.jpeg((800, 600))
    settings.NEWSROOM_MAX_UPLOAD_BYTES = len(data) - 1
    status, message = refused(data, "big.jpg", "image/jpeg")
    assert status == 413
    assert "the limit is" in message


def test_a_request_declaring_a_body_far_over_the_limit_is_a_413_before_parsing(refused, settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 1000
    status, message = refused(b"\xff\xd8" + b"\x00" * 400_000, "huge.jpg", "image/jpeg")
    assert status == 413
    assert "the limit is" in message


def test_an_image_over_the_pixel_limit_is_refused(refused, settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 1_000_000
    status, message = refused(files.jpeg((1200, 1000)), "wide.jpg", "image/jpeg")
    assert status == 400
    assert "1200 × 1000 pixels" in message
    assert "the limit is 1 megapixels" in message


def test_a_decompression_bomb_under_pillows_own_limit_is_refused_from_its_header(refused):
    bomb = files.png_bomb(10_000, 8_000)  # 80 megapixels (240 MB as RGB) in 10 kilobytes
    assert len(bomb) < 20_000
    status, message = refused(bomb, "bomb.png", "image/png")
    assert status == 400
    assert "10000 × 8000 pixels (80.0 megapixels); the limit is 50 megapixels" in message


def test_a_decompression_bomb_over_pillows_own_limit_is_refused(refused):
    bomb = files.png_bomb(14_000, 14_000)  # 196 megapixels, over Pillow's own refusal
    status, message = refused(bomb, "bomb.png", "image/png")
    assert status == 400
    assert "decompression bomb" in message
    assert "the limit is 50 megapixels" in message


def test_an_upload_over_the_default_25_mb_is_a_413_through_the_whole_stack(refused, settings):
    """With the real settings (no lowered limit): Django's upload handling lets the request
    reach the view, which answers with JSON rather than a server error."""
    assert settings.NEWSROOM_MAX_UPLOAD_BYTES == 25 * 1024 * 1024
    status, message = refused(b"\xff\xd8\xff" + b"\x00" * (26 * 1024 * 1024), "big.jpg")
    assert status == 413
    assert "26.0 MB; the limit is 25.0 MB" in message
