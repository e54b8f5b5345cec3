"""The public article page as the admin's "View on site" reaches it."""

import pytest
from django.contrib.contenttypes.models import ContentType

from articles.models import Article
from tests.factories import PublishedArticleFactory

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
