"""Benchmark of the public article API against a minimal Django view serving the same bytes.

What it does, in one run of a few minutes:
1. (Re)creates its own PostgreSQL database, migrates it and seeds 2,000 published articles with
   full metadata (bylines, tags, mentions, claims, quotes, key figures, key dates, sources,
   corrections, translations) with bulk_create.
2. Counts the SQL queries of one list and one detail request in-process
   (django.test.utils.CaptureQueriesContext), and with BENCH_PROFILE=1 profiles both views
   in-process with cProfile and prints where the time goes.
3. Serves the app with gunicorn (2 workers, DJANGO_DEBUG=0), records the exact bytes of every
   benchmarked response, and serves those bytes from bench/minimal_wsgi.py under gunicorn with the
   same worker count.
4. Load-tests both with wrk, interleaved (app, minimal, app, minimal, ...), and prints requests/s
   of the list (20 per page) and of the detail (several different articles, cycled by a wrk Lua
   script) as ratios to the minimal view. Targets: list >= 0.20, detail >= 0.40.

Environment (all optional):
  BENCH_DATABASE_URL    postgres://postgres@127.0.0.1:5432/newsroom_bench (dropped and recreated)
  BENCH_REUSE_DB=1      keep the database when it already holds the seeded articles
  BENCH_ARTICLES        2000
  BENCH_ROUNDS          4 rounds per side and endpoint
  BENCH_ROUND_SECONDS   5 seconds per round (plus one warm-up round per side)
  BENCH_WORKERS         2 gunicorn workers per server
  BENCH_CONNECTIONS     4 wrk connections (wrk runs one thread)
  BENCH_PROFILE=1       cProfile the in-process list and detail views
"""

import base64
import cProfile
import datetime
import json
import os
import pstats
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
TARGETS = {"list": 0.20, "detail": 0.40}
LIST_PATH = "/api/v1/articles/"
DETAIL_SAMPLES = 6


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# --- Database --------------------------------------------------------------------------------


