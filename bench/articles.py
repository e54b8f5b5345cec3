"""Benchmark of the public article API against a minimal Django view serving the same bytes.

What it does, in one run of a few minutes:
1. (Re)creates its own PostgreSQL database, migrates it and seeds 2,000 published articles with
   full metadata (bylines, tags, mentions, claims, quotes, key figures, key dates, sources,
   corrections, translations) with bulk_create.
2. Counts the SQL queries of one list and one detail request, and times them, in-process
   through the project's WSGI application (django.test.utils.CaptureQueriesContext), and with
   BENCH_PROFILE=1 profiles both views in-process with cProfile (through Django's test client,
   so the whole stack, not the fast reads) and prints where the time goes.
3. Serves the app with gunicorn (2 workers, DJANGO_DEBUG=0), records the exact bytes of every
   benchmarked response, and serves those bytes from bench/minimal_wsgi.py under gunicorn with the
   same worker count.
4. Load-tests both with wrk, interleaved (app, minimal, app, minimal, ...), and prints requests/s
   of the list (20 per page) and of the detail (several different articles, cycled by a wrk Lua
   script) as ratios to the minimal view, at 4 and at 16 wrk connections. Targets: list >= 0.35,
   detail >= 0.45, at each. /healthz is measured the same way: the app's whole middleware stack
   around a view with no I/O (the anonymous reads measured here are answered before it, by
   newsroom/fast_reads.py, so they are not bound by it).

Environment (all optional):
  BENCH_DATABASE_URL    postgres://postgres@127.0.0.1:5432/newsroom_bench (dropped and recreated)
  BENCH_REUSE_DB=1      keep the database when it already holds the seeded articles
  BENCH_ARTICLES        2000
  BENCH_ROUNDS          6 rounds per side and endpoint
  BENCH_ROUND_SECONDS   3 seconds per round (plus a short warm-up round per side)
  BENCH_WORKERS         2 gunicorn workers per server
  BENCH_CONNECTIONS     4,16: wrk connections, one load test per value (wrk runs one thread)
  BENCH_PROFILE=1       cProfile the in-process list and detail views
"""

import base64
import json
import os
import secrets
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.articles_seed import prepare_database, seed
from bench.loadtest import LUA, Server, check_tools, wrk
from bench.profiling import profile

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
TARGETS = {"list": 0.35, "detail": 0.45}
LIST_PATH = "/api/v1/articles/"
DETAIL_SAMPLES = 6
FLOOR_PATH = "/healthz"


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def detail_paths() -> list[str]:
    """A handful of different articles, by id and by slug with ?language=, spread over the set."""
    from articles.models import Article

    ids = list(Article.objects.live().order_by("-published_at", "-id").values_list("pk", flat=True))
    picks = [ids[int(k * (len(ids) - 1) / (DETAIL_SAMPLES - 1))] for k in range(DETAIL_SAMPLES)]
    paths = []
    for n, article in enumerate(Article.objects.filter(pk__in=picks).order_by("pk")):
        if n % 2 == 0:
            paths.append(f"/api/v1/articles/{article.pk}/")
        else:
            paths.append(f"/api/v1/articles/{article.slug}/?language={article.language}")
    return paths


