import pytest

from articles.demo import demo_load
from media_credits.models import ArticleImage, Image, Rendition

pytestmark = pytest.mark.django_db


def test_the_demo_gives_both_articles_a_lead_image_with_renditions(settings, api_client):
    settings.NEWSROOM_COMMERCIAL_USE = False
    articles = demo_load()

    fr = api_client.get(f"/api/v1/articles/{articles['fr'].pk}/").json()["lead_image"]
    en = api_client.get(f"/api/v1/articles/{articles['en'].pk}/").json()["lead_image"]

    assert fr["ai_generated"] is True
    assert fr["attribution_note"] == (
        "Image générée par IA (Midjourney). Licence CC BY-NC 4.0 accordée par le fournisseur "
        "de services Midjourney."
    )
    assert en["ai_generated"] is False
    assert en["attribution_note"].startswith("Photo: Camille Durand")
    assert len(fr["renditions"]) == 8
    assert len(en["renditions"]) == 8


def test_loading_the_demo_twice_reuses_the_same_images(settings):
    settings.NEWSROOM_COMMERCIAL_USE = False
    demo_load()
    images = set(Image.objects.values_list("pk", "sha256"))
    renditions = set(Rendition.objects.values_list("pk", "file"))

    demo_load()

    assert set(Image.objects.values_list("pk", "sha256")) == images
    assert set(Rendition.objects.values_list("pk", "file")) == renditions
    assert ArticleImage.objects.count() == 2


def test_on_a_commercial_site_the_demo_ai_image_is_on_a_paid_plan_so_it_can_be_published(
    settings,
):
    settings.NEWSROOM_COMMERCIAL_USE = True
    articles = demo_load()

    lead = ArticleImage.objects.get(article=articles["fr"], role="lead").image
    assert articles["fr"].status == "published"
    assert lead.attribution_note("fr") == "Image générée par IA (Midjourney)."
