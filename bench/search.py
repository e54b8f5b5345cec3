"""Search benchmark: the public list's full-text search at 250,000 published articles.

What it does:
1. (Re)creates its own database `<BENCH_DATABASE_URL's name>_search`, migrates it and seeds
   BENCH_SEARCH_ARTICLES (250,000) published articles, half French, half English, of about
   1,500 characters each, by SQL (bench/search_seed.py), then VACUUM ANALYZE.
2. Times `GET /api/v1/articles/?q=...&language=...` in-process (Django's test client: the
   whole request, one database connection) for words in three tiers (in every article of the
   language, in 4 %, in 0.04 %), phrases and two-word queries, one after another, for
   BENCH_SEARCH_PASSES passes (4) on the same connection, so that prepared statements and
   generic plans show. Prints p50 / p95 / p99 per tier (targets p95 <= 25 ms, p99 <= 50 ms) and
   per pass, the same with `order=relevance`, and checks that every first page is the newest
   matches, newest first (against the ORM's filter).
3. Prints the plan of each tier's statements as a generic plan (what every execution runs:
   the connection options set plan_cache_mode=force_generic_plan) and the index sizes.

Environment (all optional):
  BENCH_DATABASE_URL        postgres://postgres@127.0.0.1:5432/newsroom_bench (its name + _search)
  BENCH_REUSE_DB=1          keep the database when it already holds the seeded articles
  BENCH_SEARCH_ARTICLES     250000
  BENCH_SEARCH_PASSES       4
"""

import os
import secrets
import statistics
import time

from bench.articles_seed import prepare_database
from bench.search_seed import COMMON, MID, RARE, seed

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
TARGETS_MS = {"p95": 25.0, "p99": 50.0}
LIST = "/api/v1/articles/"
TIERS = ("common", "mid", "rare", "phrase", "two_words")


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def queries() -> list[tuple[str, str, str | None]]:
    """(tier, q, language): 60 words, 12 phrases, 12 two-word queries."""
    found = []
    for language in ("fr", "en"):
        found += [("common", word, language) for word in COMMON[language]]
        found += [("mid", word, language) for word in MID[language][:10]]
        found += [("rare", word, language) for word in RARE[language][:10]]
    found += [("common", word, None) for word in ("inflation", "opposition")]
    found += [("rare", word, None) for word in ("carillon", "luthier", "sommelier")]
    found += [("mid", word, None) for word in ("tramway", "glacier")]
    found += [
        ("phrase", '"banque centrale"', "fr"),
        ("phrase", '"pouvoir d\'achat"', "fr"),
        ("phrase", '"central bank"', "en"),
        ("phrase", '"purchasing power"', "en"),
        ("phrase", '"nouvel aéroport"', "fr"),
        ("phrase", '"nouvel hôpital"', "fr"),
        ("phrase", '"new airport"', "en"),
        ("phrase", '"new hospital"', "en"),
        ("phrase", '"un luthier du village"', "fr"),
        ("phrase", '"a sommelier from the village"', "en"),
        ("phrase", '"banque du village"', "fr"),
        ("phrase", '"bank of the village"', "en"),
    ]
    found += [
        ("two_words", "gouvernement aéroport", "fr"),
        ("two_words", "marché vendanges", "fr"),
        ("two_words", "government airport", "en"),
        ("two_words", "market harvest", "en"),
        ("two_words", "économie luthier", "fr"),
        ("two_words", "economy sommelier", "en"),
        ("two_words", "aéroport vendanges", "fr"),
        ("two_words", "airport harvest", "en"),
        ("two_words", "tramway glacier", None),
        ("two_words", "inflation carillon", None),
        ("two_words", "ministre -aéroport", "fr"),
        ("two_words", "minister or ornithologist", "en"),
    ]
    return found


def path_of(q: str, language: str | None, order: str | None = None) -> str:
    from urllib.parse import urlencode

    params = {"q": q}
    if language:
        params["language"] = language
    if order:
        params["order"] = order
    return f"{LIST}?{urlencode(params)}"


def percentiles(values: list[float]) -> dict:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "n": len(values),
        "p50": round(cuts[49], 2),
        "p95": round(cuts[94], 2),
        "p99": round(cuts[98], 2),
        "max": round(max(values), 2),
    }


def timed_passes(client, cases, passes: int, order: str | None) -> dict:
    per_tier: dict[str, list[float]] = {tier: [] for tier in TIERS}
    per_pass = []
    for _ in range(passes):
        this_pass = []
        for tier, q, language in cases:
            path = path_of(q, language, order)
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"bench: {path} answered {response.status_code}")
            per_tier[tier].append(elapsed)
            this_pass.append(elapsed)
        per_pass.append(percentiles(this_pass))
    return {
        "tiers": {tier: percentiles(values) for tier, values in per_tier.items() if values},
        "passes": per_pass,
    }


