"""Originals are never public: the staff of an image's desks (or a superuser) read one through
a signed URL that expires, on the local file system (a Django view) and on S3 (presigned)."""

import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media_credits import services
from media_credits.originals import TOKEN_SALT, original_token
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    DeskFactory,
    UserFactory,
    desk_member,
)
from tests.media_credits import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return DeskFactory(name="Photo")


@pytest.fixture
def photographer(desk):
    return desk_member(desk=desk, role="reporter", username="photographer", is_staff=True)


@pytest.fixture
def original(photographer):
    """An upload by a member of the desk; returns (image, its bytes)."""
    data = files.jpeg((700, 500))
    image, _ = services.image_ingest(
        file=SimpleUploadedFile("harbour.jpg", data),
        uploaded_by=photographer,
        metadata={"alt_text": "A harbour"},
    )
    return image, data


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read(client: Client, url: str):
    response = client.get(url)
    return response, b"".join(response.streaming_content) if response.streaming else b""


def test_a_desk_member_reads_the_original_through_a_signed_link_on_the_file_system(
    original, photographer
):
    image, data = original
    client = signed_in(photographer)

    opened = client.get(f"/originals/{image.pk}/")

    assert opened.status_code == 302
    assert opened["Location"].startswith("/originals/file/")
    assert opened["Cache-Control"] == "private, no-store"
    response, body = read(client, opened["Location"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body == data


def test_a_member_of_the_desk_of_an_article_using_the_image_reads_it(original, desk):
    image, data = original
    other = DeskFactory(name="Economy")
    ArticleImageFactory(article=ArticleFactory(desk=other), image=image)
    editor = desk_member(desk=other, role="editor", username="eco-editor", is_staff=True)
    client = signed_in(editor)

    response, body = read(client, client.get(f"/originals/{image.pk}/")["Location"])

    assert body == data


def test_a_superuser_reads_any_original(original):
    image, data = original
    client = signed_in(UserFactory(username="chief", is_staff=True, is_superuser=True))

    response, body = read(client, client.get(f"/originals/{image.pk}/")["Location"])

    assert response.status_code == 200
    assert body == data


def test_anonymous_readers_are_refused_the_link_and_the_file(original, photographer):
    image, _ = original
    token = original_token(image=image, user=photographer)

    for url in (f"/originals/{image.pk}/", f"/originals/file/{token}/"):
        response = Client().get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_staff_of_another_desk_are_refused_even_with_a_colleagues_link(original, photographer):
    image, _ = original
    outsider = desk_member(
        desk=DeskFactory(name="Sport"), role="editor", username="sport", is_staff=True
    )
    client = signed_in(outsider)
    token = original_token(image=image, user=photographer)

    opened = client.get(f"/originals/{image.pk}/")
    borrowed = client.get(f"/originals/file/{token}/")
    own = client.get(f"/originals/file/{original_token(image=image, user=outsider)}/")

    for response in (opened, borrowed, own):
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert "desk" in response.json()["detail"]


def test_a_missing_image_gets_the_same_answer_as_a_forbidden_one(photographer):
    response = signed_in(photographer).get("/originals/999999/")

    assert response.status_code == 403


class _SignedAnHourAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 3600)


def test_an_expired_or_tampered_link_is_refused(original, photographer, settings):
    image, _ = original
    settings.NEWSROOM_ORIGINALS_URL_SECONDS = 300
    client = signed_in(photographer)
    expired = _SignedAnHourAgo(salt=TOKEN_SALT).sign_object(
        {"i": image.pk, "u": photographer.pk}, compress=True
    )
    fresh = original_token(image=image, user=photographer)

    late = client.get(f"/originals/file/{expired}/")
    tampered = client.get(f"/originals/file/{fresh[:-2]}xx/")

    assert late.status_code == 403
    assert late.json()["code"] == "expired"
    assert "expiré" not in late.json()["detail"]
    assert tampered.status_code == 403
    assert tampered.json()["code"] == "invalid"
    french = client.get(f"/originals/file/{expired}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "a expiré" in french.json()["detail"]


def test_the_admin_image_page_links_to_the_original(original):
    image, _ = original
    client = signed_in(UserFactory(username="chief", is_staff=True, is_superuser=True))

    page = client.get(f"/admin/media_credits/image/{image.pk}/change/").content.decode()

    assert f'href="/originals/{image.pk}/"' in page


# --- S3 (moto's server on 127.0.0.1) ------------------------------------------------------------


def fetch(url: str) -> bytes:
    assert urlsplit(url).hostname == "127.0.0.1"
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def test_on_s3_a_desk_member_is_sent_to_a_presigned_url_that_serves_the_original(
    s3_media, photographer, original
):
    image, data = original

    opened = signed_in(photographer).get(f"/originals/{image.pk}/")

    assert opened.status_code == 302
    url = opened["Location"]
    assert url.startswith(f"{s3_media.endpoint_url}/")
    query = parse_qs(urlsplit(url).query)
    assert "X-Amz-Signature" in query or "Signature" in query
    assert fetch(url) == data
    unsigned = url.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(unsigned)
    assert refused.value.code == 403


def test_on_s3_anonymous_and_other_desks_get_no_url(s3_media, original):
    image, _ = original
    outsider = desk_member(
        desk=DeskFactory(name="Sport"), role="editor", username="sport", is_staff=True
    )

    assert Client().get(f"/originals/{image.pk}/").status_code == 401
    assert signed_in(outsider).get(f"/originals/{image.pk}/").status_code == 403


def test_on_s3_the_presigned_url_carries_the_configured_lifetime(s3_media, settings, original):
    """The store refuses a presigned URL past its expiry (moto's server does not enforce it,
    so this checks what we ask for: the lifetime from NEWSROOM_ORIGINALS_URL_SECONDS)."""
    image, _ = original
    storages = s3_media.storages()
    storages["originals"]["OPTIONS"] = storages["originals"]["OPTIONS"] | {
        "querystring_expire": 120
    }
    settings.STORAGES = storages
    client = signed_in(UserFactory(username="chief", is_staff=True, is_superuser=True))

    asked = time.time()
    url = client.get(f"/originals/{image.pk}/")["Location"]

    query = parse_qs(urlsplit(url).query)
    if "X-Amz-Expires" in query:  # SigV4: a lifetime in seconds
        assert query["X-Amz-Expires"] == ["120"]
    else:  # SigV2: the time it stops working
        assert asked + 110 <= int(query["Expires"][0]) <= time.time() + 130
