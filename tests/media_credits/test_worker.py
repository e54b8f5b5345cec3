"""The renditions task end to end: upload, commit, Redis, a real Celery worker process."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from media_credits.models import Image, Rendition
from tests.media_credits import files

# No serialized_rollback: it reloads the migrations' rows (content types included) at setup, which
# collides with the content types an earlier transactional test's flush has already recreated
# (django_content_type unique key). The test needs none of the seeded rows.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings, tmp_path):
    """A Celery worker on the test database, Redis, and this test's file folders."""
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "NEWSROOM_ORIGINALS_ROOT": str(settings.NEWSROOM_ORIGINALS_ROOT),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "newsroom",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield tmp_path / "worker.log"
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log.close()


def test_a_real_worker_makes_the_renditions_once_the_upload_is_committed(
    worker, staff_client, upload
):
    response = staff_client.post(
        "/api/v1/images/", {"file": upload(files.jpeg((900, 600)))}, format="multipart"
    )
    assert response.status_code == 201
    image = Image.objects.get(pk=response.json()["id"])

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and Rendition.objects.filter(image=image).count() < 6:
        time.sleep(0.5)

    made = {r.spec for r in Rendition.objects.filter(image=image)}
    assert made == {f"w{w}-{f}" for w in (320, 640, 900) for f in ("webp", "jpeg")}, (
        worker.read_text()
    )
