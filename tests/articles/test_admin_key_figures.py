"""The admin's key figure inline: the unit is a select list of the units and currencies, an
approximate figure previews as readers see it, and a unit typed before the list stays visible
until the desk replaces it (articles.admin.metadata, articles.rendering)."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from articles.models import KeyFigure
from tests.articles.conftest import change_form_data, inline_prefix
from tests.factories import KeyFigureFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_unit_is_chosen_from_units_and_iso_currencies(admin_client):
    article = PublishedArticleFactory(language="fr")
    KeyFigureFactory(article=article, value=Decimal("70"), unit="percent", approximate=True)

    page = admin_client.get(change_url(article))

    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert '<select name="key_figures-0-unit"' in text
    for option in ('value="USD"', 'value="XOF"', 'value="people"', 'value="tonnes"'):
        assert option in text
    assert "USD — US Dollar" in text
    assert "about 70%" in text  # the row title, in the admin's language
    assert "environ 70\u00a0%" in text  # the preview, in the article's


def test_a_unit_typed_before_the_list_is_shown_and_must_be_replaced_to_save(admin_client):
    article = PublishedArticleFactory(language="en")
    figure = KeyFigureFactory(article=article, value=Decimal("7000000000000"), unit="USD")
    KeyFigure.objects.filter(pk=figure.pk).update(unit="furlongs")
    page = admin_client.get(change_url(article))
    assert 'value="furlongs" selected' in page.content.decode()
    data = change_form_data(page)
    prefix = inline_prefix(page, KeyFigure)

    refused = admin_client.post(change_url(article), data | {"_save": "Save"})

    assert refused.status_code == 200
    assert "is not a unit of the list" in html.unescape(refused.content.decode())
    data[f"{prefix}-0-unit"] = "USD"
    saved = admin_client.post(change_url(article), data | {"_save": "Save"})
    assert saved.status_code == 302
    assert KeyFigure.objects.get(pk=figure.pk).unit == "USD"
