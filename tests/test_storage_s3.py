"""Originals and renditions in an S3-compatible store (moto's server on 127.0.0.1, its own
process): what several web servers and workers share instead of a disk."""

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile

from media_credits import services, storage
from media_credits.models import Image, Rendition
from media_credits.tasks import image_renditions_make as image_renditions_make_task
from newsroom.settings import s3_storages
from tests.factories import UserFactory
from tests.media_credits import files
from tests.s3_server import BUCKET, KEYS
from tests.smtp_sink import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(api_client):
    api_client.force_authenticate(UserFactory(username="photo-desk", is_staff=True))
    return api_client


def upload(staff_client, data: bytes, **fields):
    return staff_client.post(
        "/api/v1/images/",
        {"file": ContentFile(data, name="harbour.jpg"), "alt_text": "A harbour", **fields},
        format="multipart",
    )


def fetch(url: str) -> bytes:
    assert urlsplit(url).hostname == "127.0.0.1"
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture
def store_down(settings):
    """STORAGES point at a loopback port nobody listens on."""
    media = s3_storages(endpoint_url=f"http://127.0.0.1:{free_port()}", bucket=BUCKET, **KEYS)
    settings.STORAGES = {"default": media["renditions"], **media}


def test_an_upload_keeps_the_original_private_and_byte_for_byte_in_the_store(
    s3_media, staff_client
):
    data = files.jpeg((900, 600))

    response = upload(staff_client, data)

    assert response.status_code == 201, response.content
    image = Image.objects.get(pk=response.json()["id"])
    assert s3_media.keys(prefix="originals/") == [f"originals/{image.original.name}"]
    stored = s3_media.client().get_object(Bucket=BUCKET, Key=f"originals/{image.original.name}")
    assert stored["Body"].read() == data
    unsigned = f"{s3_media.endpoint_url}/{BUCKET}/originals/{image.original.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(unsigned)
    assert refused.value.code == 403
    assert "original" not in json.dumps(response.json()).replace("original_filename", "")
    # Staff get a signed URL that expires; it serves the very bytes.
    url = storage.original_url(image=image)
    query = parse_qs(urlsplit(url).query)
    assert "X-Amz-Signature" in query or "Signature" in query
    assert query.get("X-Amz-Expires", query.get("Expires"))
    assert fetch(url) == data


def test_renditions_are_written_to_the_store_and_served_from_its_public_urls(
    s3_media, staff_client
):
    image, _ = services.image_ingest(file=ContentFile(files.jpeg((1200, 800)), name="a.jpg"))

    made = services.image_renditions_make(image_id=image.pk)

    assert {f"{r.file.name}" for r in made} == set(s3_media.keys(prefix="renditions/"))
    body = staff_client.get(f"/api/v1/images/{image.pk}/").json()
    urls = [r["url"] for r in body["renditions"]]
    assert len(urls) == len(made)
    for url in urls:
        assert url.startswith(f"{s3_media.endpoint_url}/{BUCKET}/renditions/")
        assert "Signature" not in url
    by_url = {r["url"]: r for r in body["renditions"]}
    for url, rendition in by_url.items():
        assert len(fetch(url)) == rendition["bytes"]


@pytest.mark.skipif(
    shutil.which("exiftool") is None and os.environ.get("NEWSROOM_REQUIRE_SERVICES") != "1",
    reason="exiftool is not installed (apt-get install libimage-exiftool-perl); CI installs it",
)
def test_exiftool_reads_the_xmp_of_a_rendition_fetched_from_the_store(s3_media, tmp_path):
    image, _ = services.image_ingest(
        file=ContentFile(files.jpeg((800, 500)), name="a.jpg"),
        metadata={"credit_line": "Jane Doe / Agency", "copyright_notice": "© 2026 Agency"},
    )
    made = services.image_renditions_make(image_id=image.pk)
    paths = []
    for rendition in made:
        path = tmp_path / rendition.file.name.rsplit("/", 1)[-1]
        path.write_bytes(fetch(storage.renditions_store().url(rendition.file.name)))
        paths.append(str(path))

    out = subprocess.run(
        ["exiftool", "-json", "-XMP-photoshop:Credit", "-XMP-dc:Rights", *paths],
        capture_output=True,
        text=True,
        check=True,
    )

    tags = json.loads(out.stdout)
    assert len(tags) == len(made)
    for found in tags:
        assert found["Credit"] == "Jane Doe / Agency"
        assert found["Rights"] == "© 2026 Agency"


