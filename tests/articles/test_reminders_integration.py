"""Reminders on the real thing: Celery worker and beat processes, Redis, an SMTP server.

Each test starts its own redis-server on a spare loopback port (so it can kill and restart it
without touching the machine's Redis), an aiosmtpd server on 127.0.0.1, and worker / beat
processes that use the test database. Every process is killed (whole process group) at teardown,
before the test database is flushed, and every wait is bounded.
"""

import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from articles.models import FollowUp, ReminderDelivery
from tests.factories import JournalistProfileFactory, PublishedArticleFactory, UserFactory
from tests.smtp_sink import free_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
State = ReminderDelivery.State
N = 200
WAIT = 150  # seconds: generous for a loaded 2-core CI machine


class Process:
    def __init__(self, name: str, cmd: list[str], env: dict, log_dir: Path) -> None:
        self.name = name
        self.cmd = cmd
        self.env = env
        self.log = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        handle = open(self.log, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        self.popen = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: killpg reaches pool children too
        )
        handle.close()
        return self

    def kill(self) -> None:
        if self.popen is None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.popen = None

    def tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class RedisServer:
    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = Process(
            f"redis-{self.port}",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            dict(os.environ),
            log_dir,
        )

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5)

    def start(self) -> None:
        self.process.start()
        wait_until(self._pings, timeout=20, what=f"redis-server on port {self.port}")

    def _pings(self) -> bool:
        try:
            return self.client().ping()
        except redis.ConnectionError:
            return False

    def kill_and_restart_empty(self) -> None:
        """SIGKILL, then a new server on the same port: nothing was saved, the data is gone."""
        self.process.kill()
        self.start()


