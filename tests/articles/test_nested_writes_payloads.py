"""Highlight boxes, images and follow-ups written through the article API: created, replaced,
validated.
"""

import datetime

import pytest
from django.utils import timezone

from articles.models import FollowUp, HighlightBox, HighlightItem, ReminderDelivery
from media_credits.models import ArticleImage
from tests.articles.api_helpers import NEXT_WEEK, patch
from tests.articles.conftest import client_for
from tests.factories import (
    EntityFactory,
    FollowUpFactory,
    HighlightBoxFactory,
    HighlightItemFactory,
    ImageFactory,
)

pytestmark = pytest.mark.django_db


# --- Creating ------------------------------------------------------------------------------------


def test_a_draft_is_created_with_boxes_images_and_followups_in_one_request(newsroom):
    lead, inline = ImageFactory(), ImageFactory()
    watched = EntityFactory(name="Regulator")
    response = client_for(newsroom.reporter_a).post(
        "/api/v1/articles/",
        {
            "headline": "Chip plant approved",
            "language": "fr",
            "desk": newsroom.desk_a.pk,
            "body": "<p>Text.</p>",
            "highlight_boxes": [
                {"title": "", "items": [{"emoji": "🇫🇷", "text": "<b>Oui</b><script>x</script>"}]}
            ],
            "images": [
                {"image": lead.pk, "role": "lead", "caption_override": "Le site"},
                {"image": inline.pk, "role": "inline"},
            ],
            "followups": [
                {"what": "The appeal", "next_check_at": NEXT_WEEK, "entities": [watched.pk]}
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["highlight_boxes"] == [
        {
            "title": "C'est nous qui soulignons :",
            "order": 0,
            "items": [{"emoji": "🇫🇷", "text": "<b>Oui</b>"}],
        }
    ]
    assert [(i["image"], i["role"], i["order"], i["caption_override"]) for i in data["images"]] == [
        (lead.pk, "lead", 0, "Le site"),
        (inline.pk, "inline", 1, ""),
    ]
    assert data["lead_image"]["id"] == lead.pk
    assert data["lead_image"]["caption"] == "Le site"
    [followup] = data["followups"]
    assert followup["what"] == "The appeal"
    assert followup["owner"] == newsroom.reporter_a.pk
    assert followup["entities"] == [watched.pk]
    assert followup["status"] == "watching"
    assert followup["promise"] == "La rédaction continuera à suivre ce dossier."
    assert datetime.datetime.fromisoformat(followup["next_check_at"]) == (
        datetime.datetime.fromisoformat(NEXT_WEEK)
    )


# --- Replacing -----------------------------------------------------------------------------------


def test_highlight_boxes_given_replace_the_stored_ones_and_keep_rows_that_stay(newsroom):
    article = newsroom.draft_mine
    box = HighlightBoxFactory(article=article, title="Old")
    kept = HighlightItemFactory(box=box, emoji="1️⃣", text="Stays", order=0)
    HighlightItemFactory(box=box, emoji="2️⃣", text="Goes", order=1)
    HighlightBoxFactory(article=article, title="Second box", order=1)

    response = patch(
        newsroom.reporter_a,
        article,
        {"highlight_boxes": [{"title": "New", "items": [{"emoji": "1️⃣", "text": "Stays"}]}]},
    )

    assert response.status_code == 200, response.content
    assert response.json()["highlight_boxes"] == [
        {"title": "New", "order": 0, "items": [{"emoji": "1️⃣", "text": "Stays"}]}
    ]
    assert list(HighlightBox.objects.filter(article=article).values_list("pk", flat=True)) == [
        box.pk
    ]
    assert list(HighlightItem.objects.filter(box=box).values_list("pk", flat=True)) == [kept.pk]


def test_a_patch_without_a_list_leaves_it_and_put_without_it_clears_it(newsroom):
    article = newsroom.draft_mine
    HighlightBoxFactory(article=article, title="Keep me")
    ArticleImage.objects.create(article=article, image=ImageFactory(), role="inline")

    assert patch(newsroom.editor_a, article, {"headline": "Only the headline"}).status_code == 200
    assert HighlightBox.objects.filter(article=article).count() == 1

    article.refresh_from_db()
    response = client_for(newsroom.editor_a).put(
        f"/api/v1/articles/{article.pk}/",
        {"headline": "Replaced", "language": "en", "desk": newsroom.desk_a.pk},
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )
    assert response.status_code == 200, response.content
    assert not HighlightBox.objects.filter(article=article).exists()
    assert not ArticleImage.objects.filter(article=article).exists()


def test_images_are_reordered_and_the_lead_can_change(newsroom):
    article = newsroom.draft_mine
    first, second = ImageFactory(), ImageFactory()
    ArticleImage.objects.create(article=article, image=first, role="lead")
    ArticleImage.objects.create(article=article, image=second, role="inline", order=1)

    response = patch(
        newsroom.editor_a,
        article,
        {
            "images": [
                {"image": second.pk, "role": "lead"},
                {"image": first.pk, "role": "inline", "caption_override": "Now inline"},
            ]
        },
    )

    assert response.status_code == 200, response.content
    uses = list(ArticleImage.objects.filter(article=article).order_by("order"))
    assert [(u.image_id, u.role, u.caption_override) for u in uses] == [
        (second.pk, "lead", ""),
        (first.pk, "inline", "Now inline"),
    ]
    assert response.json()["lead_image"]["id"] == second.pk


def test_a_followup_left_out_is_cancelled_and_keeps_its_deliveries(newsroom):
    article = newsroom.published_a
    dropped = FollowUpFactory(article=article, owner=newsroom.editor_a, what="Dropped")
    kept = FollowUpFactory(article=article, owner=newsroom.editor_a, what="Kept")
    delivery = ReminderDelivery.objects.create(
        followup=dropped, due_at=timezone.now(), next_attempt_at=timezone.now()
    )

    response = patch(
        newsroom.editor_a,
        article,
        {
            "followups": [
                {"id": kept.pk, "what": "Kept, reworded", "every_days": 7},
                {"what": "Added", "next_check_at": NEXT_WEEK, "owner": newsroom.reporter_a.pk},
            ]
        },
    )

    assert response.status_code == 200, response.content
    dropped.refresh_from_db()
    kept.refresh_from_db()
    assert dropped.status == FollowUp.Status.CANCELLED
    assert ReminderDelivery.objects.get(pk=delivery.pk).state == ReminderDelivery.State.CANCELLED
    assert (kept.what, kept.every_days, kept.status) == ("Kept, reworded", 7, "watching")
    added = FollowUp.objects.get(article=article, what="Added")
    assert added.owner == newsroom.reporter_a
    assert [f["id"] for f in response.json()["followups"]] == [kept.pk, added.pk]


def test_the_lists_read_by_the_desk_can_be_sent_back_unchanged(newsroom):
    article = newsroom.published_a
    followup = FollowUpFactory(article=article, owner=newsroom.editor_a, what="Same")
    done = FollowUpFactory(
        article=article, owner=newsroom.editor_a, status="done", next_check_at=None
    )
    box = HighlightBoxFactory(article=article, title="Box")
    HighlightItemFactory(box=box)
    ArticleImage.objects.create(article=article, image=ImageFactory(), role="lead")
    history = (FollowUp.history.count(), HighlightBox.history.count(), ArticleImage.history.count())
    editorial = client_for(newsroom.editor_a).get(f"/api/v1/articles/{article.pk}/").json()

    response = patch(
        newsroom.editor_a,
        article,
        {name: editorial[name] for name in ("followups", "highlight_boxes", "images")},
    )

    assert response.status_code == 200, response.content
    assert [f["id"] for f in response.json()["followups"]] == [followup.pk, done.pk]
    for name in ("followups", "highlight_boxes", "images"):
        assert response.json()[name] == editorial[name]
    assert history == (
        FollowUp.history.count(),
        HighlightBox.history.count(),
        ArticleImage.history.count(),
    )


# --- Validation ----------------------------------------------------------------------------------


def test_errors_name_the_path_into_the_nested_lists_and_nothing_is_saved(newsroom):
    article = newsroom.draft_mine
    image = ImageFactory()
    response = patch(
        newsroom.reporter_a,
        article,
        {
            "headline": "Must not stay",
            "highlight_boxes": [{"items": [{"emoji": "🔎", "text": "<script>only</script>"}]}],
            "images": [{"image": image.pk, "role": "inline"}, {"image": 999999, "role": "lead"}],
            "followups": [{"what": "No date"}],
        },
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"images[1].image"}
    assert "999999" in errors["images[1].image"][0]

    response = patch(
        newsroom.reporter_a,
        article,
        {
            "headline": "Must not stay",
            "highlight_boxes": [{"items": [{"emoji": "🔎", "text": "<script>only</script>"}]}],
            "images": [
                {"image": image.pk, "role": "lead"},
                {"image": ImageFactory().pk, "role": "lead"},
            ],
            "followups": [{"what": "No date"}, {"id": 424242, "what": "Unknown"}],
        },
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {
        "highlight_boxes[0].items[0].text",
        "images[1].role",
        "followups[0].next_check_at",
        "followups[1].id",
    }
    assert "one lead image" in errors["images[1].role"][0]
    article.refresh_from_db()
    assert article.headline != "Must not stay"
    assert article.version == 1
    assert not HighlightBox.objects.filter(article=article).exists()
    assert not ArticleImage.objects.filter(article=article).exists()
    assert not FollowUp.objects.filter(article=article).exists()


def test_a_naive_followup_time_is_refused_with_its_path(newsroom):
    response = patch(
        newsroom.editor_a,
        newsroom.draft_mine,
        {"followups": [{"what": "Appeal", "next_check_at": "2031-03-10T09:00:00"}]},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["followups[0].next_check_at"]
