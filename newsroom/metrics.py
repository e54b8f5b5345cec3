"""GET /metrics in the Prometheus text format, for the desk's operators only.

Request counts and latencies per view and database queries per view come from a middleware;
the desk's own gauges (reminders by state, the oldest due reminder still unsent, images still
waiting for renditions, the last successful run of each beat sweep) are read from the database
at scrape time, so every web server reports the same figures whichever host made the change.
https://prometheus.github.io/client_python/collector/custom/
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

# auto_describe off: registering DeskCollector must not query the database at import time.
REGISTRY = CollectorRegistry(auto_describe=False)

REQUESTS = Counter(
    "newsroom_http_requests",
    "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "newsroom_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    registry=REGISTRY,
)
QUERIES = Counter(
    "newsroom_db_queries",
    "Database queries run while answering requests, by view.",
    ["view"],
    registry=REGISTRY,
)


def view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match.route or "<view>"


class MetricsMiddleware:
    """Counts requests, their duration and their database queries, by view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        record(view_name(request), request.method, response.status_code, started, queries)
        return response


def record(view: str, method: str, status: int, started: float, queries: int) -> None:
    """One answered request (newsroom.fast_reads records the reads it answers with it too)."""
    REQUESTS.labels(view, method, str(status)).inc()
    LATENCY.labels(view).observe(time.perf_counter() - started)
    if queries:
        QUERIES.labels(view).inc(queries)


class DeskCollector(Collector):
    """The desk's own figures, read from the database at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db.models import Count, Min

        from articles.models import SweepRun
        from articles.models.followups import ReminderDelivery
        from media_credits.models import Image

        now = timezone.now()
        states = dict(
            ReminderDelivery.objects.values_list("state").annotate(n=Count("id")).order_by()
        )
        reminders = GaugeMetricFamily(
            "newsroom_reminders", "Reminder deliveries by state.", labels=["state"]
        )
        for state in ("pending", "sending", "failed"):
            reminders.add_metric([state], states.get(state, 0))
        yield reminders
        oldest = ReminderDelivery.objects.filter(
            state=ReminderDelivery.State.PENDING, next_attempt_at__lte=now
        ).aggregate(oldest=Min("due_at"))["oldest"]
        yield GaugeMetricFamily(
            "newsroom_reminder_oldest_due_unsent_seconds",
            "Age of the oldest reminder that is due and not sent yet (0: none).",
            value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        )
        yield GaugeMetricFamily(
            "newsroom_renditions_waiting",
            "Images that have no renditions yet.",
            value=Image.objects.filter(renditions__isnull=True).count(),
        )
        # Written by the beat sweep tasks in the worker, read here: alert on time() - value.
        sweeps = GaugeMetricFamily(
            "newsroom_beat_sweep_last_success_timestamp_seconds",
            "When each beat sweep last ran to the end (Unix time; absent: never).",
            labels=["sweep"],
        )
        for name, succeeded_at in SweepRun.objects.values_list("name", "succeeded_at"):
            sweeps.add_metric([name], succeeded_at.timestamp())
        yield sweeps


DESK = DeskCollector()
REGISTRY.register(DESK)


def scrape_registry() -> CollectorRegistry:
    """What a scrape reports. Under gunicorn (newsroom/gunicorn_conf.py sets
    PROMETHEUS_MULTIPROC_DIR) the request metrics are the sum of every worker's files, not
    this worker's alone; the desk's gauges come from the database either way."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry)
    registry.register(DESK)
    return registry


def _allowed(request: HttpRequest) -> bool:
    token = settings.NEWSROOM_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return True
    return request.META.get("REMOTE_ADDR", "") in settings.NEWSROOM_METRICS_ALLOWED_IPS


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format; 404 (not 403: nothing to discover) unless the client is allowed
    by NEWSROOM_METRICS_ALLOWED_IPS or sends NEWSROOM_METRICS_TOKEN as a bearer token."""
    if not _allowed(request):
        return HttpResponse(status=404)
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)
