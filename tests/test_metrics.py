"""GET /metrics (Prometheus text format, not public) and the JSON log lines."""

import datetime
import io
import json
import logging

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from articles.models.followups import ReminderDelivery
from newsroom.logging import JsonFormatter
from tests.factories import FollowUpFactory, UserFactory

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
