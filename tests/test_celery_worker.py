"""A real Celery worker, on the real Redis broker, runs the publishing sweep against the test DB."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.tasks import articles_publish_due
from tests.factories import ScheduledArticleFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker(tmp_path):
    """A worker process on the test database; stopped (and reaped) when the test ends."""
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "NEWSROOM_VAR_DIR": str(tmp_path),
        "DJANGO_CONN_MAX_AGE": "0",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool=solo"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    log.close()


def wait_for(predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_publishes_a_due_article_sent_through_redis(worker, tmp_path):
    article = ScheduledArticleFactory(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    articles_publish_due.delay()

    def published() -> bool:
        return Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED

    log = tmp_path / "worker.log"
    assert wait_for(published), log.read_text()
    assert worker.poll() is None, log.read_text()  # the worker is still up, no crash
    assert Article.objects.get(pk=article.pk).version == 2
