"""An emoji a broken encoding turned into "?" is refused with the same message in the API and
the admin, naming the item (articles.models.highlights.HighlightItem.clean)."""

import html

import pytest

from articles.models import HighlightBox
from tests.articles.api_helpers import patch
from tests.articles.test_highlights import article_form
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db

LOST = "This emoji was lost to a broken encoding"
STARTS = "The text starts with “?”"


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        ({"emoji": "?", "text": "Funding"}, "emoji", LOST),
        ({"emoji": "?\ufe0f", "text": "Funding"}, "emoji", LOST),
        ({"emoji": "", "text": "?\ufe0f Funding"}, "text", STARTS),
        ({"emoji": "", "text": "?OpenAI raises"}, "text", STARTS),
    ],
)
def test_the_api_refuses_a_lost_emoji_naming_the_item(newsroom, item, field, message):
    items = [{"emoji": "🚀", "text": "Launch"}, {"emoji": "💶", "text": "Money"}, item]

    response = patch(
        newsroom.reporter_a,
        newsroom.draft_mine,
        {"highlight_boxes": [{"title": "Key points", "items": items}]},
    )

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [f"highlight_boxes[0].items[2].{field}"]
    assert errors[f"highlight_boxes[0].items[2].{field}"][0].startswith(message)
    assert not HighlightBox.objects.filter(article=newsroom.draft_mine).exists()


def test_a_question_inside_the_text_and_real_emoji_are_accepted(newsroom):
    items = [{"emoji": "❓", "text": "Will it last?"}, {"emoji": "🇫🇷", "text": "Paris?"}]

    response = patch(
        newsroom.reporter_a,
        newsroom.draft_mine,
        {"highlight_boxes": [{"title": "Key points", "items": items}]},
    )

    assert response.status_code == 200, response.content
    assert response.json()["highlight_boxes"][0]["items"] == items


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [("?\ufe0f Funding", "emoji", LOST), ("? Funding", "emoji", LOST), ("?OpenAI", "text", STARTS)],
)
def test_the_admin_refuses_a_lost_emoji_with_the_same_message(admin_client, line, field, message):
    article = PublishedArticleFactory(language="en")
    data = article_form(
        article,
        **{
            "highlight_boxes-TOTAL_FORMS": "1",
            "highlight_boxes-0-title": "",
            "highlight_boxes-0-order": "0",
            "highlight_boxes-0-items_text": f"🚀 Launch\n💶 Money\n{line}",
        },
    )

    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"items[2].{field}: {message}" in page
    assert not HighlightBox.objects.filter(article=article).exists()
