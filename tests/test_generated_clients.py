"""Clients that third parties generate from /api/schema/ work against a live server.

Twice, with other people's generators: openapi-typescript + openapi-fetch (npm, pinned in
.ci/node; the generated types and a small script compile with ``tsc --strict``) and
openapi-python-client (PyPI, a dev dependency). Each lists the articles and reads one.
"""

import importlib
import json
import os
import shutil
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.articles.formats.conftest import NODE, node_tool, run

pytestmark = pytest.mark.django_db(transaction=True)

BIN = Path(sys.executable).parent
PACKAGE = "newsroom_api_client"


@pytest.fixture
def demo_server(live_server, tmp_path):
    """The live test server with the demo loaded, and its schema as a JSON file."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json", timeout=30) as r:
        schema = json.load(r)
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    return live_server.url, path


def live_articles() -> list[Article]:
    return list(Article.objects.live().order_by("-published_at", "-id"))


def test_every_write_documents_exactly_one_request_body(demo_server):
    """What the generators need: one body per operation, multipart for the uploads (an image,
    a wire-copy file)."""
    _, path = demo_server
    schema = json.loads(path.read_text())
    bodies = {
        f"{method.upper()} {route}": sorted(operation["requestBody"]["content"])
        for route, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert bodies, "no operation has a request body"
    assert bodies.pop("POST /api/v1/images/") == ["multipart/form-data"]
    assert bodies.pop("POST /api/v1/ingest/text/") == ["multipart/form-data"]
    assert {tuple(types) for types in bodies.values()} == {("application/json",)}


def test_openapi_python_client_generates_a_package_that_lists_and_reads_articles(
    demo_server, tmp_path
):
    url, schema = demo_server
    output = tmp_path / PACKAGE
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = run(
        [
            BIN / "openapi-python-client",
            "generate",
            "--path",
            schema,
            "--output-path",
            output,
            "--meta",
            "none",
        ],
        env=env,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Warning" not in out, out  # a skipped operation is a warning, and a missing method

    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module(PACKAGE)
        listing = importlib.import_module(f"{PACKAGE}.api.v1.v1_articles_list")
        detail = importlib.import_module(f"{PACKAGE}.api.v1.v1_articles_retrieve")
        client = client_module.Client(base_url=url, raise_on_unexpected_status=True)

        page = listing.sync(client=client, page_size=10)
        expected = live_articles()
        assert [item.id for item in page.results] == [a.pk for a in expected]
        article = detail.sync(client=client, id_or_slug=str(page.results[0].id))
        assert article.headline == expected[0].headline
        assert article.language == expected[0].language
        assert article.slug == expected[0].slug
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_openapi_typescript_types_compile_strictly_and_openapi_fetch_reads_articles(
    demo_server, tmp_path
):
    url, schema = demo_server
    work = tmp_path / "ts"
    work.mkdir()
    # The script and the generated types side by side, resolving packages from .ci/node.
    (work / "node_modules").symlink_to(NODE / "node_modules", target_is_directory=True)
    (work / "package.json").write_text('{"type": "module"}')
    shutil.copy(NODE / "clients" / "read-articles.ts", work / "read-articles.ts")

    generated = run([node_tool("openapi-typescript"), schema, "-o", work / "schema.d.ts"])
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "export interface paths" in (work / "schema.d.ts").read_text()

    compiled = run(
        [
            node_tool("tsc"),
            "--strict",
            "--noEmitOnError",
            "--target",
            "es2022",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--types",
            "node",
            "--outDir",
            work / "out",
            work / "read-articles.ts",
        ],
        cwd=work,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr

    (work / "out" / "package.json").write_text('{"type": "module"}')
    ran = run(["node", work / "out" / "read-articles.js", url], cwd=work)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    answer = json.loads(ran.stdout)
    expected = live_articles()
    assert answer["listed"] == [a.pk for a in expected]
    assert answer["detail"] == {
        "id": expected[0].pk,
        "slug": expected[0].slug,
        "headline": expected[0].headline,
        "language": expected[0].language,
    }
