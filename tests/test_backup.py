"""The restore drill: back up the database and the media bucket, restore both into a fresh
database and a fresh store, and the public API and the images serve the same bytes."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from media_credits import services
from media_credits.models import ArticleImage
from newsroom.settings import s3_storages
from tests.factories import ArticleImageFactory, PublishedArticleFactory
from tests.media_credits import files
from tests.s3_server import BUCKET, KEYS, public_renditions, start_s3_server

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_URL = "https://media.example.org"

READ_BACK = """
import sys, django
django.setup()
from django.test import Client
response = Client().get(sys.argv[1])
assert response.status_code == 200, response.status_code
sys.stdout.buffer.write(response.content)
"""


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"
    db = connection.settings_dict
    dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']}"
    with psycopg.connect(dsn + " dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{name}"
    )
    with psycopg.connect(dsn + " dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_store():
    server = start_s3_server()
    server.client().create_bucket(Bucket=BUCKET)
    server.client().put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_renditions(BUCKET)))
    yield server
    server.process.terminate()
    server.process.wait(timeout=10)


@pytest.mark.skipif(
    shutil.which("pg_dump") is None and os.environ.get("NEWSROOM_REQUIRE_SERVICES") != "1",
    reason="pg_dump is not installed (Debian: postgresql-client); CI has it",
)
def test_a_backup_restored_into_a_fresh_database_and_store_serves_the_same_bytes(
    s3_media, settings, tmp_path, fresh_database, fresh_store, api_client
):
    media = s3_storages(
        endpoint_url=s3_media.endpoint_url, bucket=BUCKET, public_url=PUBLIC_URL, **KEYS
    )
    settings.STORAGES = {"default": media["renditions"], **media}
    image, _ = services.image_ingest(file=ContentFile(files.jpeg((900, 600)), name="lead.jpg"))
    services.image_renditions_make(image_id=image.pk)
    article = PublishedArticleFactory()
    ArticleImageFactory(article=article, image=image, role=ArticleImage.Role.LEAD)
    url = f"/api/v1/articles/{article.slug}/"
    before = api_client.get(url)
    assert before.status_code == 200
    assert PUBLIC_URL in before.content.decode()
    objects = {key: _get(s3_media, key) for key in s3_media.keys()}
    assert any(k.startswith("originals/") for k in objects)
    assert any(k.startswith("renditions/") for k in objects)

    call_command("newsroom_backup", str(tmp_path / "backup"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": fresh_database,
        "NEWSROOM_VAR_DIR": str(tmp_path / "restored-var"),
        "NEWSROOM_S3_ENDPOINT_URL": fresh_store.endpoint_url,
        "NEWSROOM_S3_BUCKET": BUCKET,
        "NEWSROOM_S3_ACCESS_KEY_ID": "testing",
        "NEWSROOM_S3_SECRET_ACCESS_KEY": "testing",
        "NEWSROOM_MEDIA_PUBLIC_URL": PUBLIC_URL,
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    restored = subprocess.run(
        [*manage, "newsroom_restore", str(tmp_path / "backup")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert restored.returncode == 0, restored.stderr

    after = subprocess.run(
        [sys.executable, "-c", READ_BACK, url], env=env, cwd=ROOT, capture_output=True, timeout=120
    )
    assert after.returncode == 0, after.stderr.decode()
    assert after.stdout == before.content
    assert {key: _get(fresh_store, key) for key in fresh_store.keys()} == objects


def _get(server, key: str) -> bytes:
    return server.client().get_object(Bucket=BUCKET, Key=key)["Body"].read()
