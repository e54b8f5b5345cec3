import pytest
from django.core.files.base import ContentFile

from articles.views.articles import detail_queryset
from media_credits import services
from media_credits.models import ArticleImage
from tests.factories import (
    AIImageFactory,
    ArticleImageFactory,
    PublishedArticleFactory,
    full_article,
)
from tests.media_credits import files

pytestmark = pytest.mark.django_db


def real_image(colour, size=(1100, 700), **fields):
    image, _ = services.image_ingest(
        file=ContentFile(files.jpeg(size, colour), name="a.jpg"), metadata=fields
    )
    services.image_renditions_make(image_id=image.pk)
    return image


def test_the_article_shows_its_lead_and_inline_images_ready_for_srcset(api_client, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    article = PublishedArticleFactory(language="fr")
    lead = real_image((1, 2, 3), alt_text="Une puce.", credit_line="Midjourney / Rédaction")
    ArticleImage.objects.create(article=article, image=lead, role="lead", caption_override="Ici")
    second = ArticleImageFactory(article=article, order=2, image=AIImageFactory(caption="B"))
    first = ArticleImageFactory(article=article, order=1)

    body = api_client.get(f"/api/v1/articles/{article.pk}/").json()

    assert body["lead_image"]["id"] == lead.pk
    assert body["lead_image"]["caption"] == "Ici"
    assert body["lead_image"]["alt_text"] == "Une puce."
    assert body["lead_image"]["attribution_note"] == "Photo : Midjourney / Rédaction"
    assert body["lead_image"]["licence"] is None
    assert body["lead_image"]["digital_source_type"] == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    )
    renditions = body["lead_image"]["renditions"]
    assert {(r["format"], r["width"]) for r in renditions} == {
        (f, w) for f in ("jpeg", "webp") for w in (320, 640, 1024, 1100)
    }
    assert all(r["url"].startswith("/media/renditions/") for r in renditions)
    assert all(set(r) == {"url", "width", "height", "format"} for r in renditions)
    assert [i["id"] for i in body["images"]] == [first.image.pk, second.image.pk]
    ai = body["images"][1]
    assert ai["ai_generated"] is True
    assert ai["caption"] == "B"
    assert ai["licence"] == {
        "name": "CC BY-NC 4.0",
        "url": "https://creativecommons.org/licenses/by-nc/4.0/",
    }
    assert ai["attribution_note"].startswith("Image générée par IA (Midjourney).")
    assert "ai_prompt" not in ai


def test_an_article_without_images_has_no_lead_and_an_empty_list(api_client):
    article = PublishedArticleFactory()

    body = api_client.get(f"/api/v1/articles/{article.pk}/").json()

    assert body["lead_image"] is None
    assert body["images"] == []


def test_the_detail_query_count_does_not_grow_with_images_or_renditions(
    api_client, django_assert_num_queries
):
    one = full_article()
    ArticleImageFactory(article=one, role="lead")
    many = full_article()
    ArticleImageFactory(article=many, role="lead", image=real_image((5, 5, 5), (400, 300)))
    for n in range(4):
        ArticleImageFactory(article=many, image=real_image((n, 7, 7), (400, 300)))

    def count(article) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(f"/api/v1/articles/{article.pk}/")
        assert response.status_code == 200
        return len(queries)

    assert count(many) == count(one)
    assert len(api_client.get(f"/api/v1/articles/{many.pk}/").json()["images"]) == 4


def test_the_detail_prefetches_the_images_with_their_licences_and_renditions():
    lookups = [getattr(p, "prefetch_to", p) for p in detail_queryset()._prefetch_related_lookups]
    assert "article_images" in lookups


def test_the_openapi_schema_describes_lead_image_and_images(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    detail = schema["components"]["schemas"]["ArticleDetail"]["properties"]

    assert "lead_image" in detail
    assert detail["images"]["type"] == "array"
    paths = schema["paths"]
    assert "post" in paths["/api/v1/images/"]
