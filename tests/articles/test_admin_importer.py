"""The admin page "Importer une dépêche" and what the article page shows of an import."""

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Entity
from tests.articles.conftest import desk_staff  # noqa: F401  (fixture)
from tests.factories import ArticleImageFactory, EntityFactory, ImageFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "formats" / "wirecopy_samples"
IMPORT = "/admin/articles/article/import/"


def test_the_changelist_and_the_index_link_to_the_import_page(client, desk_staff):  # noqa: F811
    _desk, _editor, reporter = desk_staff
    client.force_login(reporter)

    assert IMPORT in client.get("/admin/articles/article/").content.decode()
    assert IMPORT in client.get("/admin/").content.decode()
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert "Wire copy" in page.content.decode() or "Dépêche" in page.content.decode()


def test_pasted_copy_becomes_a_draft_whose_page_opens_with_what_to_check(client, desk_staff):  # noqa: F811
    desk, _editor, reporter = desk_staff
    client.force_login(reporter)
    text = (SAMPLES / "damaged_lost_emoji.txt").read_text("utf-8")

    response = client.post(IMPORT, {"text": text, "desk": desk.pk, "language": "auto"})

    article = Article.objects.get(headline="OpenAI would neither confirm nor deny the report")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "An emoji was lost in transmission: choose one." in shown
    page = client.get(response["Location"]).content.decode()
    assert "An emoji was lost in transmission: choose one." in page
    assert "Imported copy" in page or "Texte importé" in page


def test_an_uploaded_binary_file_is_refused_on_the_form_and_creates_nothing(client, desk_staff):  # noqa: F811
    desk, _editor, reporter = desk_staff
    client.force_login(reporter)
    upload = SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")

    response = client.post(IMPORT, {"file": upload, "desk": desk.pk, "language": "auto"})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["This is a binary file, not text."]
    assert not Article.objects.exists()


def test_attaching_the_lead_image_gives_it_the_pending_attribution_once(desk_staff):  # noqa: F811
    from articles.services.imports import article_import_text, article_pending_image_apply

    desk, _editor, reporter = desk_staff
    EntityFactory(name="Novalys", kind=Entity.Kind.ORGANISATION)
    article = article_import_text(
        data=(SAMPLES / "fr_novalys_puces.txt").read_bytes(), user=reporter, desk=desk
    )
    image = ImageFactory(credit_line="", ai_system="", licensor_name="", licence_basis="")
    ArticleImageFactory(article=article, image=image, role="lead")

    assert article_pending_image_apply(article=article) is True

    image.refresh_from_db()
    article.refresh_from_db()
    assert image.digital_source_type.endswith("trainedAlgorithmicMedia")
    assert (image.ai_system, image.licensor_name, image.licence_basis) == (
        "Midjourney",
        "Midjourney",
        "provider_licence",
    )
    assert article.pending_image == {}
    assert article_pending_image_apply(article=article) is False


def test_the_api_write_of_a_lead_image_applies_the_pending_attribution(desk_staff):  # noqa: F811
    from articles.services.articles import article_update
    from articles.services.imports import article_import_text

    desk, _editor, reporter = desk_staff
    article = article_import_text(
        data=(SAMPLES / "en_orbitel_satellites.txt").read_bytes(), user=reporter, desk=desk
    )
    image = ImageFactory(credit_line="")

    article_update(
        user=reporter,
        article_id=article.pk,
        data={"images": [{"image": image, "role": "lead"}]},
        expected_versions=None,
    )

    image.refresh_from_db()
    assert image.credit_line == "Jane Doe / Orbitel"
    assert Article.objects.get(pk=article.pk).pending_image == {}
