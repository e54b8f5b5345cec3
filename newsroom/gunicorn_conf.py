"""gunicorn settings: `gunicorn -c python:newsroom.gunicorn_conf newsroom.wsgi:application`.

Metrics across workers: prometheus_client's multiprocess mode. Each worker writes its counters
and histograms to files in PROMETHEUS_MULTIPROC_DIR and /metrics adds up every worker's files,
so a scrape reports the whole server whichever worker answers it. The folder must exist and be
empty before the workers start (gunicorn's master makes it fresh here, before it forks), and
the variable must be set before prometheus_client is first imported, which the workers do when
they load the app after the fork.
https://prometheus.github.io/client_python/multiprocess/
https://docs.gunicorn.org/en/stable/settings.html#server-hooks
"""

import os
import shutil
import tempfile
from pathlib import Path

# Loopback unless told otherwise: the Dockerfile and compose pass --bind 0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gunicorn reads WEB_CONCURRENCY itself when --workers is not given.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")


def _metrics_dir() -> Path:
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    path = Path(given) if given else Path(tempfile.mkdtemp(prefix="newsroom-metrics-"))
    if path.exists():
        # Files left by a previous run would add its counts to this one's.
        for entry in path.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    path.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


_metrics_dir()


def child_exit(server, worker) -> None:
    """A dead worker's live gauges stop counting; its counters stay in the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
