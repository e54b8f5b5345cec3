import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent

WRITE_OPERATIONS = [
    ("/api/v1/articles/", "post"),
    ("/api/v1/articles/{id_or_slug}/", "put"),
    ("/api/v1/articles/{id_or_slug}/", "patch"),
    ("/api/v1/articles/{id_or_slug}/submit/", "post"),
    ("/api/v1/articles/{id_or_slug}/publish/", "post"),
    ("/api/v1/articles/{id_or_slug}/schedule/", "post"),
    ("/api/v1/articles/{id_or_slug}/retract/", "post"),
    ("/api/v1/articles/{id_or_slug}/revisions/", "get"),
    ("/api/v1/auth/login/", "post"),
    ("/api/v1/auth/logout/", "post"),
    ("/api/v1/auth/me/", "get"),
    ("/api/v1/auth/tokens/", "post"),
    ("/api/v1/auth/tokens/logout/", "post"),
    ("/api/v1/auth/tokens/logout-all/", "post"),
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    # --validate checks it against the OpenAPI 3 specification; --fail-on-warn makes any
    # endpoint drf-spectacular cannot describe an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


@pytest.mark.parametrize("path,method", WRITE_OPERATIONS)
def test_the_openapi_schema_documents_every_write_endpoint(schema, path, method):
    operation = schema["paths"][path][method]

    assert operation["summary"]
    assert any(str(code).startswith("2") for code in operation["responses"])


def test_conditional_writes_document_if_match_and_their_errors(schema):
    for method in ("put", "patch"):
        operation = schema["paths"]["/api/v1/articles/{id_or_slug}/"][method]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True
        assert {"200", "400", "403", "412", "428"} <= set(operation["responses"])
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]
        assert {"claims", "mentions", "quotes", "key_figures", "corrections"} <= set(
            component["properties"]
        )
    publish = schema["paths"]["/api/v1/articles/{id_or_slug}/publish/"]["post"]
    assert "409" in publish["responses"]


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_"))
    }
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "news.example.org",
            "DJANGO_SECURE_SSL_REDIRECT": "1",
            "DJANGO_SECURE_HSTS_SECONDS": "31536000",
            "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
            "DJANGO_SECURE_HSTS_PRELOAD": "1",
            "NEWSROOM_VAR_DIR": str(tmp_path),
        }
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update({"DJANGO_DEBUG": "0", "NEWSROOM_VAR_DIR": str(tmp_path)})

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
