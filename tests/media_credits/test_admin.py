import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media_credits import services
from media_credits.models import Image
from tests.factories import AIImageFactory, ArticleImageFactory, ImageFactory, UserFactory
from tests.media_credits import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


def test_the_image_list_shows_thumbnails_and_filters(admin_client):
    image, _ = services.image_ingest(
        file=SimpleUploadedFile("a.jpg", files.jpeg((700, 500))), metadata={"alt_text": "Alt"}
    )
    services.image_renditions_make(image_id=image.pk)
    AIImageFactory(alt_text="")

    page = admin_client.get("/admin/media_credits/image/")
    ai_only = admin_client.get("/admin/media_credits/image/?ai_generated=yes")
    no_alt = admin_client.get("/admin/media_credits/image/?alt_text=missing")
    expiring = admin_client.get("/admin/media_credits/image/?licence_expiry=soon")

    assert page.status_code == 200
    html = page.content.decode()
    assert '<img src="/media/renditions/' in html
    assert "Expires within 30 days" in html
    assert ai_only.context["cl"].result_count == 1
    assert no_alt.context["cl"].result_count == 1
    assert expiring.context["cl"].result_count == 0


def test_the_change_page_previews_the_attribution_note_in_both_languages(admin_client):
    image = AIImageFactory()

    page = admin_client.get(f"/admin/media_credits/image/{image.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Image générée par IA (Midjourney). Licence CC BY-NC 4.0 accordée" in html
    assert "AI-generated image (Midjourney). Licence CC BY-NC 4.0 granted" in html


def test_an_upload_through_the_admin_is_checked_and_stored_like_the_api(admin_client, settings):
    data = files.jpeg((640, 480))
    response = admin_client.post(
        "/admin/media_credits/image/add/",
        {
            "file": SimpleUploadedFile("desk.jpg", data),
            "alt_text": "Desk photo",
            "credit_line": "Staff",
            "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    image = Image.objects.get()
    assert image.alt_text == "Desk photo"
    assert (settings.NEWSROOM_ORIGINALS_ROOT / image.original.name).read_bytes() == data


def test_a_hostile_upload_through_the_admin_is_a_form_error(admin_client, stored_files):
    response = admin_client.post(
        "/admin/media_credits/image/add/",
        {
            "file": SimpleUploadedFile("x.jpg", files.svg()),
            "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
        },
    )

    assert response.status_code == 200
    assert "SVG" in " ".join(response.context["adminform"].form.errors["file"])
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_an_ai_image_without_its_system_is_refused_in_the_admin_too(admin_client):
    image = ImageFactory()

    response = admin_client.post(
        f"/admin/media_credits/image/{image.pk}/change/",
        {
            "alt_text": "x",
            "credit_line": "y",
            "digital_source_type": (
                "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
            ),
            "renditions-TOTAL_FORMS": "0",
            "renditions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "ai_system" in errors and "licence_basis" in errors


def test_the_article_page_lists_its_images_inline(admin_client):
    use = ArticleImageFactory(image=ImageFactory(credit_line="Jane Doe"))

    page = admin_client.get(f"/admin/articles/article/{use.article.pk}/change/")

    assert page.status_code == 200
    assert "images (lead and inline, in order)" in page.content.decode().lower()
    assert "Photo: Jane Doe" in page.content.decode()
