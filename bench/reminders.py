"""Reminders benchmark on PostgreSQL: our dispatch versus one raw SQL statement, and emails/s.

1,000,000 follow-ups of which 100,000 are due. Timed:
- ours: `articles.reminders.dispatch.reminders_dispatch`, which creates the delivery rows of the due
  follow-ups (batched SELECT ... FOR UPDATE SKIP LOCKED, INSERT ... ON CONFLICT DO NOTHING, the
  follow-ups advanced by cadence in the owner's time zone) and then claims every pending
  delivery in batches, exactly as the beat sweep does (enqueueing is left out: a no-op);
- raw: a single `UPDATE ... RETURNING` over the same due rows, feeding an INSERT of the claimed
  deliveries (`WITH advanced AS (UPDATE ... RETURNING ...) INSERT ... RETURNING id`): the same
  rows written, no time-zone arithmetic, no batches.
Both start from the same state (reset and VACUUM ANALYZE in between); best of BENCH_ROUNDS.
It also prints the EXPLAIN of the claim query (it must use an index), and the emails per second
a real Celery worker (prefork, 2 processes) sends through a local aiosmtpd sink.

It creates its own database `<BENCH_DATABASE_URL's name>_reminders_bench` on the same server
(BENCH_DATABASE_URL as the other sections, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/newsroom_bench), and drops it at the end.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/reminders.py
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TOTAL = int(os.environ.get("BENCH_FOLLOWUPS", "1000000"))
DUE = int(os.environ.get("BENCH_DUE", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
EMAILS = int(os.environ.get("BENCH_EMAILS", "2000"))
OWNERS = 100
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bench_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    bench_name = f"{name}_reminders_bench"
    return bench_name, urlunsplit(parts._replace(path=f"/{bench_name}"))


def _server_command(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def run() -> dict:
    """Runs the benchmark in a child process on a scratch database; returns the figures."""
    url = (
        os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_DATABASE_URL
    )
    if not url.startswith(("postgres://", "postgresql://")):
        return {"skipped": "needs BENCH_DATABASE_URL=postgres://... (PostgreSQL)"}
    bench_name, bench_url = _bench_url(url)
    _server_command(url, f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
    _server_command(url, f'CREATE DATABASE "{bench_name}"')
    redis_proc = None
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_QUIET_HOURS": "",
        "LOG_LEVEL": "WARNING",
    }
    try:
        redis_server = shutil.which("redis-server")
        if redis_server:
            port = _free_port()
            redis_proc = subprocess.Popen(
                [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
                + ["--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        else:
            env.pop("REDIS_URL", None)
        child = subprocess.run(
            [sys.executable, __file__, "--child"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if child.returncode != 0:
            raise RuntimeError(
                f"benchmark child failed:\n{child.stdout[-3000:]}{child.stderr[-3000:]}"
            )
        return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        if redis_proc is not None:
            os.killpg(redis_proc.pid, signal.SIGKILL)
            redis_proc.wait(timeout=10)
        _server_command(url, f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')


# --- In the child, on the scratch database -----------------------------------------------------

RAW = """
WITH advanced AS (
    UPDATE articles_followup f
    SET next_check_at = CASE
            WHEN f.every_days IS NULL THEN NULL
            ELSE d.due + make_interval(days => f.every_days)
        END,
        status = 'watching'
    FROM (
        SELECT id, next_check_at AS due FROM articles_followup
        WHERE status IN ('watching', 'snoozed') AND next_check_at <= %(now)s
          AND article_id IS NOT NULL
        FOR UPDATE SKIP LOCKED
    ) d
    WHERE f.id = d.id
    RETURNING f.id, d.due
)
INSERT INTO articles_reminderdelivery
    (followup_id, due_at, state, attempts, next_attempt_at, claimed_at, message_id,
     last_error, created_at)
SELECT id, due, 'pending', 0, %(lease)s, %(now)s,
       '<reminder.' || id || '.' || extract(epoch FROM due)::bigint || '@' || %(domain)s || '>',
       '', %(now)s
FROM advanced
ON CONFLICT DO NOTHING
RETURNING id
"""

SEED = f"""
INSERT INTO articles_followup
    (article_id, article_headline, what, owner_id, next_check_at, every_days, status, promise,
     created_at, updated_at)