def wsgi_get(path: str) -> tuple[int, bytes]:
    """One GET through the project's WSGI application (newsroom.wsgi: every layer a server
    reaches, the fast reads included), in this process: (status, body)."""
    import io

    from newsroom.wsgi import application

    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status[:3])

    chunks = application(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return answer["status"], body


def count_queries(path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wsgi_get(path)  # warm caches (URL resolver, prepared statements) like a running worker
    with CaptureQueriesContext(connection) as captured:
        status, body = wsgi_get(path)
    if status != 200:
        raise SystemExit(f"bench: {path} answered {status} in-process")
    return len(captured), len(body)


def mean_ms(paths: list[str], n: int) -> float:
    for path in paths:
        wsgi_get(path)
    started = time.perf_counter()
    for k in range(n):
        wsgi_get(paths[k % len(paths)])
    return (time.perf_counter() - started) * 1000 / n


def load(
    name: str, app: Server, minimal: Server, path: str, script: Path | None, knobs: dict
) -> dict:
    seconds, rounds, connections = knobs["seconds"], knobs["rounds"], knobs["connections"]
    for server in (app, minimal):  # warm-up round, not counted
        wrk(server.base + path, max(1, seconds // 2), connections, script)
    app_rps, minimal_rps = [], []
    for _ in range(rounds):
        app_rps.append(wrk(app.base + path, seconds, connections, script))
        minimal_rps.append(wrk(minimal.base + path, seconds, connections, script))
    # Each app round is compared with the minimal round right after it, so that a change in
    # the machine's load (other processes) hits both sides of a ratio alike; the median of
    # those ratios resists an unlucky round.
    ratios = [a / m for a, m in zip(app_rps, minimal_rps, strict=True)]
    ratio = statistics.median(ratios)
    return {
        "app_rps": round(statistics.median(app_rps), 1),
        "minimal_rps": round(statistics.median(minimal_rps), 1),
        "ratio": round(ratio, 3),
        "target": TARGETS.get(name),
        "rounds_app_rps": [round(v, 1) for v in app_rps],
        "rounds_minimal_rps": [round(v, 1) for v in minimal_rps],
        "rounds_ratio": [round(r, 3) for r in ratios],
    }


def run() -> dict:
    check_tools()
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    n_articles = env_int("BENCH_ARTICLES", 2000)
    workers = env_int("BENCH_WORKERS", 2)
    knobs = {
        "rounds": env_int("BENCH_ROUNDS", 6),
        "seconds": env_int("BENCH_ROUND_SECONDS", 3),
    }
    connection_counts = [
        int(c) for c in (os.environ.get("BENCH_CONNECTIONS") or "4,16").split(",") if c.strip()
    ]
    must_seed = prepare_database(
        url, reuse=os.environ.get("BENCH_REUSE_DB") == "1", expected_articles=n_articles
    )

    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    app_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_"))
    }
    app_env |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "NEWSROOM_VAR_DIR": str(work / "var"),
        "LOG_LEVEL": "WARNING",
        # Throttling stays on (its cost is measured) with a rate wrk cannot reach from one
        # address; the default (3000/minute per address) would answer 429 to the load test.
        "DJANGO_THROTTLE_ANON": "100000000/minute",
        "DJANGO_THROTTLE_USER": "100000000/minute",
    }
    for passed in ("DJANGO_CONN_HEALTH_CHECKS",):  # settings a run may compare
        if passed in os.environ:
            app_env[passed] = os.environ[passed]
    os.environ.update(app_env)
    for key in ("REDIS_URL", "EMAIL_HOST"):
        os.environ.pop(key, None)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if must_seed:
        seed(n_articles)
    # Fresh statistics, as autovacuum would have by the time a real site serves traffic: without
    # them the planner sorts every published row for a list page instead of walking the index.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    details = detail_paths()

    results: dict = {
        "articles": n_articles,
        "workers": workers,
        **knobs,
        "connections": connection_counts,
    }
    queries = {"list": count_queries(LIST_PATH), "detail": count_queries(details[0])}
    queries["list_100"] = count_queries(LIST_PATH + "?page_size=100")
    results["in_process_ms"] = {
        "list": round(mean_ms([LIST_PATH], 100), 2),
        "detail": round(mean_ms(details, 100), 2),
        # The floor: the whole middleware stack around a view that does no I/O.
        "healthz": round(mean_ms([FLOOR_PATH], 300), 2),
    }
    if os.environ.get("BENCH_PROFILE") == "1":
        results["profile"] = {
            "list": profile([LIST_PATH], 300, "list"),
            "detail": profile(details, 300, "detail"),
        }

    from django.db import connections

    connections.close_all()

    app = minimal = None
    try:
        app = Server("app", "newsroom.wsgi:application", app_env, workers, work)
        app.wait_ready("/healthz")
        recorded = {}
        for path in [LIST_PATH, *details, FLOOR_PATH]:
            body, content_type = app.fetch(path)
            recorded[path] = {
                "content_type": content_type,
                "body_b64": base64.b64encode(body).decode(),
            }
        responses = work / "responses.json"
        responses.write_text(json.dumps(recorded))
        minimal_env = {k: v for k, v in app_env.items() if k != "DJANGO_SETTINGS_MODULE"}
        minimal_env["BENCH_RESPONSES"] = str(responses)
        minimal = Server("minimal", "bench.minimal_wsgi:application", minimal_env, workers, work)
        minimal.wait_ready(LIST_PATH)
        for path, item in recorded.items():
            body, content_type = minimal.fetch(path)
            if body != base64.b64decode(item["body_b64"]) or content_type != item["content_type"]:
                raise SystemExit(f"bench: the minimal view does not return the bytes of {path}")

        script = work / "detail.lua"
        script.write_text(LUA % ", ".join(json.dumps(p) for p in details))
        results["by_connections"] = {}
        for connections in connection_counts:
            print(
                f"bench: load-testing with wrk, {knobs['rounds']} interleaved rounds of "
                f"{knobs['seconds']} s per side, {connections} connections, "
                f"{workers} gunicorn workers per server",
                flush=True,
            )
            these = knobs | {"connections": connections}
            results["by_connections"][str(connections)] = {
                "list": load("list", app, minimal, LIST_PATH, None, these),
                "detail": load("detail", app, minimal, "/", script, these),
                # The ceiling for any design of these views: the app's whole middleware
                # stack, no I/O.
                "healthz": load("healthz", app, minimal, FLOOR_PATH, None, these),
            }
        results["bytes"] = {
            "healthz": len(base64.b64decode(recorded[FLOOR_PATH]["body_b64"])),
            "list": len(base64.b64decode(recorded[LIST_PATH]["body_b64"])),
            "detail": round(
                statistics.mean(len(base64.b64decode(recorded[p]["body_b64"])) for p in details)
            ),
        }
    finally:
        for server in (minimal, app):
            if server is not None:
                server.stop()
        shutil.rmtree(work, ignore_errors=True)

    results["queries"] = {
        "list": queries["list"][0],
        "list_page_size_100": queries["list_100"][0],
        "detail": queries["detail"][0],
        "healthz": 0,
    }
    results["detail_paths"] = details
    report(results)
    return results


def report(results: dict) -> None:
    print("\narticles API vs a minimal Django view serving the same bytes")
    print(
        f"({results['articles']} published articles, gunicorn {results['workers']} workers, "
        f"DEBUG off; req/s: medians of {results['rounds']} x {results['seconds']} s rounds per "
        "side; ratio: median of the ratios of adjacent rounds)\n"
    )
    header = (
        f"  {'conns':>5} {'endpoint':<8} {'app req/s':>10} {'minimal req/s':>14} {'ratio':>7} "
        f"{'target':>7} {'':<5} {'queries':>7} {'bytes':>7} {'in-process':>11}"
    )
    print(header)
    for connections, measured in results["by_connections"].items():
        for name in ("list", "detail", "healthz"):
            row = measured[name]
            if row["target"] is None:
                target, verdict = "-", ""
            else:
                target = f"{row['target']:.2f}"
                verdict = "ok" if row["ratio"] >= row["target"] else "BELOW"
            print(
                f"  {connections:>5} {name:<8} {row['app_rps']:>10.1f} {row['minimal_rps']:>14.1f} "
                f"{row['ratio']:>7.3f} {target:>7} {verdict:<5} {results['queries'][name]:>7} "
                f"{results['bytes'][name]:>7} {results['in_process_ms'][name]:>8.2f} ms"
            )
    print(
        "\n  healthz: the app's whole middleware stack around a view without I/O (the list and "
        "detail are answered before Django's handler, newsroom/fast_reads.py)"
    )
    print(
        f"  list page of 20: {results['queries']['list']} queries; page of 100: "
        f"{results['queries']['list_page_size_100']} queries"
    )
    for connections, measured in results["by_connections"].items():
        for name in ("list", "detail", "healthz"):
            print(
                f"  {connections} conns, {name} ratio per round: {measured[name]['rounds_ratio']}"
            )
    print(f"  detail URLs: {', '.join(results['detail_paths'])}")


def table(results: dict) -> list[dict]:
    """The headline figures for the runner's final table: each ratio at each connection count."""
    rows = []
    for connections, measured in results["by_connections"].items():
        for name in ("list", "detail"):
            row = measured[name]
            rows.append(
                {
                    "figure": f"{name} / minimal view, {connections} connections",
                    "value": f"{row['ratio']:.3f}",
                    "target": f">= {row['target']:.2f}",
                    "verdict": "ok" if row["ratio"] >= row["target"] else "BELOW",
                }
            )
    return rows
