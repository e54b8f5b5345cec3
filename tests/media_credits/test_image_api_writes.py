"""The image library API for the desks: who may use it, PATCH with If-Match, DELETE of an unused
image, and what a re-upload of the same bytes says (media_credits.views)."""

import pytest
from rest_framework.test import APIClient

from articles.models import ArticleDocument
from articles.readmodel import documents_build
from media_credits.models import Image
from tests.factories import (
    ArticleImageFactory,
    DeskFactory,
    ImageFactory,
    PublishedArticleFactory,
    UserFactory,
    desk_member,
)
from tests.media_credits import files

pytestmark = pytest.mark.django_db

URL = "/api/v1/images/"


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def desk_editor():
    # A desk editor who is not a staff account: the library used to answer a bare 403.
    return desk_member(desk=DeskFactory(), role="editor", username="desk-editor")


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_reporters_and_editors_upload_images_for_their_desks(role, upload):
    member = desk_member(desk=DeskFactory(), role=role, username=f"desk-{role}")

    response = client_for(member).post(
        URL, {"file": upload(files.jpeg((64, 48))), "alt_text": "A test card."}, format="multipart"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["existing"] is False and body["not_applied"] == []
    assert Image.objects.get(pk=body["id"]).uploaded_by == member


def test_an_account_on_no_desk_is_refused_with_the_reason(upload):
    response = client_for(UserFactory()).post(
        URL, {"file": upload(files.jpeg((64, 48)))}, format="multipart"
    )

    assert response.status_code == 403
    assert "desk members" in response.json()["detail"]
    assert not Image.objects.exists()


def test_the_refusal_speaks_the_readers_language(upload):
    client = client_for(UserFactory())

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 403
    assert "réservée aux membres des rédactions" in response.json()["detail"]


def test_a_reupload_of_the_same_bytes_answers_200_with_the_image_and_what_was_not_applied(
    desk_editor, upload
):
    data = files.jpeg((64, 48))
    client = client_for(desk_editor)
    first = client.post(
        URL, {"file": upload(data), "alt_text": "A test card.", "credit_line": "Desk"}, "multipart"
    )
    assert first.status_code == 201

    again = client.post(
        URL,
        {
            "file": upload(data),
            "alt_text": "A test card.",  # the same: applied in effect
            "caption": "A new caption",
            "credit_line": "Someone else",
        },
        format="multipart",
    )

    assert again.status_code == 200, again.content
    body = again.json()
    assert body["id"] == first.json()["id"]
    assert body["existing"] is True
    assert body["not_applied"] == ["caption", "credit_line"]
    assert Image.objects.get(pk=body["id"]).credit_line == "Desk"


def test_a_patch_needs_if_match_and_refuses_a_stale_version(desk_editor):
    image = ImageFactory()
    client = client_for(desk_editor)
    etag = client.get(f"{URL}{image.pk}/")["ETag"]
    assert etag == '"1"'

    missing = client.patch(f"{URL}{image.pk}/", {"caption": "New"}, format="json")
    assert missing.status_code == 428
    assert "If-Match" in missing.json()["detail"]

    done = client.patch(f"{URL}{image.pk}/", {"caption": "New"}, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert done.json()["caption"] == "New"
    assert done["ETag"] == '"2"'

    stale = client.patch(
        f"{URL}{image.pk}/", {"caption": "Newer"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert Image.objects.get(pk=image.pk).caption == "New"


def test_a_patch_validates_like_the_upload_and_saves_nothing_on_error(desk_editor):
    image = ImageFactory(caption="Kept")

    response = client_for(desk_editor).patch(
        f"{URL}{image.pk}/",
        {"caption": "Changed", "licence": "no-such-licence", "licensor_url": "not a url"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 400
    assert {"licence", "licensor_url"} <= set(response.json())
    assert Image.objects.get(pk=image.pk).caption == "Kept"


def test_a_patch_refreshes_the_public_documents_of_the_articles_showing_the_image(desk_editor):
    image = ImageFactory()
    article = PublishedArticleFactory()
    ArticleImageFactory(article=article, image=image, role="lead")
    documents_build(article_ids=[article.pk])

    response = client_for(desk_editor).patch(
        f"{URL}{image.pk}/", {"alt_text": "New alt text."}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 200
    assert not ArticleDocument.objects.filter(article=article).exists()
    public = APIClient().get(f"/api/v1/articles/{article.pk}/").json()
    assert public["lead_image"]["alt_text"] == "New alt text."


def test_an_image_an_article_uses_cannot_be_deleted_and_the_answer_says_why(desk_editor):
    image = ImageFactory()
    ArticleImageFactory(image=image)

    response = client_for(desk_editor).delete(f"{URL}{image.pk}/")

    assert response.status_code == 409
    assert "used by 1 article" in response.json()["detail"]
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_image_is_deleted(desk_editor):
    image = ImageFactory()

    response = client_for(desk_editor).delete(f"{URL}{image.pk}/")

    assert response.status_code == 204
    assert not Image.objects.filter(pk=image.pk).exists()