def timed_statements(cases, passes: int) -> dict:
    """The search alone (articles.search.search_newest: its statements on the prepared path,
    one connection), without the request around it: what the database and driver cost."""
    from articles import search
    from articles.readmodel import language_condition

    per_tier: dict[str, list[float]] = {tier: [] for tier in TIERS}
    for _ in range(passes):
        for tier, q, language in cases:
            filtered = language_condition(language) if language else None
            started = time.perf_counter()
            search.search_newest(
                text=q, language=language, position=None, size=20, filtered=filtered
            )
            per_tier[tier].append((time.perf_counter() - started) * 1000)
    return {"tiers": {tier: percentiles(values) for tier, values in per_tier.items() if values}}


def newest_first_kept(client, cases) -> dict:
    """Every first page is the 20 newest live matches, newest first, as the ORM finds them."""
    from articles.filters import ArticleFilter
    from articles.serializers.public import public_articles

    checked, wrong = 0, []
    for _, q, language in cases:
        data = {"q": q} | ({"language": language} if language else {})
        expected = list(
            ArticleFilter(data=data, queryset=public_articles())
            .qs.order_by("-published_at", "-id")
            .values_list("pk", flat=True)[:20]
        )
        got = [item["id"] for item in client.get(path_of(q, language)).json()["results"]]
        checked += 1
        if got != expected:
            wrong.append(q)
    return {"checked": checked, "wrong": wrong}


def generic_plans(cases) -> dict:
    """Per tier, the generic plan (EXPLAIN ANALYZE) of each step its first query ran."""
    import psycopg

    from articles import search
    from articles.readmodel import language_condition

    plans = {}
    raw = psycopg.connect(_conninfo(), autocommit=True)
    with raw:
        raw.execute("SET plan_cache_mode = force_generic_plan")
        for tier in TIERS:
            _, q, language = next(case for case in cases if case[0] == tier)
            filtered = language_condition(language) if language else None
            query = search.Search(text=q, language=language, filtered=filtered)
            steps = []
            for n, window in enumerate(search.steps()):
                sql, params = query.newest_sql(None, 20, window)
                numbered = sql.split("%s")
                sql = "".join(
                    part + (f"${k + 1}" if k < len(numbered) - 1 else "")
                    for k, part in enumerate(numbered)
                )
                name = f"bench_{tier}_{n}"
                raw.execute(f"PREPARE {name} AS {sql}")
                literals = psycopg.sql.SQL(", ").join(psycopg.sql.Literal(p) for p in params)
                execute = psycopg.sql.SQL("EXPLAIN (ANALYZE, COSTS OFF) EXECUTE {}({})").format(
                    psycopg.sql.Identifier(name), literals
                )
                plan = "\n".join(row[0] for row in raw.execute(execute))
                count = len(
                    raw.execute(
                        psycopg.sql.SQL("EXECUTE {}({})").format(
                            psycopg.sql.Identifier(name), literals
                        )
                    ).fetchall()
                )
                if isinstance(window, search.Walk):
                    step = f"walk of the newest {window.rows:,} in order"
                else:
                    step = f"newest {window:,}" if window else "no window"
                steps.append({"window": step, "rows": count, "plan": plan})
                if count > 20:
                    break
            plans[tier] = {
                "query": q,
                "language": language,
                "steps": steps,
                # Every step on an index: the walk on the public order, the others on the
                # search index.
                "uses_search_index": all(
                    (
                        "article_public_order"
                        if s["window"].startswith("walk")
                        else "article_search_recent"
                    )
                    in s["plan"]
                    for s in steps
                ),
            }
    return plans


