"""Highlight boxes, images and follow-ups written through the article API: who may write them,
their history, the public document, the schema and the admin.
"""

import json

import pytest

from articles.models import FollowUp, HighlightBox
from media_credits.models import ArticleImage
from tests.articles.api_helpers import NEXT_WEEK, patch
from tests.articles.conftest import client_for
from tests.factories import (
    EntityFactory,
    HighlightBoxFactory,
    ImageFactory,
)

pytestmark = pytest.mark.django_db


def revisions(user, article, section):
    response = client_for(user).get(f"/api/v1/articles/{article.pk}/revisions/")
    assert response.status_code == 200
    return [entry for entry in response.json() if entry["section"] == section]


def public_detail(client, article):
    response = client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


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


def test_the_article_page_shows_the_new_inlines_to_a_desk_reporter(newsroom, client):
    newsroom.reporter_a.is_staff = True
    newsroom.reporter_a.save()
    client.force_login(newsroom.reporter_a)

    response = client.get(f"/admin/articles/article/{newsroom.draft_mine.pk}/change/")

    assert response.status_code == 200
    models = {inline.opts.model for inline in response.context["inline_admin_formsets"]}
    assert {HighlightBox, ArticleImage, FollowUp} <= models


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
