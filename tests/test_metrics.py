"""GET /metrics (Prometheus text format, not public) and the JSON log lines."""

import datetime
import io
import json
import logging
import os
import signal
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from articles import tasks
from articles.models import SweepRun
from articles.models.followups import ReminderDelivery
from newsroom.logging import JsonFormatter
from tests.factories import FollowUpFactory, UserFactory
from tests.s3_server import _die_with_parent
from tests.smtp_sink import free_port, wait_until

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db


def scrape(client, **headers) -> dict[str, list]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        family.name: family.samples
        for family in text_string_to_metric_families(response.content.decode())
    }


def value(samples, **labels) -> float:
    return next(s.value for s in samples if all(s.labels.get(k) == v for k, v in labels.items()))


def test_metrics_count_requests_latencies_and_queries_per_view(client):
    client.get("/api/v1/articles/")
    client.get("/api/v1/articles/")

    families = scrape(client)

    requests = families["newsroom_http_requests"]
    assert value(requests, view="article-list", method="GET", status="200") >= 2
    latency = families["newsroom_http_request_duration_seconds"]
    count = [s for s in latency if s.name.endswith("_count") and s.labels["view"] == "article-list"]
    assert count[0].value >= 2
    assert value(families["newsroom_db_queries"], view="article-list") >= 2


def test_metrics_report_the_desks_reminders_and_waiting_renditions(client):
    from media_credits.models import Image
    from tests.factories import ImageFactory

    followup = FollowUpFactory()
    now = timezone.now()
    ReminderDelivery.objects.create(
        followup=followup,
        due_at=now - datetime.timedelta(hours=2),
        next_attempt_at=now - datetime.timedelta(hours=1),
    )
    ImageFactory()
    waiting = Image.objects.filter(renditions__isnull=True).count()

    families = scrape(client)

    assert value(families["newsroom_reminders"], state="pending") == 1
    assert value(families["newsroom_reminders"], state="failed") == 0
    oldest = value(families["newsroom_reminder_oldest_due_unsent_seconds"])
    assert 7000 < oldest < 8000
    assert value(families["newsroom_renditions_waiting"]) == waiting


def test_the_last_successful_beat_sweep_is_a_timestamp_the_web_process_reads(client):
    before = scrape(client)
    assert before["newsroom_beat_sweep_last_success_timestamp_seconds"] == []

    started = timezone.now()
    tasks.reminders_dispatch()  # the beat task's body, as a worker runs it
    tasks.articles_publish_due()
    finished = timezone.now()

    sweeps = scrape(client)["newsroom_beat_sweep_last_success_timestamp_seconds"]
    for name in ("reminders_dispatch", "articles_publish_due"):
        stamp = value(sweeps, sweep=name)
        assert started.timestamp() - 1 <= stamp <= finished.timestamp() + 1
    assert SweepRun.objects.count() == 2
    tasks.reminders_dispatch()
    assert SweepRun.objects.count() == 2  # one row per sweep, moved forward


def test_a_sweep_that_fails_leaves_its_last_success_where_it_was(client, monkeypatch):
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    SweepRun.objects.create(name="reminders_dispatch", succeeded_at=long_ago)

    def broken(**kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr("articles.reminders.dispatch.reminders_dispatch", broken)
    with pytest.raises(ConnectionError):
        tasks.reminders_dispatch()

    sweeps = scrape(client)["newsroom_beat_sweep_last_success_timestamp_seconds"]
    assert value(sweeps, sweep="reminders_dispatch") == pytest.approx(long_ago.timestamp())


def test_metrics_are_refused_outside_the_allow_list_unless_the_token_is_given(client, settings):
    settings.NEWSROOM_METRICS_ALLOWED_IPS = ["10.9.9.9"]
    settings.NEWSROOM_METRICS_TOKEN = "s3cret-scraper-token"

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-scraper-token")


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


def test_a_request_is_logged_as_one_json_line_with_its_id_user_view_status_and_duration(
    api_client, json_lines
):
    user = UserFactory(is_staff=True)
    api_client.force_login(user)  # a session, as the desk signs in (the public fast path reads it)

    response = api_client.get("/api/v1/articles/", HTTP_X_REQUEST_ID="req-42")

    assert response["X-Request-ID"] == "req-42"
    line = next(e for e in json_lines() if e["logger"] == "newsroom.request")
    assert line["request_id"] == "req-42"
    assert line["user_id"] == user.pk
    assert line["view"] == "article-list"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"


def test_a_worker_line_names_its_task_and_id(json_lines):
    from media_credits.tasks import image_renditions_make

    image_renditions_make.apply(args=[987654], task_id="task-id-1")

    line = next(e for e in json_lines() if "987654" in e["message"])
    assert line["task"] == "media_credits.tasks.image_renditions_make"
    assert line["task_id"] == "task-id-1"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read()


@pytest.mark.postgres
def test_gunicorn_with_two_workers_reports_the_whole_server_on_every_scrape(tmp_path):
    """prometheus_client's multiprocess mode (newsroom/gunicorn_conf.py): whichever worker
    answers the scrape, the request counts are the sum over both workers."""
    db = connection.settings_dict
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"left by an earlier run")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config=python:newsroom.gunicorn_conf"]
            + ["--workers", "2", "newsroom.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                return _get(f"{base}/healthz") is not None
            except OSError:
                return False

        wait_until(up, timeout=60, what="gunicorn")
        requests = 60
        # Concurrent clients keep one worker busy while the other accepts: both answer some.
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(lambda _: _get(f"{base}/healthz"), range(requests)))
        pids = {p.name.rsplit("_", 1)[-1] for p in metrics_dir.glob("counter_*.db")}
        assert len(pids) >= 2, f"one worker answered everything: {pids}"
        assert "999999.db" not in pids  # the folder was emptied at start

        for _scrape in range(6):  # whichever worker answers, the same whole-server sum
            families = {
                f.name: f.samples
                for f in text_string_to_metric_families(_get(f"{base}/metrics").decode())
            }
            answered = sum(
                s.value
                for s in families["newsroom_http_requests"]
                if s.labels["view"] == "healthz" and s.name.endswith("_total")
            )
            assert answered == requests + 1  # and the readiness probe above
            assert "newsroom_reminders" in families  # the desk's gauges are there too
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