def _conninfo() -> str:
    from django.db import connection

    settings = connection.settings_dict
    parts = {
        "dbname": settings["NAME"],
        "user": settings.get("USER"),
        "host": settings.get("HOST"),
        "port": settings.get("PORT"),
        "password": settings.get("PASSWORD"),
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def prepared_statements() -> list[dict]:
    """The search statements the timed connection prepared, and which plans they got."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%%websearch_to_tsquery%%'"
        )
        return [{"generic_plans": g, "custom_plans": c} for g, c in cursor.fetchall()]


def sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_index i ON i.indexrelid = c.oid "
            "WHERE i.indrelid = 'articles_article'::regclass ORDER BY c.relname"
        )
        indexes = dict(cursor.fetchall())
        cursor.execute("SELECT pg_total_relation_size('articles_article')")
        (table,) = cursor.fetchone()
    return {"indexes_bytes": indexes, "table_total_bytes": table}


def run() -> dict:
    base = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    url = base.rsplit("/", 1)[0] + "/" + base.rsplit("/", 1)[1].split("?")[0] + "_search"
    n_articles = env_int("BENCH_SEARCH_ARTICLES", 250_000)
    passes = env_int("BENCH_SEARCH_PASSES", 4)
    must_seed = prepare_database(
        url, reuse=os.environ.get("BENCH_REUSE_DB") == "1", expected_articles=n_articles
    )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_THROTTLE_ANON": "off",
            "DJANGO_THROTTLE_USER": "off",
            "LOG_LEVEL": "WARNING",
        }
    )
    for key in ("REDIS_URL", "EMAIL_HOST"):
        os.environ.pop(key, None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    results: dict = {"articles": n_articles, "passes": passes, "targets_ms": TARGETS_MS}
    if must_seed:
        print(f"bench: seeding {n_articles:,} articles by SQL ...", flush=True)
        results["seed_seconds"] = round(seed(n_articles), 1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    cases = queries()
    results["queries"] = {tier: sum(1 for c in cases if c[0] == tier) for tier in TIERS}
    client = Client()
    client.get(LIST)  # warm the URL resolver and the connection, as a running worker has
    results["newest_first"] = newest_first_kept(client, cases)
    results["newest"] = timed_passes(client, cases, passes, None)
    results["relevance"] = timed_passes(client, cases, passes, "relevance")
    results["statements_only"] = timed_statements(cases, passes)
    results["prepared_statements"] = prepared_statements()
    results["plans"] = generic_plans(cases)
    results["sizes"] = sizes()
    return results


# The targets are the newest-first search's (the list's order); the relevance order is offered
# with its own figures and no target.
UNTARGETED = {"relevance"}


def verdict(row: dict, order: str) -> str:
    if order in UNTARGETED:
        return "(no target)"
    ok = row["p95"] <= TARGETS_MS["p95"] and row["p99"] <= TARGETS_MS["p99"]
    return "ok" if ok else "ABOVE"


def summary(results: dict) -> None:
    print(
        f"\nsearch: {results['articles']:,} published articles (fr + en), in-process requests on "
        f"one connection, {results['passes']} passes; targets p95 <= {TARGETS_MS['p95']:.0f} ms, "
        f"p99 <= {TARGETS_MS['p99']:.0f} ms per tier, newest first (order=relevance: its own "
        "figures, no target)"
    )
    if "seed_seconds" in results:
        print(f"  seeded by SQL in {results['seed_seconds']} s")
    for order in ("newest", "relevance", "statements_only"):
        print(f"\n  {order if order == 'statements_only' else 'order=' + order}")
        print(
            f"  {'tier':<10} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        )
        for tier, row in results[order]["tiers"].items():
            print(
                f"  {tier:<10} {results['queries'][tier]:>7} {row['p50']:>8.2f} {row['p95']:>8.2f} "
                f"{row['p99']:>8.2f} {row['max']:>8.2f}  {verdict(row, order)}"
            )
        if "passes" in results[order]:
            passes = ", ".join(
                f"p95 {p['p95']:.1f}/p99 {p['p99']:.1f}" for p in results[order]["passes"]
            )
            print(f"  per pass (ms): {passes}")
    kept = results["newest_first"]
    print(
        f"\n  newest-first first pages equal to the ORM's: {kept['checked'] - len(kept['wrong'])}"
        f"/{kept['checked']}" + (f" (wrong: {kept['wrong']})" if kept["wrong"] else "")
    )
    statements = results["prepared_statements"]
    print(
        f"  search statements prepared on the timed connection: {len(statements)}, generic plans "
        f"{sum(s['generic_plans'] for s in statements)}, custom plans "
        f"{sum(s['custom_plans'] for s in statements)}"
    )
    sizes = results["sizes"]
    print(
        "  index sizes: "
        + ", ".join(
            f"{name} {size / 2**20:.1f} MiB" for name, size in sizes["indexes_bytes"].items()
        )
        + f"; table with indexes and TOAST {sizes['table_total_bytes'] / 2**20:.0f} MiB"
    )
    for tier, plan in results["plans"].items():
        print(
            f"\n  generic plan, {tier}: q={plan['query']!r} language={plan['language']} "
            f"(every step on its index: {plan['uses_search_index']})"
        )
        for step in plan["steps"]:
            print(f"    step {step['window']}: {step['rows']} rows")
            for line in step["plan"].splitlines():
                print(f"      {line}")


def table(results: dict) -> list[dict]:
    """The headline figures for the runner's final table: p95 and p99 per tier and order."""
    rows = []
    for order in ("newest", "relevance", "statements_only"):
        for tier, row in results.get(order, {"tiers": {}})["tiers"].items():
            rows.append(
                {
                    "figure": f"{order}, {tier}: p95 / p99 ms",
                    "value": f"{row['p95']:.1f} / {row['p99']:.1f}",
                    "target": "-"
                    if order in UNTARGETED
                    else f"{TARGETS_MS['p95']:.0f} / {TARGETS_MS['p99']:.0f}",
                    "verdict": verdict(row, order),
                }
            )
    kept = results["newest_first"]
    rows.append(
        {
            "figure": "first pages newest-first as the ORM's",
            "value": f"{kept['checked'] - len(kept['wrong'])}/{kept['checked']}",
            "verdict": "ok" if not kept["wrong"] else "WRONG",
        }
    )
    return rows