SELECT %(article)s, 'Bench article', 'Development ' || i, (%(owners)s::bigint[])[1 + i %% {OWNERS}],
       CASE WHEN i <= %(due)s THEN %(now)s - (i %% 3600) * interval '1 second'
            ELSE %(now)s + interval '1 day' + i * interval '1 second' END,
       CASE i %% 3 WHEN 0 THEN NULL WHEN 1 THEN 1 ELSE 7 END,
       'watching', 'We will keep following this story.', %(now)s, %(now)s
FROM generate_series(1, %(total)s) AS i
"""

RESET = """
UPDATE articles_followup
SET status = 'watching',
    next_check_at = CASE WHEN id - %(first)s + 1 <= %(due)s
        THEN %(now)s - ((id - %(first)s + 1) %% 3600) * interval '1 second'
        ELSE %(now)s + interval '1 day' + (id - %(first)s + 1) * interval '1 second' END
WHERE id - %(first)s + 1 <= %(due)s OR next_check_at IS NULL OR next_check_at <= %(now)s
"""


def _child() -> dict:
    import django

    django.setup()
    import datetime

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from articles.models import Article, FollowUp, JournalistProfile, ReminderDelivery
    from articles.reminders.dispatch import PROFILE_FIELDS, reminders_dispatch

    User = get_user_model()
    now = timezone.now()
    owners = []
    for i in range(OWNERS):
        user = User.objects.create(username=f"bench-owner-{i}", email=f"owner{i}@example.org")
        JournalistProfile.objects.create(user=user, any_hour=True, time_zone="Europe/Paris")
        owners.append(user.pk)
    article = Article.objects.create(headline="Bench article", slug="bench-article")

    def vacuum() -> None:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE articles_followup")
            cursor.execute("VACUUM ANALYZE articles_reminderdelivery")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            SEED,
            {"article": article.pk, "owners": owners, "due": DUE, "now": now, "total": TOTAL},
        )
    seed_seconds = time.perf_counter() - started
    first = FollowUp.objects.order_by("id").values_list("id", flat=True).first()

    def reset() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE articles_reminderdelivery")
            cursor.execute(RESET, {"first": first, "due": DUE, "now": now})
        vacuum()

    lease = now + datetime.timedelta(seconds=settings.NEWSROOM_REMINDER_REQUEUE_SECONDS)
    ours_times, raw_times = [], []
    ours_result = raw_rows = None
    vacuum()
    for _round in range(ROUNDS):
        reset()
        claimed: list[int] = []
        started = time.perf_counter()
        ours_result = reminders_dispatch(now=now, enqueue=claimed.extend)
        ours_times.append(time.perf_counter() - started)
        assert ours_result["created"] == DUE and len(claimed) == DUE, ours_result

        reset()
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                RAW, {"now": now, "lease": lease, "domain": settings.NEWSROOM_EMAIL_DOMAIN}
            )
            raw_rows = len(cursor.fetchall())
        raw_times.append(time.perf_counter() - started)
        assert raw_rows == DUE, raw_rows

    # The plans, on a table holding 100,000 pending deliveries (made due again).
    ReminderDelivery.objects.update(next_attempt_at=now)
    vacuum()
    claim = (
        ReminderDelivery.objects.filter(state="pending", next_attempt_at__lte=now)
        .select_for_update(skip_locked=True)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.NEWSROOM_REMINDER_BATCH_SIZE]
    )
    due_query = (
        FollowUp.objects.due(now)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("next_check_at")
        .values_list("id", "next_check_at", "every_days", *PROFILE_FIELDS)[
            : settings.NEWSROOM_REMINDER_BATCH_SIZE
        ]
    )
    reset()
    with transaction.atomic():
        due_plan = due_query.explain()
    ReminderDelivery.objects.bulk_create(
        ReminderDelivery(
            followup_id=pk, due_at=now, next_attempt_at=now, message_id=f"<b{pk}>", created_at=now
        )
        for pk in FollowUp.objects.due(now).values_list("pk", flat=True)
    )
    vacuum()
    with transaction.atomic():
        claim_plan = claim.explain()

    ours, raw = min(ours_times), min(raw_times)
    result = {
        "followups": TOTAL,
        "due": DUE,
        "seed_seconds": round(seed_seconds, 2),
        "ours_seconds": round(ours, 3),
        "raw_seconds": round(raw, 3),
        "ratio": round(ours / raw, 2),
        "ours_rounds": [round(t, 3) for t in ours_times],
        "raw_rounds": [round(t, 3) for t in raw_times],
        "claim_plan": claim_plan,
        "claim_uses_index": "reminder_delivery_claimable" in claim_plan,
        "due_plan": due_plan,
        "due_uses_index": "followup_due" in due_plan,
    }
    result.update(_emails_per_second())
    return result


def _emails_per_second() -> dict:
    """EMAILS due reminders through a real worker (prefork, 2 processes) to a local sink."""
    import datetime
    import threading

    from aiosmtpd.controller import Controller
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article, FollowUp
    from articles.reminders.dispatch import reminders_dispatch
    from newsroom.celery import app

    if not os.environ.get("REDIS_URL"):
        return {"emails_per_second": None, "emails_skipped": "redis-server not found"}

    class Handler:
        def __init__(self) -> None:
            self.count = 0
            self.lock = threading.Lock()

        async def handle_DATA(self, server, session, envelope):
            with self.lock:
                self.count += 1
            return "250 OK"

    handler = Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE articles_reminderdelivery")
        cursor.execute("UPDATE articles_followup SET next_check_at = NULL, status = 'done'")
    article = Article.objects.get(slug="bench-article")
    owner_id = FollowUp.objects.values_list("owner_id", flat=True).first()
    due = timezone.now() - datetime.timedelta(minutes=1)
    FollowUp.objects.bulk_create(
        FollowUp(
            article=article,
            article_headline=article.headline,
            owner_id=owner_id,
            what=f"Email {i}",
            next_check_at=due,
            promise="We will keep following this story.",
        )
        for i in range(EMAILS)
    )
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--loglevel", "WARNING"]
        + ["--pool", "prefork", "--concurrency", "2", "--without-gossip", "--without-mingle"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1):
            if time.monotonic() > deadline:
                raise RuntimeError("the worker did not start")
        started = time.perf_counter()
        reminders_dispatch()  # enqueues one send task per delivery, after commit
        deadline = time.monotonic() + 600
        while handler.count < EMAILS:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {handler.count} of {EMAILS} emails arrived")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        controller.stop()
    return {
        "emails": EMAILS,
        "emails_seconds": round(elapsed, 2),
        "emails_per_second": round(EMAILS / elapsed, 1),
    }


def main() -> None:
    report(run())


def report(result: dict) -> None:
    if "skipped" in result:
        print(f"reminders: skipped ({result['skipped']})")
        return
    print(f"reminders: {result['followups']:,} follow-ups, {result['due']:,} due")
    print(f"  seed (one INSERT ... SELECT generate_series): {result['seed_seconds']} s")
    print(
        f"  create + claim all due deliveries: ours {result['ours_seconds']} s, "
        f"raw UPDATE ... RETURNING {result['raw_seconds']} s, ratio {result['ratio']}x "
        f"(target <= 2.5x; rounds ours {result['ours_rounds']}, raw {result['raw_rounds']})"
    )
    print(f"  claim query uses an index: {result['claim_uses_index']}")
    print("  EXPLAIN claim query:")
    for line in result["claim_plan"].splitlines():
        print(f"    {line}")
    print(f"  due follow-ups query uses an index: {result['due_uses_index']}")
    print("  EXPLAIN due follow-ups query:")
    for line in result["due_plan"].splitlines():
        print(f"    {line}")
    if result.get("emails_per_second"):
        print(
            f"  emails through the worker (prefork x2) to a local SMTP sink: "
            f"{result['emails']} in {result['emails_seconds']} s = "
            f"{result['emails_per_second']} emails/s"
        )
    else:
        print(f"  emails/s: skipped ({result.get('emails_skipped')})")


# The runner (bench/run.py) prints a section's figures with this after run().
summary = report


def table(result: dict) -> list[dict]:
    """The headline figures for the runner's final table."""
    rows = [
        {
            "figure": "create + claim 100k due: ours / raw",
            "value": f"{result['ratio']}x",
            "target": "<= 2.5x",
            "verdict": "ok" if result["ratio"] <= 2.5 else "ABOVE",
        },
        {"figure": "claim query uses an index", "value": str(result["claim_uses_index"])},
    ]
    if result.get("emails_per_second"):
        rows.append({"figure": "emails/s (prefork x2)", "value": result["emails_per_second"]})
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child()))
    else:
        main()
