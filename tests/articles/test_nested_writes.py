"""Highlight boxes, images and follow-ups written through the article API, with their history."""

import datetime
import json

import pytest
from django.utils import timezone

from articles.models import FollowUp, HighlightBox, HighlightItem, ReminderDelivery
from media_credits.models import ArticleImage
from tests.articles.conftest import client_for
from tests.factories import (
    EntityFactory,
    FollowUpFactory,
    HighlightBoxFactory,
    HighlightItemFactory,
    ImageFactory,
)

pytestmark = pytest.mark.django_db

NEXT_WEEK = "2031-03-10T09:00:00+01:00"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def patch(user, article, payload, version=None):
    version = article.version if version is None else version
    return client_for(user).patch(
        f"/api/v1/articles/{article.pk}/",
        payload,
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
    )


def revisions(user, article, section):
    response = client_for(user).get(f"/api/v1/articles/{article.pk}/revisions/")
    assert response.status_code == 200
    return [entry for entry in response.json() if entry["section"] == section]


def public_detail(client, article):
    response = client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


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


# --- Permissions ---------------------------------------------------------------------------------

BOXES = {"highlight_boxes": [{"title": "T", "items": [{"emoji": "", "text": "x"}]}]}


@pytest.mark.parametrize(
    ("role", "article", "expected"),
    [
        ("reporter_a", "draft_mine", 200),  # their own draft
        ("colleague_a", "draft_mine", 403),  # a colleague's draft
        ("reporter_a", "published_a", 403),  # their own, but published: editors only
        ("editor_a", "draft_colleague", 200),  # anything on the editor's desk
        ("editor_a", "published_a", 200),
        ("editor_a", "draft_other_desk", 404),  # another desk's unpublished work is invisible
        ("reporter_b", "draft_mine", 404),
        ("admin", "draft_other_desk", 200),
    ],
)
def test_who_may_write_the_nested_lists(newsroom, role, article, expected):
    target = newsroom.article(article)
    image = ImageFactory()
    payload = {
        **BOXES,
        "images": [{"image": image.pk, "role": "inline"}],
        "followups": [{"what": "Watch", "next_check_at": NEXT_WEEK}],
    }

    response = patch(newsroom.user(role), target, payload)

    assert response.status_code == expected, response.content
    written = HighlightBox.objects.filter(article=target).exists()
    assert written == (expected == 200)
    assert ArticleImage.objects.filter(article=target).exists() == written
    assert FollowUp.objects.filter(article=target).exists() == written


def test_the_roles_have_the_model_permissions_of_the_new_inlines(newsroom):
    for user in (newsroom.reporter_a, newsroom.editor_a):
        assert user.has_perms(
            [
                "articles.change_highlightbox",
                "articles.add_highlightitem",
                "articles.change_followup",
                "media_credits.change_articleimage",
                "media_credits.view_image",
            ]
        )
        # Follow-ups are cancelled, never deleted: their reminder deliveries stay on record.
        assert not user.has_perm("articles.delete_followup")