def prepare_database(url: str, reuse: bool, expected_articles: int) -> bool:
    """Create the benchmark database; return True when it must be seeded."""
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    if params["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"bench: BENCH_DATABASE_URL must point at PostgreSQL, not {url!r}")
    name = params["NAME"]
    connect = {
        "dbname": "postgres",
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in connect.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            try:
                with psycopg.connect(
                    **{k: v for k, v in (connect | {"dbname": name}).items() if v is not None}
                ) as bench_conn:
                    count = bench_conn.execute(
                        "SELECT count(*) FROM articles_article WHERE status = 'published'"
                    ).fetchone()[0]
            except psycopg.Error:
                count = -1
            if count == expected_articles:
                print(f"bench: reusing database {name} ({count} published articles)")
                return False
        quoted = psycopg.sql.Identifier(name)
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(quoted))
    print(f"bench: created database {name}")
    return True


PARAGRAPHS = [
    "<p>{org} is working on its own server chips for artificial intelligence with the chip "
    "designer <strong>{partner}</strong>, according to several people familiar with the "
    "plans. The company neither confirmed nor denied the report.</p>",
    "<p>“We do not comment on rumours,” a spokesperson said. The chief executive, {person}, "
    "is said to be seeking as much as $7 trillion to build fabrication plants, in a market "
    "where the dominant supplier holds between 70 and 95 percent of the shares.</p>",
    "<p>The first talks reportedly date back to September 2023, and an agreement in principle "
    "was reached in January 2024. <em>{partner}</em> confirmed exploratory discussions but "
    "declined to give details.</p>",
    "<h2>A crowded field</h2><p>Several large technology groups have announced similar "
    "projects, hoping to cut their dependence on a handful of suppliers and to lower the cost "
    'of running ever larger models in their <a href="https://example.org/dc">data '
    "centres</a>.</p>",
    "<blockquote><p>The economics of training runs are forcing everyone to look at custom "
    "silicon.</p></blockquote><p>Analysts caution that designing a competitive chip takes years "
    "and that manufacturing capacity at the most advanced nodes is scarce.</p>",
    "<ul><li>Design partner: {partner}</li><li>Target: data-centre inference</li>"
    "<li>First samples: not before 2026</li></ul><p>{org} said it would share more "
    "information “in due course”.</p>",
]


def seed(n_articles: int) -> None:
    """Seed published articles with every kind of metadata, quickly, with bulk_create."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from articles.html import clean_body
    from articles.models import (
        Article,
        ArticleAuthor,
        Claim,
        Correction,
        Desk,
        Entity,
        KeyDate,
        KeyFigure,
        Mention,
        Quote,
        Source,
        Tag,
    )

    started = time.monotonic()
    User = get_user_model()
    now = timezone.now().replace(microsecond=0)
    unusable = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=f"journalist{i}",
                first_name=f"Alex{i}",
                last_name=f"Writer{i}",
                email=f"journalist{i}@example.org",
                password=unusable,
            )
            for i in range(40)
        )
        desks = Desk.objects.bulk_create(
            Desk(name=name, slug=slugify(name))
            for name in ["Technology", "Economy", "World", "Politics", "Science", "Culture"]
        )
        tags = Tag.objects.bulk_create(Tag(name=f"Topic {i}", slug=f"topic-{i}") for i in range(40))
        kinds = list(Entity.Kind.values)
        entities = Entity.objects.bulk_create(
            Entity(
                name=f"Entity {i}",
                kind=kinds[i % len(kinds)],
                aliases=[f"E{i}", f"Ent {i}"],
                wikidata_id=f"Q{1000 + i}" if i % 3 == 0 else "",
                description=f"Described entity number {i}.",
            )
            for i in range(400)
        )
        bodies = [
            clean_body(
                "".join(
                    p.format(
                        org=f"Entity {k}",
                        partner=f"Entity {k + 1}",
                        person=f"Person {k}",
                    )
                    for p in PARAGRAPHS
                )
            )
            for k in range(10)
        ]
        articles = []
        for i in range(n_articles):
            language = "fr" if i % 2 == 0 else "en"
            headline = f"Company {i // 2} plans its own AI chips with a chip-design partner"
            when = now - datetime.timedelta(minutes=7 * i)
            articles.append(
                Article(
                    headline=headline,
                    slug=f"{slugify(headline)}-{i}",
                    standfirst="The company is said to be in talks with a chip designer to cut "
                    "its dependence on current suppliers.",
                    body=bodies[i % len(bodies)],
                    language=language,
                    desk=desks[i % len(desks)],
                    status=Article.Status.PUBLISHED,
                    published_at=when,
                    first_published_at=when,
                    last_published_at=when,
                    created_at=when,
                    updated_at=when,
                    version=1 + i % 3,
                    source_note="according to reports",
                    editor_note="Check the figures with the business desk.",
                )
            )
        articles = Article.objects.bulk_create(articles, batch_size=500)
        # Every English article translates the French one before it.
        for i in range(1, len(articles), 2):
            articles[i].translation_of = articles[i - 1]
        Article.objects.bulk_update(articles[1::2], ["translation_of"], batch_size=500)

        bylines, article_tags, mentions, claims, quotes = [], [], [], [], []
        figures, dates, sources, corrections = [], [], [], []
        TagLink = Article.tags.through
        claim_statuses = list(Claim.Status.values)
        sourcings = list(Claim.Sourcing.values)
        roles = list(Mention.Role.values)
        for i, article in enumerate(articles):
            for order in range(1 + i % 3):
                bylines.append(
                    ArticleAuthor(article=article, user=users[(i + order) % 40], order=order)
                )
            for k in range(3):
                article_tags.append(TagLink(article=article, tag=tags[(i + k * 7) % 40]))
            people = [entities[(i * 5 + k) % 400] for k in range(6)]
            for order, entity in enumerate(people):
                mentions.append(
                    Mention(article=article, entity=entity, role=roles[order % 3], order=order)
                )
            for order in range(4):
                claims.append(
                    Claim(
                        article=article,
                        text=f"Claim {order} of article {i}: the partner designs the chip.",
                        status=claim_statuses[(i + order) % len(claim_statuses)],
                        attributed_to=people[order] if order % 2 == 0 else None,
                        sourcing=sourcings[order % len(sourcings)],
                        as_of=now - datetime.timedelta(days=order),
                        order=order,
                    )
                )
            quotes.append(
                Quote(
                    article=article,
                    text="We do not comment on rumours.",
                    speaker_label="a spokesperson",
                    speaker_organisation=people[0],
                    said_at=now - datetime.timedelta(days=1),
                    order=0,
                )
            )
            quotes.append(
                Quote(
                    article=article,
                    text="Custom silicon is where the industry is going.",
                    speaker=people[1],
                    speaker_label="",
                    speaker_organisation=people[2],
                    said_at=now - datetime.timedelta(days=2),
                    order=1,
                )
            )
            figures.append(
                KeyFigure(
                    article=article,
                    label="Funding sought",
                    value=Decimal("7000000000000"),
                    unit="USD",
                    as_of=datetime.date(2024, 2, 1),
                    source="press reports",
                    order=0,
                )
            )
            figures.append(
                KeyFigure(
                    article=article,
                    label="Market share of the dominant supplier",
                    value=Decimal("70"),
                    value_high=Decimal("95"),
                    unit="percent",
                    source="analysts",
                    order=1,
                )
            )
            figures.append(
                KeyFigure(
                    article=article,
                    label="Engineers on the project",
                    value=Decimal(1200 + i),
                    unit="",
                    order=2,
                )
            )
            dates.append(
                KeyDate(
                    article=article,
                    date=datetime.date(2023, 9, 1),
                    precision=KeyDate.Precision.MONTH,
                    label="First talks",
                    order=0,
                )
            )
            dates.append(
                KeyDate(
                    article=article,
                    date=datetime.date(2024, 1, 1),
                    precision=KeyDate.Precision.MONTH,
                    label="Agreement in principle",
                    order=1,
                )
            )
            sources.append(
                Source(
                    article=article,
                    name="The Daily Ledger",
                    role=Source.Role.ORIGINAL_REPORTER,
                    url=f"https://example.org/ledger/{i}",
                    order=0,
                )
            )
            sources.append(Source(article=article, name="Wire", role=Source.Role.WIRE, order=1))
            corrections.append(
                Correction(
                    article=article,
                    text="An earlier version misstated the size of the funding round.",
                    corrected_at=article.published_at + datetime.timedelta(hours=2),
                )
            )
        for model, rows in [
            (ArticleAuthor, bylines),
            (TagLink, article_tags),
            (Mention, mentions),
            (Claim, claims),
            (Quote, quotes),
            (KeyFigure, figures),
            (KeyDate, dates),
            (Source, sources),
            (Correction, corrections),
        ]:
            model.objects.bulk_create(rows, batch_size=2000)
    total = sum(
        len(rows)
        for rows in (
            bylines,
            article_tags,
            mentions,
            claims,
            quotes,
            figures,
            dates,
            sources,
            corrections,
        )
    )
    print(
        f"bench: seeded {len(articles)} published articles and {total} metadata rows "
        f"in {time.monotonic() - started:.1f} s"
    )


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


# --- In process: query counts and profile ----------------------------------------------------


def count_queries(path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path)  # warm caches (URL resolver, content types) like a running worker
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"bench: {path} answered {response.status_code} in-process")
    return len(captured), len(response.content)


def mean_ms(paths: list[str], n: int) -> float:
    from django.test import Client

    client = Client()
    for path in paths:
        client.get(path)
    started = time.perf_counter()
    for k in range(n):
        client.get(paths[k % len(paths)])
    return (time.perf_counter() - started) * 1000 / n


AREAS = [
    ("SQL round trips (psycopg, server)", ("psycopg", "{method 'execute' of")),
    ("Django ORM (compile queries, build models, prefetch)", ("django/db/",)),
    ("DRF (views, request, content negotiation, renderers)", ("rest_framework/",)),
    ("django-filter", ("django_filters/",)),
    ("JSON encoding", ("json/", "{method 'encode' of", "_json")),
    ("app code (articles/)", ("/articles/",)),
    ("rendering helpers (dates, numbers, timezone, translation)", ("django/utils/",)),
    (
        "middleware, URL resolving, HTTP (django/core, contrib, middleware)",
        (
            "django/core/",
            "django/middleware/",
            "django/contrib/",
            "django/urls/",
            "django/http/",
        ),
    ),
    ("test client (not in production)", ("django/test/",)),
]


PHASES = {
    "whole request (Django handler, middleware included)": (
        "django/core/handlers/base.py",
        "get_response",
    ),
    "DRF view (dispatch)": ("rest_framework/views.py", "dispatch"),
    "prefetch_related (every prefetch query, models built)": (
        "django/db/models/query.py",
        "prefetch_related_objects",
    ),
    "get_object (detail: main query and prefetches)": ("articles/views.py", "get_object"),
    "translations_of (detail)": ("articles/views.py", "translations_of"),
    "paginate_queryset (list: main query and prefetches)": (
        "rest_framework/pagination.py",
        "paginate_queryset",
    ),
    "article_detail dict building": ("articles/serializers.py", "article_detail"),
    "article_summary dict building": ("articles/serializers.py", "article_summary"),
    "JSON renderer": ("rest_framework/renderers.py", "render"),
}


def area_of(filename: str, funcname: str) -> str:
    label = f"{filename}:{funcname}"
    for area, needles in AREAS:
        if any(needle in label for needle in needles):
            return area
    return "other (Python stdlib, builtins)"


def profile(paths: list[str], n: int, label: str) -> dict:
    """cProfile n in-process requests; print own time grouped by area and the top functions."""
    from django.test import Client

    client = Client()
    for path in paths:
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for k in range(n):
        client.get(paths[k % len(paths)])
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(entry[2] for entry in stats.stats.values())
    by_area: dict[str, float] = defaultdict(float)
    rows = []
    for (filename, _line, funcname), (
        _cc,
        ncalls,
        tottime,
        cumtime,
        _callers,
    ) in stats.stats.items():
        by_area[area_of(filename, funcname)] += tottime
        rows.append((tottime, cumtime, ncalls, short(filename), funcname))
    test_client = by_area.pop("test client (not in production)", 0.0)
    served = total - test_client
    print(f"\nprofile of {n} in-process {label} requests (cProfile, own time by area):")
    summary = {}
    for area, seconds in sorted(by_area.items(), key=lambda item: -item[1]):
        share = seconds / served
        summary[area] = round(share, 3)
        print(f"  {share:6.1%}  {seconds * 1000 / n:6.2f} ms/req  {area}")
    print(f"  (test client overhead left out: {test_client * 1000 / n:.2f} ms/req)")
    print(f"  time inside the main steps ({label}, cumulative ms/req):")
    phases = {}
    for phase, (path_part, funcname) in PHASES.items():
        cumtime = sum(
            entry[3]
            for (filename, _line, name), entry in stats.stats.items()
            if name == funcname and path_part in filename
        )
        if cumtime:
            phases[phase] = round(cumtime * 1000 / n, 2)
            print(f"    {cumtime * 1000 / n:7.2f}  {phase}")
    print(f"  top functions by own time ({label}):")
    for tottime, cumtime, ncalls, filename, funcname in sorted(rows, reverse=True)[:15]:
        print(
            f"    {tottime * 1000 / n:6.3f} ms/req own {cumtime * 1000 / n:7.3f} cum "
            f"{ncalls / n:7.1f} calls/req  {filename}:{funcname}"
        )
    return {
        "ms_per_request_profiled": round(total * 1000 / n, 2),
        "share_by_area": summary,
        "phases_ms": phases,
    }


def short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# --- Servers and load ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, app: str, env: dict, workers: int, log_dir: Path):
        self.name = name
        self.port = free_port()
        self.log = open(log_dir / f"{name}.log", "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: {self.name} server exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise SystemExit(f"bench: {self.name} server did not answer within {timeout:.0f} s")

    def fetch(self, path: str) -> tuple[bytes, str]:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            if response.status != 200:
                raise SystemExit(f"bench: {self.name} {path} answered {response.status}")
            return response.read(), response.headers["Content-Type"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


LUA = """-- Cycle through several paths, one per request.
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def wrk(url: str, seconds: int, connections: int, script: Path | None) -> float:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not match:
        raise SystemExit(f"bench: cannot read wrk output:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if bad:
        raise SystemExit(f"bench: {bad.group(1)} error responses from {url}:\n{output}")
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if errors and (int(errors.group(1)) or int(errors.group(4))):
        raise SystemExit(f"bench: socket errors against {url}:\n{output}")
    return float(match.group(1))


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
    ratio = statistics.median(app_rps) / statistics.median(minimal_rps)
    return {
        "app_rps": round(statistics.median(app_rps), 1),
        "minimal_rps": round(statistics.median(minimal_rps), 1),
        "ratio": round(ratio, 3),
        "target": TARGETS[name],
        "rounds_app_rps": [round(v, 1) for v in app_rps],
        "rounds_minimal_rps": [round(v, 1) for v in minimal_rps],
        "rounds_ratio": [round(a / m, 3) for a, m in zip(app_rps, minimal_rps, strict=True)],
    }


def check_tools() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is not installed (Debian: apt-get install wrk)")


def run() -> dict:
    check_tools()
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    n_articles = env_int("BENCH_ARTICLES", 2000)
    workers = env_int("BENCH_WORKERS", 2)
    knobs = {
        "rounds": env_int("BENCH_ROUNDS", 4),
        "seconds": env_int("BENCH_ROUND_SECONDS", 5),
        "connections": env_int("BENCH_CONNECTIONS", 4),
    }
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
    }
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

    results: dict = {"articles": n_articles, "workers": workers, **knobs}
    queries = {"list": count_queries(LIST_PATH), "detail": count_queries(details[0])}
    queries["list_100"] = count_queries(LIST_PATH + "?page_size=100")
    results["in_process_ms"] = {
        "list": round(mean_ms([LIST_PATH], 100), 2),
        "detail": round(mean_ms(details, 100), 2),
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
        for path in [LIST_PATH, *details]:
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
        print(
            f"bench: load-testing with wrk, {knobs['rounds']} interleaved rounds of "
            f"{knobs['seconds']} s per side, {knobs['connections']} connections, "
            f"{workers} gunicorn workers per server"
        )
        results["list"] = load("list", app, minimal, LIST_PATH, None, knobs)
        results["detail"] = load("detail", app, minimal, "/", script, knobs)
        results["list"]["bytes"] = len(base64.b64decode(recorded[LIST_PATH]["body_b64"]))
        results["detail"]["bytes"] = round(
            statistics.mean(len(base64.b64decode(recorded[p]["body_b64"])) for p in details)
        )
    finally:
        for server in (minimal, app):
            if server is not None:
                server.stop()
        shutil.rmtree(work, ignore_errors=True)

    results["list"]["queries"], _ = queries["list"]
    results["list"]["queries_page_size_100"], _ = queries["list_100"]
    results["detail"]["queries"], _ = queries["detail"]
    results["detail_paths"] = details
    report(results)
    return results


def report(results: dict) -> None:
    print("\narticles API vs a minimal Django view serving the same bytes")
    print(
        f"({results['articles']} published articles, gunicorn {results['workers']} workers, "
        f"DEBUG off, wrk {results['connections']} connections, median of "
        f"{results['rounds']} x {results['seconds']} s rounds)\n"
    )
    header = (
        f"  {'endpoint':<8} {'app req/s':>10} {'minimal req/s':>14} {'ratio':>7} "
        f"{'target':>7} {'':<5} {'queries':>7} {'bytes':>7} {'in-process':>11}"
    )
    print(header)
    for name in ("list", "detail"):
        row = results[name]
        verdict = "ok" if row["ratio"] >= row["target"] else "BELOW"
        print(
            f"  {name:<8} {row['app_rps']:>10.1f} {row['minimal_rps']:>14.1f} "
            f"{row['ratio']:>7.3f} {row['target']:>7.2f} {verdict:<5} {row['queries']:>7} "
            f"{row['bytes']:>7} {results['in_process_ms'][name]:>8.2f} ms"
        )
    print(
        f"\n  list page of 20: {results['list']['queries']} queries; page of 100: "
        f"{results['list']['queries_page_size_100']} queries"
    )
    for name in ("list", "detail"):
        print(f"  {name} ratio per round: {results[name]['rounds_ratio']}")
    print(f"  detail URLs: {', '.join(results['detail_paths'])}")
