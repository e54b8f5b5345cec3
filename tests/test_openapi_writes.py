"""The OpenAPI schema documents every write endpoint and its conditional-write errors."""

import pytest
import yaml
from django.core.management import call_command

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
