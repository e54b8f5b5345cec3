import pytest

from articles.models import HighlightBox, HighlightItem
from articles.services.highlights import parse_items
from tests.factories import (
    HighlightBoxFactory,
    HighlightItemFactory,
    PublishedArticleFactory,
)

pytestmark = pytest.mark.django_db

# Woman detective (ZWJ sequence with VS16), red heart (VS16), French flag (regional indicators),
# telephone with VS16, keycap sequence, skin-tone modifier.
EMOJI = ["🕵️‍♀️", "❤️", "🇫🇷", "☎️", "1️⃣", "👍🏽"]


def test_a_box_title_follows_the_article_language():
    assert HighlightBoxFactory(article__language="fr").title == "C'est nous qui soulignons :"
    assert HighlightBoxFactory(article__language="en-US").title == "Key points"
    assert HighlightBoxFactory(title="À retenir").title == "À retenir"


def test_item_text_keeps_minimal_inline_html_and_loses_the_rest():
    item = HighlightItemFactory(
        text='<strong>Arcturus</strong> <a href="https://example.org" onclick="x()">said</a>'
        "<script>alert(1)</script><img src=x>"
    )
    item.refresh_from_db()
    assert "<strong>Arcturus</strong>" in item.text
    assert 'href="https://example.org"' in item.text
    assert "onclick" not in item.text
    assert "<script>" not in item.text
    assert "<img" not in item.text


@pytest.mark.parametrize("emoji", EMOJI)
def test_emoji_come_back_byte_identical_from_the_database_and_the_api(api_client, emoji):
    article = PublishedArticleFactory()
    box = HighlightBoxFactory(article=article)
    HighlightItemFactory(box=box, emoji=emoji, text=f"Texte avec {emoji} dedans")
    stored = HighlightItem.objects.get()
    assert stored.emoji.encode("utf-8") == emoji.encode("utf-8")
    response = api_client.get(f"/api/v1/articles/{article.pk}/")
    # The raw bytes of the JSON response, decoded by the test and compared code point by code point.
    item = response.json()["highlight_boxes"][0]["items"][0]
    assert item["emoji"].encode("utf-8") == emoji.encode("utf-8")
    assert item["text"] == f"Texte avec {emoji} dedans"


def test_the_api_returns_boxes_and_items_in_order(api_client):
    article = PublishedArticleFactory(language="fr")
    second = HighlightBoxFactory(article=article, order=2, title="Ensuite")
    first = HighlightBoxFactory(article=article, order=1)
    HighlightItemFactory(box=first, emoji="🇫🇷", text="B", order=2)
    HighlightItemFactory(box=first, emoji="❤️", text="A", order=1)
    HighlightItemFactory(box=second, emoji="🕵️‍♀️", text="C")
    data = api_client.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["highlight_boxes"] == [
        {
            "title": "C'est nous qui soulignons :",
            "items": [{"emoji": "❤️", "text": "A"}, {"emoji": "🇫🇷", "text": "B"}],
        },
        {"title": "Ensuite", "items": [{"emoji": "🕵️‍♀️", "text": "C"}]},
    ]


def test_one_line_per_item_splits_the_emoji_from_the_text():
    text = "🕵️‍♀️ Une enquête\n\n❤️ <em>Aimé</em>\nSans emoji\n🇫🇷 La France\n?\ufe0f Abîmé"
    assert parse_items(text) == [
        ("🕵️‍♀️", "Une enquête"),
        ("❤️", "<em>Aimé</em>"),
        ("", "Sans emoji"),
        ("🇫🇷", "La France"),
        ("?\ufe0f", "Abîmé"),
    ]


def article_form(article, **extra):
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "language": article.language,
        "desk": article.desk_id or "",
        "publish_at_0": "",
        "publish_at_1": "",
        "embargo_until_0": "",
        "embargo_until_1": "",
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "editor_note": "",
        "canonical_url": "",
        "source_note": "",
        "expected_version": article.version,
    }
    for prefix in (
        "bylines",
        "mentions",
        "claims",
        "quotes",
        "key_figures",
        "key_dates",
        "sources",
        "corrections",
        "followups",
        "highlight_boxes",
        "article_images",
    ):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(extra)
    return data


def test_journalists_edit_a_box_and_its_items_on_the_article_page(admin_client):
    article = PublishedArticleFactory(language="fr")
    items = "\n".join(f"{e} Point {i}" for i, e in enumerate(EMOJI))
    data = article_form(
        article,
        **{
            "highlight_boxes-TOTAL_FORMS": "1",
            "highlight_boxes-0-title": "",
            "highlight_boxes-0-order": "0",
            "highlight_boxes-0-items_text": items,
        },
    )
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    box = HighlightBox.objects.get(article=article)
    assert box.title == "C'est nous qui soulignons :"
    assert [(i.emoji, i.text) for i in box.items.all()] == [
        (e, f"Point {i}") for i, e in enumerate(EMOJI)
    ]
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "🕵️‍♀️ Point 0" in page


def test_a_box_with_mangled_emoji_is_flagged_in_the_admin(admin_client):
    article = PublishedArticleFactory()
    box = HighlightBoxFactory(article=article)
    HighlightItemFactory(box=box, emoji="?\ufe0f", text="Broken on the way in")
    HighlightItemFactory(box=box, emoji="❤️", text="Fine")
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Broken characters" in page
    assert "Broken on the way in" in page
    page = admin_client.get(f"/admin/articles/highlightbox/{box.pk}/change/").content.decode()
    assert "damaged by a broken encoding" in page
    clean_box = HighlightBoxFactory()
    HighlightItemFactory(box=clean_box, emoji="🇫🇷")
    page = admin_client.get(f"/admin/articles/highlightbox/{clean_box.pk}/change/").content.decode()
    assert "broken encoding" not in page


def test_editing_items_in_the_admin_updates_rows_in_place_as_the_api_does(admin_client):
    article = PublishedArticleFactory(language="en")
    box = HighlightBoxFactory(article=article, title="Key points", order=0)
    kept = HighlightItemFactory(box=box, emoji="🇫🇷", text="Paris reacts", order=0)
    changed = HighlightItemFactory(box=box, emoji="❤️", text="Old line", order=1)
    data = article_form(
        article,
        **{
            "highlight_boxes-TOTAL_FORMS": "1",
            "highlight_boxes-INITIAL_FORMS": "1",
            "highlight_boxes-0-id": box.pk,
            "highlight_boxes-0-article": article.pk,
            "highlight_boxes-0-title": "Key points",
            "highlight_boxes-0-order": "0",
            "highlight_boxes-0-items_text": "🇫🇷 Paris reacts\n❤️ New line",
        },
    )

    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    items = list(box.items.all())
    assert [(i.pk, i.text) for i in items] == [(kept.pk, "Paris reacts"), (changed.pk, "New line")]
    assert kept.history.count() == 1  # untouched: no new revision
    assert HighlightItem.history.filter(id=changed.pk, history_type="~").count() == 1


def test_an_admin_item_the_model_refuses_is_shown_on_the_form_not_a_server_error(admin_client):
    article = PublishedArticleFactory(language="en")
    data = article_form(
        article,
        **{
            "highlight_boxes-TOTAL_FORMS": "1",
            "highlight_boxes-0-title": "",
            "highlight_boxes-0-order": "0",
            "highlight_boxes-0-items_text": f"{'🇫🇷' * 20} Too long an emoji",
        },
    )

    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 200
    assert "items[0].emoji" in response.content.decode()
    assert not HighlightBox.objects.filter(article=article).exists()
