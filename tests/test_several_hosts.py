"""Several machines, no shared disk: gunicorn, two Celery workers and one beat, each started in
its own empty working directory with its own NEWSROOM_VAR_DIR, sharing only PostgreSQL, the
broker (a private redis-server) and the object store (moto's S3 server on 127.0.0.1).

An upload through the web server gets its renditions from a worker; 200 due reminders go out
exactly once across the two workers, and killing one of them part-way loses nothing. The
figures are printed (run with -s).
"""

import json
import re
import sys
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from knox.models import AuthToken

from articles.models import ReminderDelivery
from media_credits.models import Rendition
from tests.articles.test_reminders_integration import WAIT, N, Process, RedisServer, due_followups
from tests.factories import UserFactory
from tests.media_credits import files
from tests.s3_server import BUCKET
from tests.smtp_sink import free_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
State = ReminderDelivery.State


class Host(Process):
    """A process on a "machine" of its own: an empty working directory and var dir."""

    def __init__(self, name: str, cmd: list[str], env: dict, root: Path) -> None:
        self.home = root / name
        (self.home / "var").mkdir(parents=True)
        super().__init__(name, cmd, env | {"NEWSROOM_VAR_DIR": str(self.home / "var")}, root)

    def start(self) -> "Host":
        handle = open(self.log, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        import subprocess

        self.popen = subprocess.Popen(
            self.cmd,
            cwd=self.home,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        handle.close()
        return self

    def succeeded(self, task: str) -> int:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", text))


def multipart(data: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def test_web_two_workers_and_beat_on_separate_hosts_share_only_db_broker_and_store(
    s3_media, smtp_sink, tmp_path
):
    broker = RedisServer(tmp_path)
    broker.start()
    db = connection.settings_dict
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": broker.url,
        "NEWSROOM_S3_ENDPOINT_URL": s3_media.endpoint_url,
        "NEWSROOM_S3_BUCKET": BUCKET,
        "NEWSROOM_S3_ACCESS_KEY_ID": "testing",
        "NEWSROOM_S3_SECRET_ACCESS_KEY": "testing",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "EMAIL_TIMEOUT": "10",
        "NEWSROOM_QUIET_HOURS": "",
        "NEWSROOM_REMINDER_DISPATCH_SECONDS": "1",
        "NEWSROOM_REMINDER_REQUEUE_SECONDS": "4",
        "NEWSROOM_REMINDER_STALE_SECONDS": "10",
        "NEWSROOM_REMINDER_BACKOFF_SECONDS": "0.5",
        "NEWSROOM_REMINDER_BACKOFF_MAX_SECONDS": "2",
        "LOG_LEVEL": "WARNING",
    }
    smtp_sink.handler.delay = 0.05  # widen the accept -> commit window a little
    staff = UserFactory(username="photo-desk", is_staff=True)
    _, token = AuthToken.objects.create(staff)
    expected = due_followups()
    port = free_port()
    bin_dir = Path(sys.executable).parent
    celery = [sys.executable, "-m", "celery", "-A", "newsroom"]
    worker_args = ["worker", "--loglevel", "INFO", "--pool", "prefork", "--concurrency", "2"]
    worker_args += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    hosts = {
        "web": Host(
            "web",
            [str(bin_dir / "gunicorn"), "newsroom.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2"],
            env,
            tmp_path,
        ),
        "worker-a": Host(
            "worker-a", [*celery, *worker_args, "--hostname", "a@host-a"], env, tmp_path
        ),
        "worker-b": Host(
            "worker-b", [*celery, *worker_args, "--hostname", "b@host-b"], env, tmp_path
        ),
        "beat": Host("beat", [*celery, "beat", "--loglevel", "WARNING"], env, tmp_path),
    }
    try:
        for host in hosts.values():
            host.start()
        base = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
                    return json.load(response)["checks"]["object_store"] == "ok"
            except OSError:
                return False

        wait_until(ready, timeout=60, what="gunicorn's /readyz")
        body, boundary = multipart(files.jpeg((1800, 1200)), {"alt_text": "A harbour"})
        request = urllib.request.Request(
            f"{base}/api/v1/images/",
            data=body,
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
            image_id = json.load(response)["id"]

        wait_until(
            lambda: len(smtp_sink.handler.accepted_ids()) >= 40, timeout=WAIT, what="40 emails"
        )
        hosts["worker-a"].kill()
        time.sleep(1.0)
        accepted_at_kill = set(smtp_sink.handler.accepted_ids())
        sending_at_kill = set(
            ReminderDelivery.objects.filter(state=State.SENDING).values_list(
                "message_id", flat=True
            )
        )
        window = accepted_at_kill & sending_at_kill
        assert len(accepted_at_kill) < N, "the kill must land part-way"
        wait_until(
            lambda: Rendition.objects.filter(image_id=image_id).count() == 8,
            timeout=WAIT,
            what="8 renditions made by a worker",
        )
        wait_until(
            lambda: ReminderDelivery.objects.filter(state=State.SENT).count() == N,
            timeout=WAIT,
            what=f"{N} reminders sent",
        )
        time.sleep(3.0)  # a stray duplicate gets a few dispatch cycles to show up

        counts = smtp_sink.handler.counts()
        duplicates = {mid: n for mid, n in counts.items() if n > 1}
        renditions_by = {
            name: hosts[name].succeeded("media_credits.tasks.image_renditions_make")
            for name in ("worker-a", "worker-b")
        }
        sends_by = {
            name: hosts[name].succeeded("articles.tasks.reminder_send")
            for name in ("worker-a", "worker-b")
        }
        print(  # noqa: T201 (the figures are the point of this test; shown with -s)
            f"\nseveral hosts: {len(counts)} distinct reminders received, "
            f"{sum(counts.values())} emails, {len(duplicates)} duplicated "
            f"({len(window)} in the accepted-not-committed window at the kill); "
            f"{len(accepted_at_kill)} accepted before worker-a was killed; "
            f"reminder_send task runs per worker {sends_by}; renditions made by {renditions_by}; "
            f"{len(s3_media.keys(prefix='renditions/'))} renditions in the store"
        )
        assert sorted(counts) == expected  # none lost
        assert set(duplicates) <= window
        assert sum(counts.values()) == N + len(duplicates)
        assert sum(renditions_by.values()) >= 1
        assert len(s3_media.keys(prefix="renditions/")) == 8
        assert len(s3_media.keys(prefix="originals/")) == 1
        # No host wrote media to its own disk.
        for host in hosts.values():
            local = [p for p in (host.home / "var").rglob("*") if p.is_file()]
            assert not [p for p in local if "media" in p.parts or "originals" in p.parts]
        assert Counter(ReminderDelivery.objects.values_list("state", flat=True)) == {State.SENT: N}
    except AssertionError as exc:
        logs = "\n".join(f"--- {h.name}\n{h.tail()}" for h in hosts.values())
        raise AssertionError(f"{exc}\n{logs}") from None
    finally:
        for host in hosts.values():
            host.kill()
        broker.process.kill()
