import pytest
from django.core.files.base import ContentFile

from media_credits import services
from media_credits.models import ArticleImage
from media_credits.serializers import rendition_url
from tests.factories import PublishedArticleFactory
from tests.media_credits import files

pytestmark = pytest.mark.django_db


def image_with_renditions():
    image, _ = services.image_ingest(
        file=ContentFile(files.jpeg((700, 500)), name="a.jpg"),
        metadata={"alt_text": "Alt", "credit_line": "Desk"},
    )
    return image, services.image_renditions_make(image_id=image.pk)


def test_rendition_urls_are_root_relative_and_ignore_the_site_address(settings):
    _image, made = image_with_renditions()
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
    before = [rendition_url(r) for r in made]

    settings.NEWSROOM_SITE_URL = "https://elsewhere.example"

    assert [rendition_url(r) for r in made] == before
    assert all(url.startswith("/media/renditions/") for url in before)


def test_rendition_urls_start_with_a_cdn_media_url(settings):
    _image, made = image_with_renditions()

    settings.MEDIA_URL = "https://cdn.example.test/media/"

    assert all(
        rendition_url(r).startswith("https://cdn.example.test/media/renditions/") for r in made
    )


def test_a_stored_article_document_serves_working_urls_on_another_address(api_client, settings):
    article = PublishedArticleFactory(language="en")
    image, _made = image_with_renditions()
    ArticleImage.objects.create(article=article, image=image, role="lead")
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
    first = api_client.get(f"/api/v1/articles/{article.pk}/").json()

    settings.NEWSROOM_SITE_URL = "https://news.example"
    again = api_client.get(f"/api/v1/articles/{article.pk}/").json()

    urls = [r["url"] for r in again["lead_image"]["renditions"]]
    assert urls == [r["url"] for r in first["lead_image"]["renditions"]]
    assert all(url.startswith("/media/renditions/") for url in urls)