def test_the_same_bytes_uploaded_twice_are_stored_once(s3_media, staff_client):
    data = files.jpeg((700, 500))

    first = upload(staff_client, data)
    second = upload(staff_client, data)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert len(s3_media.keys(prefix="originals/")) == 1


def test_making_renditions_twice_writes_nothing_new_and_a_deleted_image_is_skipped(s3_media):
    image, _ = services.image_ingest(file=ContentFile(files.jpeg((700, 500)), name="a.jpg"))
    services.image_renditions_make(image_id=image.pk)
    keys = s3_media.keys()

    again = image_renditions_make_task.apply(args=[image.pk])

    assert again.get() == Rendition.objects.filter(image=image).count()
    assert s3_media.keys() == keys
    assert image_renditions_make_task.apply(args=[image.pk + 1000]).get() == 0


def test_a_deleted_image_loses_its_files_after_commit_only(
    s3_media, django_capture_on_commit_callbacks
):
    image, _ = services.image_ingest(file=ContentFile(files.jpeg((700, 500)), name="a.jpg"))
    services.image_renditions_make(image_id=image.pk)
    assert s3_media.keys(prefix="renditions/") and s3_media.keys(prefix="originals/")

    with django_capture_on_commit_callbacks() as callbacks:
        services.image_delete(image=image)
        assert s3_media.keys(prefix="originals/"), "nothing is removed before the commit"
    for callback in callbacks:
        callback()

    assert s3_media.keys() == []


def test_an_upload_while_the_store_is_down_is_a_clear_503_and_saves_nothing(
    s3_server, store_down, staff_client
):
    s3_server.empty()

    response = upload(staff_client, files.jpeg((700, 500)))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "media store is unavailable" in response.json()["detail"]
    assert response["Retry-After"]
    assert not Image.objects.exists()
    assert s3_server.keys() == []


def test_the_renditions_task_retries_with_back_off_while_the_store_is_down(
    s3_media, settings, monkeypatch
):
    image, _ = services.image_ingest(file=ContentFile(files.jpeg((700, 500)), name="a.jpg"))
    up = settings.STORAGES
    media = s3_storages(endpoint_url=f"http://127.0.0.1:{free_port()}", bucket=BUCKET, **KEYS)
    settings.STORAGES = {"default": media["renditions"], **media}
    assert image_renditions_make_task.retry_backoff is True
    assert storage.StorageUnavailable in image_renditions_make_task.autoretry_for
    monkeypatch.setattr(image_renditions_make_task, "max_retries", 2)

    failed = image_renditions_make_task.apply(args=[image.pk])

    assert failed.state == "FAILURE"
    assert isinstance(failed.result, storage.StorageUnavailable)
    assert not Rendition.objects.filter(image=image).exists()
    # The store is back: the next retry makes them.
    settings.STORAGES = up
    assert image_renditions_make_task.apply(args=[image.pk]).get() > 0
    assert s3_media.keys(prefix="renditions/")


def test_readyz_checks_the_object_store_when_one_is_configured(s3_media, client):
    response = client.get("/readyz")

    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["object_store"] == "ok"


def test_readyz_is_503_naming_the_object_store_when_it_is_down(store_down, client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["object_store"] != "ok"
    assert response.json()["checks"]["database"] == "ok"
