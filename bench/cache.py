"""Benchmark of HTTP caching: 304s, Varnish hits, a replay's hit ratio, purge-to-fresh latency.

What it does:
1. Uses the seeded database of the `articles` section (seeds it when it is not there).
2. Serves the app with gunicorn (DJANGO_DEBUG=0), Varnish (varnishd with
   deploy/varnish/default.vcl) in front of it, a Celery worker that purges Varnish after each
   change (NEWSROOM_CACHE_PURGER=varnish, Redis broker), and the minimal view of
   bench/minimal_wsgi.py serving the recorded bytes of the same article.
3. With wrk, interleaved rounds, as ratios to the minimal view's 200 with the whole body:
   - a conditional GET that matches (If-None-Match: the ETag): the app's 304, target >= 0.90;
   - the same GET answered by Varnish from its cache (a hit).
4. Replays 10,000 reads through Varnish (newest articles weighted 1/rank, list pages, a list
   in one language) with a write every 100 reads (an article changes: version + 1, purged after
   commit): the hit ratio.
5. Purge-to-fresh latency: an article read through Varnish (cached), then changed; the time from
   the commit until Varnish serves the new bytes (polled), p50 and p99; target p99 <= 1 s.

Environment (all optional):
  BENCH_DATABASE_URL    postgres://postgres@127.0.0.1:5432/newsroom_bench (the articles one)
  BENCH_REDIS_URL       REDIS_URL, else redis://127.0.0.1:6379/0: the worker's broker
  BENCH_ARTICLES        2000
  BENCH_ROUNDS          6, BENCH_ROUND_SECONDS 3, BENCH_WORKERS 2, BENCH_CONNECTIONS 4
  BENCH_REPLAY_READS    10000
  BENCH_PURGE_SAMPLES   100
"""

