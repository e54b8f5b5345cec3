"""The public article is served from a stored document: image changes must reach it."""

import pytest
from django.core.files.base import ContentFile

from media_credits import services
from media_credits.models import ArticleImage, Licence
from tests.factories import PublishedArticleFactory
from tests.media_credits import files

pytestmark = pytest.mark.django_db


def lead_image_of(client, article) -> dict:
    response = client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    return response.json()["lead_image"]


def uploaded(**fields):
    image, _ = services.image_ingest(
        file=ContentFile(files.jpeg((900, 600), (10, 20, 30)), name="a.jpg"), metadata=fields
    )
    return image


def test_renditions_made_after_the_article_was_read_show_up(api_client):
    article = PublishedArticleFactory()
    image = uploaded(alt_text="A chip.", credit_line="Desk")
    ArticleImage.objects.create(article=article, image=image, role="lead")
    assert lead_image_of(api_client, article)["renditions"] == []

    services.image_renditions_make(image_id=image.pk)

    widths = {r["width"] for r in lead_image_of(api_client, article)["renditions"]}
    assert widths == {320, 640, 900}


def test_edited_image_metadata_shows_up_in_the_article(api_client):
    article = PublishedArticleFactory()
    image = uploaded(alt_text="Old text.", credit_line="Desk")
    ArticleImage.objects.create(article=article, image=image, role="lead")
    assert lead_image_of(api_client, article)["alt_text"] == "Old text."

    image.alt_text = "New text."
    services.image_update(image=image)

    assert lead_image_of(api_client, article)["alt_text"] == "New text."


def test_an_edited_licence_shows_up_in_the_articles_using_it(api_client):
    article = PublishedArticleFactory()
    licence = Licence.objects.get(code="cc-by-4.0")
    image = uploaded(alt_text="A chip.", credit_line="Desk", licence=licence)
    ArticleImage.objects.create(article=article, image=image, role="lead")
    assert lead_image_of(api_client, article)["licence"]["name"] == licence.name

    licence.name = "Creative Commons Attribution 4.0"
    services.licence_update(licence=licence)

    assert lead_image_of(api_client, article)["licence"]["name"] == (
        "Creative Commons Attribution 4.0"
    )
