"""The public article page: as the admin's "View on site" reaches it, in the article's language."""

import pytest
from django.contrib.contenttypes.models import ContentType

from articles.models import Article
from media_credits.models import ArticleImage
from tests.factories import (
    AIImageFactory,
    ArticleImageFactory,
    FollowUpFactory,
    PublishedArticleFactory,
    full_article,
)

pytestmark = pytest.mark.django_db


def test_view_on_site_in_the_admin_opens_the_public_page_of_the_article(admin_client, client):
    article = PublishedArticleFactory(language="fr", headline="Novalys et ses puces")
    content_type = ContentType.objects.get_for_model(Article)

    shortcut = admin_client.get(f"/admin/r/{content_type.pk}/{article.pk}/")

    assert shortcut.status_code == 302
    assert shortcut["Location"].endswith(f"/articles/{article.slug}/?language=fr")
    page = client.get(f"/articles/{article.slug}/", {"language": "fr"})
    assert page.status_code == 200
    assert "Novalys et ses puces" in page.content.decode()


def page_in(client, language: str, reader_language: str = "") -> str:
    article = full_article(language=language, headline=f"Story in {language}", slug="story")
    image = AIImageFactory()
    ArticleImageFactory(article=article, image=image, role=ArticleImage.Role.LEAD)
    FollowUpFactory(article=article, promise="")
    response = client.get(
        f"/articles/{article.slug}/", {"language": language}, HTTP_ACCEPT_LANGUAGE=reader_language
    )
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return response.content.decode()


def test_the_page_of_a_french_article_speaks_french(client):
    html = page_in(client, "fr", reader_language="en-GB,en;q=0.9")
    assert '<html lang="fr">' in html
    for label in ("Chiffres clés", "Dates clés", "Corrections", "Par "):
        assert label in html, label
    assert "La rédaction continuera à suivre ce dossier." in html  # the follow-up promise
    assert "Image générée par IA (Midjourney)." in html  # the attribution note
    for english in ("Key figures", "Key dates", "By ", "We will keep following"):
        assert english not in html, english


def test_the_page_of_an_english_article_speaks_english_whatever_the_reader_s_language(client):
    html = page_in(client, "en", reader_language="fr-FR,fr;q=0.9")
    assert '<html lang="en">' in html
    for label in ("Key figures", "Key dates", "Corrections", "By "):
        assert label in html, label
    assert "We will keep following this story." in html
    assert "AI-generated image (Midjourney)." in html
    for french in ("Chiffres clés", "Dates clés", "Par ", "La rédaction continuera"):
        assert french not in html, french
