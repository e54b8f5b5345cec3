"""The benchmark measures what it claims: full articles, against a baseline of the same bytes.

No timing here: the figures come from `make bench`.
"""

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from articles.models import Article
from bench.articles_seed import seed

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_benchmark_seed_gives_every_article_its_full_metadata(api_client):
    seed(6)

    assert Article.objects.live().count() == 6
    english = Article.objects.filter(language="en").first()
    response = api_client.get(f"/api/v1/articles/{english.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert {key: len(data[key]) for key in ("tags", "mentions", "claims", "quotes")} == {
        "tags": 3,
        "mentions": 6,
        "claims": 4,
        "quotes": 2,
    }
    assert [f["display"] for f in data["key_figures"]][:2] == ["$7 trillion", "70–95%"]
    assert [d["display"] for d in data["key_dates"]] == ["September 2023", "January 2024"]
    assert len(data["sources"]) == 2
    assert len(data["corrections"]) == 1
    assert data["authors"]
    assert data["translations"][0]["language"] == "fr"
    assert "<script" not in data["body"] and data["body"].startswith("<p>")


def test_minimal_view_returns_the_recorded_bytes_and_content_type(tmp_path):
    body = '{"headline": "Caf\u00e9 \u2014 $7 trillion"}'.encode()
    responses = tmp_path / "responses.json"

    responses.write_text(
        json.dumps(
            {
                "/api/v1/articles/?page_size=20": {
                    "content_type": "application/json",
                    "body_b64": base64.b64encode(body).decode(),
                }
            }
        )
    )
    code = (
        "import sys, wsgiref.util\n"
        "from bench.minimal_wsgi import application\n"
        "def call(path, query):\n"
        "    environ = {'PATH_INFO': path, 'QUERY_STRING': query, 'HTTP_HOST': '127.0.0.1'}\n"
        "    wsgiref.util.setup_testing_defaults(environ)\n"
        "    seen = {}\n"
        "    def start(status, headers):\n"
        "        seen['status'], seen['headers'] = status, dict(headers)\n"
        "    body = b''.join(application(environ, start))\n"
        "    return seen['status'], seen['headers']['Content-Type'], body\n"
        "status, ctype, body = call('/api/v1/articles/', 'page_size=20')\n"
        "sys.stdout.buffer.write(status.encode() + b'|' + ctype.encode() + b'|' + body)\n"
        "print('|' + call('/api/v1/articles/', 'page_size=21')[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"BENCH_RESPONSES": str(responses), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin"},
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr.decode()
    status, content_type, served, other = result.stdout.rstrip(b"\n").split(b"|")
    assert (status, content_type, served) == (b"200 OK", b"application/json", body)
    assert other == b"404 Not Found"


def test_a_skipped_section_says_skipped_in_the_table_and_in_the_json_document(tmp_path):
    output = tmp_path / "figures.json"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "BENCH_DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--only", "reminders", "--json", output],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.split("=== bench: summary ===")[1]
    assert "reminders   skipped (needs BENCH_DATABASE_URL=postgres://" in summary
    assert " ok in " not in summary
    document = json.loads(output.read_text())
    assert list(document) == ["sections"]
    reminders = document["sections"]["reminders"]
    assert set(reminders) == {"status", "seconds", "figures", "table"}
    assert reminders["status"].startswith("skipped (")
    assert reminders["figures"] == {
        "skipped": "needs BENCH_DATABASE_URL=postgres://... (PostgreSQL)"
    }
    assert reminders["table"] == []


def test_the_search_section_table_gives_p95_and_p99_per_tier_against_the_targets():
    # The targets are the newest-first search's; the relevance order is printed with its own
    # figures and no verdict, however fast it is.
    from bench import search
    from bench.run import print_table, section_document

    fast = search.percentiles([1.0 + k / 100 for k in range(100)])
    slow = search.percentiles([10.0] * 90 + [30.0] * 10)
    figures = {
        "newest": {"tiers": {"common": fast, "rare": slow}, "passes": [fast]},
        "relevance": {"tiers": {"common": fast}, "passes": [fast]},
        "newest_first": {"checked": 3, "wrong": []},
    }

    rows = search.table(figures)

    assert {row["figure"]: row["verdict"] for row in rows} == {
        "newest, common: p95 / p99 ms": "ok",
        "newest, rare: p95 / p99 ms": "ABOVE",
        "relevance, common: p95 / p99 ms": "(no target)",
        "first pages newest-first as the ORM's": "ok",
    }
    assert rows[0]["value"] == f"{fast['p95']:.1f} / {fast['p99']:.1f}"
    assert rows[0]["target"] == "25 / 50"
    assert rows[2]["target"] == "-"
    document = section_document("ok in 3 s", 3.04, {"figures": figures, "table": rows})
    assert json.loads(json.dumps(document))["table"] == rows
    assert document["seconds"] == 3.0
    print_table({"search": document})  # one line per row, no error on any value