import base64
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.articles_seed import prepare_database, seed
from bench.loadtest import Server, check_tools, free_port, wrk

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
TARGETS = {"not_modified": 0.90, "purge_p99_s": 1.0}
WRITE_EVERY = 100


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Varnish:
    def __init__(self, backend_port: int, work: Path):
        self.port = free_port()
        vcl = work / "default.vcl"
        vcl.write_text(
            VCL.read_text()
            .replace('.host = "web";', '.host = "127.0.0.1";')
            .replace('.port = "8000";', f'.port = "{backend_port}";')
        )
        self.log = open(work / "varnish.log", "wb")  # closed in stop()
        self.process = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-n", str(work / "varnish-work")]
            + ["-a", f"127.0.0.1:{self.port}", "-T", "127.0.0.1:0", "-f", str(vcl)]
            + ["-s", "malloc,256m"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: varnishd exited; see {self.log.name}")
            try:
                if get(self.base + path)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("bench: varnishd did not answer")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.log.close()


class Worker:
    def __init__(self, env: dict, work: Path):
        self.path = work / "worker.log"
        self.log = open(self.path, "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--pool=solo"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b" ready." in self.path.read_bytes():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        raise SystemExit(f"bench: the Celery worker is not ready; see {self.path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def compare(app_url: str, minimal_url: str, knobs: dict, script: Path | None) -> dict:
    seconds, rounds, connections = knobs["seconds"], knobs["rounds"], knobs["connections"]
    wrk(app_url, max(1, seconds // 2), connections, script)
    wrk(minimal_url, max(1, seconds // 2), connections, None)
    app_rps, minimal_rps = [], []
    for _ in range(rounds):
        app_rps.append(wrk(app_url, seconds, connections, script))
        minimal_rps.append(wrk(minimal_url, seconds, connections, None))
    ratios = [a / m for a, m in zip(app_rps, minimal_rps, strict=True)]
    return {
        "rps": round(statistics.median(app_rps), 1),
        "minimal_rps": round(statistics.median(minimal_rps), 1),
        "ratio": round(statistics.median(ratios), 3),
        "rounds_ratio": [round(r, 3) for r in ratios],
    }


def change(pk: int) -> float:
    """An article changes (version + 1, purge after commit); returns the commit's time."""
    from django.db import transaction

    from articles.models import Article
    from articles.services.articles import article_touch

    with transaction.atomic():
        article_touch(article=Article.objects.get(pk=pk))
    return time.monotonic()


def replay(edge: str, ids: list[int], reads: int) -> dict:
    rng = random.Random(14)
    weights = [1 / (rank + 1) for rank in range(len(ids))]
    lists = ["/api/v1/articles/", "/api/v1/articles/?language=fr", "/api/v1/articles/?language=en"]
    hits = writes = 0
    for n in range(reads):
        if n and n % WRITE_EVERY == 0:
            change(rng.choices(ids, weights)[0])
            writes += 1
        if rng.random() < 0.2:
            path = rng.choice(lists)
        else:
            path = f"/api/v1/articles/{rng.choices(ids, weights)[0]}/"
        status, headers, _ = get(edge + path)
        if status != 200:
            raise SystemExit(f"bench: {path} answered {status} through Varnish")
        hits += headers.get("X-Cache") == "HIT"
    return {"reads": reads, "writes": writes, "hit_ratio": round(hits / reads, 4)}


def purge_latency(edge: str, ids: list[int], samples: int) -> dict:
    latencies = []
    for n in range(samples):
        url = f"{edge}/api/v1/articles/{ids[n % len(ids)]}/"
        get(url)
        _, headers, _ = get(url)
        if headers.get("X-Cache") != "HIT":
            raise SystemExit(f"bench: {url} is not cached by Varnish")
        before = headers["ETag"]
        committed = change(ids[n % len(ids)])
        deadline = committed + 10
        while time.monotonic() < deadline:
            _, headers, _ = get(url)
            if headers["ETag"] != before:
                latencies.append(time.monotonic() - committed)
                break
            time.sleep(0.002)
        else:
            raise SystemExit(f"bench: {url} still stale 10 s after the change")
    return {
        "samples": samples,
        "p50_s": round(statistics.median(latencies), 4),
        "p99_s": round(percentile(latencies, 0.99), 4),
        "max_s": round(max(latencies), 4),
        "target_p99_s": TARGETS["purge_p99_s"],
    }


def run() -> dict:
    check_tools()
    if shutil.which("varnishd") is None:
        raise SystemExit("bench: varnishd is not installed (Debian: varnish varnish-modules)")
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    n_articles = env_int("BENCH_ARTICLES", 2000)
    workers = env_int("BENCH_WORKERS", 2)
    knobs = {
        "rounds": env_int("BENCH_ROUNDS", 6),
        "seconds": env_int("BENCH_ROUND_SECONDS", 3),
        "connections": env_int("BENCH_CONNECTIONS", 4),
    }
    redis_url = (
        os.environ.get("BENCH_REDIS_URL")
        or os.environ.get("REDIS_URL")
        or "redis://127.0.0.1:6379/0"
    )
    must_seed = prepare_database(url, reuse=True, expected_articles=n_articles)

    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-cache-"))
    app_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_", "NEWSROOM_"))
    }
    app_env |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "NEWSROOM_VAR_DIR": str(work / "var"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_THROTTLE_ANON": "100000000/minute",
        "DJANGO_THROTTLE_USER": "100000000/minute",
        # Changes enqueue purges (the app, this process); the worker sends them to Varnish.
        "NEWSROOM_CACHE_PURGER": "varnish",
    }
    os.environ.update(app_env)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if must_seed:
        seed(n_articles)
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    from articles.models import Article

    ids = list(
        Article.objects.live().order_by("-published_at", "-id").values_list("pk", flat=True)[:500]
    )
    connections.close_all()

    results: dict = {"articles": n_articles, "workers": workers, **knobs}
    app = minimal = varnish = worker = None
    try:
        app = Server("app", "newsroom.wsgi:application", app_env, workers, work)
        app.wait_ready("/healthz")
        varnish = Varnish(app.port, work)
        worker = Worker(app_env | {"NEWSROOM_VARNISH_URLS": varnish.base}, work)
        worker.wait_ready()
        path = f"/api/v1/articles/{ids[0]}/"
        varnish.wait_ready(path)
        body, content_type = app.fetch(path)
        _, headers, _ = get(app.base + path)
        etag = headers["ETag"]
        responses = work / "responses.json"
        responses.write_text(
            json.dumps(
                {path: {"content_type": content_type, "body_b64": base64.b64encode(body).decode()}}
            )
        )
        minimal_env = {k: v for k, v in app_env.items() if k != "DJANGO_SETTINGS_MODULE"}
        minimal_env["BENCH_RESPONSES"] = str(responses)
        minimal = Server("minimal", "bench.minimal_wsgi:application", minimal_env, workers, work)
        minimal.wait_ready(path)
        if get(app.base + path, {"If-None-Match": etag})[0] != 304:
            raise SystemExit("bench: the app does not answer 304 to its own ETag")

        script = work / "not_modified.lua"
        script.write_text(f'wrk.headers["If-None-Match"] = {json.dumps(etag)}\n')
        print(
            f"bench: wrk, {knobs['rounds']} interleaved rounds of {knobs['seconds']} s, "
            f"{knobs['connections']} connections, {workers} gunicorn workers per server"
        )
        results["not_modified"] = compare(app.base + path, minimal.base + path, knobs, script)
        results["not_modified"]["target"] = TARGETS["not_modified"]
        get(varnish.base + path)
        results["varnish_hit"] = compare(varnish.base + path, minimal.base + path, knobs, None)
        results["bytes"] = len(body)
        results["replay"] = replay(varnish.base, ids, env_int("BENCH_REPLAY_READS", 10_000))
        results["purge"] = purge_latency(varnish.base, ids, env_int("BENCH_PURGE_SAMPLES", 100))
    finally:
        for process in (worker, varnish, minimal, app):
            if process is not None:
                process.stop()
        shutil.rmtree(work, ignore_errors=True)
    report(results)
    return results


def report(results: dict) -> None:
    print("\nHTTP caching: the app's 304 and Varnish's hits vs a minimal view's 200 (same bytes)")
    print(
        f"({results['articles']} articles, gunicorn {results['workers']} workers, wrk "
        f"{results['connections']} connections, {results['rounds']} x {results['seconds']} s "
        f"rounds per side, detail of {results['bytes']} bytes)\n"
    )
    nm, hit = results["not_modified"], results["varnish_hit"]
    verdict = "ok" if nm["ratio"] >= nm["target"] else "BELOW"
    print(f"  {'':<14} {'req/s':>9} {'minimal req/s':>14} {'ratio':>7} {'target':>7}")
    print(
        f"  {'304 (app)':<14} {nm['rps']:>9.1f} {nm['minimal_rps']:>14.1f} {nm['ratio']:>7.3f} "
        f"{nm['target']:>7.2f} {verdict}"
    )
    print(
        f"  {'Varnish hit':<14} {hit['rps']:>9.1f} {hit['minimal_rps']:>14.1f} "
        f"{hit['ratio']:>7.3f} {'-':>7}"
    )
    replayed = results["replay"]
    print(
        f"\n  replay: {replayed['reads']} reads, {replayed['writes']} writes: hit ratio "
        f"{replayed['hit_ratio']:.3f}"
    )
    purge = results["purge"]
    verdict = "ok" if purge["p99_s"] <= purge["target_p99_s"] else "ABOVE"
    print(
        f"  purge to fresh ({purge['samples']} changes): p50 {purge['p50_s'] * 1000:.0f} ms, "
        f"p99 {purge['p99_s'] * 1000:.0f} ms (target <= {purge['target_p99_s']:.0f} s) {verdict}"
        f", max {purge['max_s'] * 1000:.0f} ms"
    )
    print(f"  304 ratio per round: {nm['rounds_ratio']}")
    print(f"  Varnish hit ratio per round: {hit['rounds_ratio']}")