RABBITMQ_URL = os.environ.get("NEWSROOM_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
# The fault tests that also run on RabbitMQ (Celery's recommended broker); the others stay on
# Redis alone, to keep CI time in check.
BOTH_BROKERS = pytest.mark.parametrize("stack", ["redis", "rabbitmq"], indirect=True)


def rabbitmq_queue() -> str:
    """A queue of our own on the machine's RabbitMQ (other test runs share its vhost)."""
    from kombu import Connection

    try:
        with Connection(RABBITMQ_URL, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
            raise AssertionError(f"RabbitMQ is unreachable at {RABBITMQ_URL}: {exc}") from exc
        pytest.skip(f"RabbitMQ is not running at {RABBITMQ_URL} (CI starts it)")
    return f"newsroom-test-{os.getpid()}-{free_port()}"


def rabbitmq_queue_delete(name: str) -> None:
    from kombu import Connection

    with Connection(RABBITMQ_URL, connect_timeout=3) as conn:
        conn.default_channel.queue_delete(name)


@pytest.fixture
def stack(request, transactional_db, tmp_path, smtp_sink):
    """Builds worker/beat processes on a private Redis (or a private queue on RabbitMQ);
    kills all of them at teardown."""
    broker = getattr(request, "param", "redis")
    started: list[Process] = []
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    started.append(redis_server.process)
    queue = rabbitmq_queue() if broker == "rabbitmq" else ""
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis_server.url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "EMAIL_TIMEOUT": "10",
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        "NEWSROOM_QUIET_HOURS": "",
        "NEWSROOM_REMINDER_DISPATCH_SECONDS": "1",
        "NEWSROOM_REMINDER_REQUEUE_SECONDS": "4",
        "NEWSROOM_REMINDER_STALE_SECONDS": "60",
        "NEWSROOM_REMINDER_BACKOFF_SECONDS": "0.5",
        "NEWSROOM_REMINDER_BACKOFF_MAX_SECONDS": "2",
        "LOG_LEVEL": "WARNING",
    }
    if queue:
        env |= {"CELERY_BROKER_URL": RABBITMQ_URL, "NEWSROOM_CELERY_QUEUE": queue}

    class Stack:
        sink = smtp_sink
        redis = redis_server
        environment = env

        def worker(self, name: str = "worker", **extra_env) -> Process:
            cmd = [sys.executable, "-m", "celery", "-A", "newsroom", "worker"]
            cmd += ["--loglevel", "WARNING", "--pool", "prefork", "--concurrency", "2"]
            cmd += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
            cmd += ["--hostname", f"{name}@127.0.0.1"]
            process = Process(name, cmd, env | extra_env, tmp_path).start()
            started.append(process)
            return process

        def beat(self, name: str = "beat", **extra_env) -> Process:
            cmd = [sys.executable, "-m", "celery", "-A", "newsroom", "beat"]
            cmd += ["--loglevel", "WARNING", "--schedule", str(tmp_path / f"{name}-schedule")]
            cmd += ["--pidfile", str(tmp_path / f"{name}.pid")]
            process = Process(name, cmd, env | extra_env, tmp_path).start()
            started.append(process)
            return process

        def logs(self) -> str:
            return "\n".join(f"--- {p.name}\n{p.tail()}" for p in started)

    yield Stack()
    for process in reversed(started):
        process.kill()
    if queue:
        rabbitmq_queue_delete(queue)


def due_followups(count: int = N) -> list[str]:
    """`count` follow-ups due a minute ago; returns the Message-IDs their reminders will carry."""
    owner = JournalistProfileFactory(any_hour=True, user=UserFactory(email="owner@example.org"))
    article = PublishedArticleFactory()
    due = timezone.now() - datetime.timedelta(minutes=1)
    followups = FollowUp.objects.bulk_create(
        FollowUp(
            article=article,
            article_headline=article.headline,
            owner=owner.user,
            what=f"Development {i}",
            next_check_at=due,
            promise="We will keep following this story.",
        )
        for i in range(count)
    )
    return sorted(f"<reminder.{f.pk}.{int(due.timestamp())}@newsroom.localhost>" for f in followups)


def sent_count() -> int:
    return ReminderDelivery.objects.filter(state=State.SENT).count()


def wait_all_sent(stack, expected: int = N, settle: float = 3.0) -> None:
    try:
        wait_until(lambda: sent_count() == expected, timeout=WAIT, what=f"{expected} sent")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{stack.logs()}") from None
    # Give any stray duplicate a few dispatch cycles to show up before counting.
    time.sleep(settle)


@BOTH_BROKERS
def test_200_due_followups_send_exactly_200_emails(stack):
    expected = due_followups()
    stack.worker()
    stack.beat()
    wait_all_sent(stack)
    counts = stack.sink.handler.counts()
    assert sorted(counts) == expected
    assert sum(counts.values()) == N
    assert set(ReminderDelivery.objects.values_list("state", flat=True)) == {State.SENT}
    assert sorted(ReminderDelivery.objects.values_list("message_id", flat=True)) == expected


@BOTH_BROKERS
def test_a_worker_killed_mid_send_and_restarted_loses_nothing(stack):
    """SIGKILL part-way: every reminder still arrives; duplicates only from the unsafe window.

    The unsafe window is "the SMTP server accepted the message, the worker had not yet committed
    `sent`". Right after the kill (once the server has finished with the dead connections) we
    take the deliveries still in `sending` and keep those whose Message-ID the server had already
    accepted: those, and only those, may be sent twice when the stale sweep reclaims them.
    """
    stack.sink.handler.delay = 0.05  # widen the accept -> commit window a little
    expected = due_followups()
    worker = stack.worker(NEWSROOM_REMINDER_STALE_SECONDS="10")
    stack.beat(NEWSROOM_REMINDER_STALE_SECONDS="10")
    wait_until(lambda: len(stack.sink.handler.accepted_ids()) >= 40, timeout=WAIT, what="40 emails")
    worker.kill()
    time.sleep(1.0)  # the server finishes what it had received from the dead connections
    accepted_at_kill = set(stack.sink.handler.accepted_ids())
    sending_at_kill = set(
        ReminderDelivery.objects.filter(state=State.SENDING).values_list("message_id", flat=True)
    )
    window = accepted_at_kill & sending_at_kill
    assert len(accepted_at_kill) < N, "the kill must land part-way"

    stack.worker("worker2", NEWSROOM_REMINDER_STALE_SECONDS="10")
    wait_all_sent(stack)

    counts = stack.sink.handler.counts()
    duplicates = {mid: n for mid, n in counts.items() if n > 1}
    print(  # noqa: T201 (the counts are the point of this test; shown with -s)
        f"\nSIGKILL test: {len(accepted_at_kill)} accepted before the kill, "
        f"{len(sending_at_kill)} in 'sending', {len(window)} in the accepted-not-committed "
        f"window, {len(duplicates)} duplicated"
    )
    assert sorted(counts) == expected  # 0 lost
    assert set(duplicates) <= window
    assert all(n == 2 for n in duplicates.values())
    assert sum(counts.values()) == N + len(duplicates)
    assert set(ReminderDelivery.objects.values_list("state", flat=True)) == {State.SENT}


def test_an_smtp_server_answering_451_first_gets_every_reminder_once_later(stack):
    stack.sink.handler.fail_first = 1  # the first attempt of every message gets 451
    expected = due_followups()
    stack.worker()
    stack.beat()
    wait_all_sent(stack)
    assert sorted(stack.sink.handler.counts()) == expected
    assert set(stack.sink.handler.counts().values()) == {1}
    assert set(stack.sink.handler.attempts.values()) == {2}
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {2}


def test_two_beat_processes_at_once_send_no_duplicates(stack):
    expected = due_followups()
    stack.beat("beat1")
    stack.beat("beat2")
    stack.worker()
    wait_all_sent(stack)
    counts = stack.sink.handler.counts()
    assert sorted(counts) == expected
    assert set(counts.values()) == {1}


def test_reminders_survive_a_redis_restart_that_loses_every_message(stack, settings):
    from articles.reminders.dispatch import reminders_dispatch
    from articles.tasks import reminder_send
    from newsroom.celery import app

    settings.NEWSROOM_REMINDER_REQUEUE_SECONDS = 4  # as the worker and beat are configured
    expected = due_followups()
    beat = stack.beat()
    # Dispatch here, publishing the send tasks to the private Redis; no worker runs yet.
    claimed: list[int] = []
    reminders_dispatch(enqueue=claimed.extend)
    with app.connection_for_write(stack.redis.url) as conn:
        for pk in claimed:
            reminder_send.apply_async((pk,), connection=conn)
    assert len(claimed) == N
    assert stack.redis.client().llen("celery") >= N

    stack.redis.kill_and_restart_empty()
    assert stack.redis.client().llen("celery") == 0

    stack.worker()
    wait_all_sent(stack)
    counts = stack.sink.handler.counts()
    assert sorted(counts) == expected
    assert set(counts.values()) == {1}
    assert beat.popen.poll() is None, "beat survived the Redis restart"