def test_the_highlight_box_admin_shows_a_reporter_only_what_they_may_see_and_edit(newsroom, client):
    mine = HighlightBoxFactory(article=newsroom.draft_mine, title="Mine")
    other_desk = HighlightBoxFactory(article=newsroom.draft_other_desk, title="Elsewhere")
    published = HighlightBoxFactory(article=newsroom.published_a, title="Live")
    newsroom.reporter_a.is_staff = True
    newsroom.reporter_a.save()
    client.force_login(newsroom.reporter_a)

    listing = client.get("/admin/articles/highlightbox/")
    assert listing.status_code == 200
    assert "Mine" in listing.content.decode()
    assert "Elsewhere" not in listing.content.decode()
    assert client.get(f"/admin/articles/highlightbox/{other_desk.pk}/change/").status_code == 302
    # Visible but not editable: the page is read-only and a POST is refused.
    response = client.post(
        f"/admin/articles/highlightbox/{published.pk}/change/",
        {"article": newsroom.published_a.pk, "title": "Hijacked", "order": 0},
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "Live"
    assert client.get(f"/admin/articles/highlightbox/{mine.pk}/change/").status_code == 200


# --- History -------------------------------------------------------------------------------------


def test_revisions_show_field_changes_of_boxes_items_images_and_followups(newsroom):
    article = newsroom.draft_mine
    image = ImageFactory()
    entity = EntityFactory()
    created = patch(
        newsroom.reporter_a,
        article,
        {
            "highlight_boxes": [{"title": "First", "items": [{"emoji": "🔎", "text": "One"}]}],
            "images": [{"image": image.pk, "role": "inline"}],
            "followups": [{"what": "Appeal", "next_check_at": NEXT_WEEK}],
        },
    )
    assert created.status_code == 200, created.content
    followup_id = created.json()["followups"][0]["id"]

    changed = patch(
        newsroom.reporter_a,
        article,
        {
            "highlight_boxes": [{"title": "Second", "items": [{"emoji": "🔎", "text": "Two"}]}],
            "images": [{"image": image.pk, "role": "inline", "caption_override": "Caption"}],
            "followups": [{"id": followup_id, "what": "Appeal ruling", "entities": [entity.pk]}],
        },
        version=2,
    )
    assert changed.status_code == 200, changed.content

    def latest_changes(section):
        entry = revisions(newsroom.reporter_a, article, section)[0]
        assert entry["action"] == "changed"
        assert entry["user"]["id"] == newsroom.reporter_a.pk
        return {c["field"]: (c["old"], c["new"]) for c in entry["changes"]}

    assert latest_changes("highlight_boxes") == {"title": ("First", "Second")}
    assert latest_changes("highlight_items") == {"text": ("One", "Two")}
    assert latest_changes("images") == {"caption_override": ("", "Caption")}
    followup_changes = {}
    for entry in revisions(newsroom.reporter_a, article, "followups"):
        if entry["action"] == "changed":
            for change in entry["changes"]:
                followup_changes.setdefault(change["field"], (change["old"], change["new"]))
    assert followup_changes["what"] == ("Appeal", "Appeal ruling")
    assert followup_changes["entities"] == ([], [entity.pk])

    patch(newsroom.reporter_a, article, {"highlight_boxes": []}, version=3)
    deleted = revisions(newsroom.reporter_a, article, "highlight_items")[0]
    assert deleted["action"] == "deleted"
    assert {c["field"]: c["old"] for c in deleted["changes"]}["text"] == "Two"


# --- The public read path ------------------------------------------------------------------------


def test_the_public_document_follows_every_nested_write(newsroom, client):
    article = newsroom.published_a
    image = ImageFactory()
    assert public_detail(client, article)["highlight_boxes"] == []  # the document is stored

    response = patch(
        newsroom.editor_a,
        article,
        {
            "highlight_boxes": [{"title": "Key", "items": [{"emoji": "✅", "text": "Done"}]}],
            "images": [{"image": image.pk, "role": "lead"}],
            "followups": [{"what": "Appeal", "next_check_at": NEXT_WEEK, "promise": "Stay tuned"}],
        },
    )
    assert response.status_code == 200, response.content

    served = public_detail(client, article)
    assert served["version"] == response.json()["version"]
    assert served["highlight_boxes"] == [
        {"title": "Key", "items": [{"emoji": "✅", "text": "Done"}]}
    ]
    assert served["lead_image"]["id"] == image.pk
    assert [f["promise"] for f in served["followups"]] == ["Stay tuned"]
    assert "what" not in served["followups"][0]  # the desk's fields stay internal

    article.refresh_from_db()
    patch(newsroom.editor_a, article, {"followups": [], "highlight_boxes": [], "images": []})
    served = public_detail(client, article)
    assert served["highlight_boxes"] == []
    assert served["lead_image"] is None
    assert served["followups"] == []


def test_the_schema_documents_the_new_lists_for_writing_and_reading(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    write = components["ArticleWriteRequest"]["properties"]
    assert {"highlight_boxes", "images", "followups"} <= set(write)
    editorial = components["ArticleEditorial"]["properties"]
    assert editorial["images"]["items"]["$ref"].endswith("/ArticleImageEditorial")


def test_the_article_page_shows_the_new_inlines_to_a_desk_reporter(newsroom, client):
    newsroom.reporter_a.is_staff = True
    newsroom.reporter_a.save()
    client.force_login(newsroom.reporter_a)

    response = client.get(f"/admin/articles/article/{newsroom.draft_mine.pk}/change/")

    assert response.status_code == 200
    models = {inline.opts.model for inline in response.context["inline_admin_formsets"]}
    assert {HighlightBox, ArticleImage, FollowUp} <= models


def test_the_admin_history_lists_changes_to_boxes_images_and_followups(newsroom, client):
    article = newsroom.draft_mine
    response = patch(
        newsroom.reporter_a,
        article,
        {
            **BOXES,
            "images": [{"image": ImageFactory().pk, "role": "inline"}],
            "followups": [{"what": "Watch", "next_check_at": NEXT_WEEK}],
        },
    )
    assert response.status_code == 200, response.content
    newsroom.reporter_a.is_staff = True
    newsroom.reporter_a.save()
    client.force_login(newsroom.reporter_a)

    page = client.get(f"/admin/articles/article/{article.pk}/history/")

    assert page.status_code == 200
    sections = {entry["section"] for entry in page.context["metadata_revisions"]}
    assert {"highlight_boxes", "highlight_items", "images", "followups"} <= sections
    assert "highlight_boxes #" in page.content.decode()
