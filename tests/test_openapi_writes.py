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
    ("/api/v1/entities/", "post"),
    ("/api/v1/entities/{id}/", "patch"),
    ("/api/v1/entities/{id}/", "delete"),
    ("/api/v1/entities/{id}/merge/", "post"),
    ("/api/v1/images/", "post"),
    ("/api/v1/images/{id}/", "patch"),
    ("/api/v1/images/{id}/", "delete"),
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


def test_the_desk_api_documents_its_refusals_and_the_images_conditional_writes(schema):
    paths = schema["paths"]
    image_patch = paths["/api/v1/images/{id}/"]["patch"]
    headers = {p["name"]: p for p in image_patch["parameters"] if p["in"] == "header"}
    assert headers["If-Match"]["required"] is True
    assert {"200", "400", "401", "403", "404", "412", "428"} <= set(image_patch["responses"])
    assert "application/json" in image_patch["requestBody"]["content"]
    assert {"204", "401", "403", "404", "409"} <= set(
        paths["/api/v1/images/{id}/"]["delete"]["responses"]
    )
    upload = paths["/api/v1/images/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"200", "201", "400", "401", "403", "413"} <= set(upload["responses"])
    assert {"201", "400", "401", "403"} <= set(paths["/api/v1/entities/"]["post"]["responses"])
    assert {"204", "401", "403", "404", "409"} <= set(
        paths["/api/v1/entities/{id}/"]["delete"]["responses"]
    )
    merge = paths["/api/v1/entities/{id}/merge/"]["post"]
    assert {"200", "400", "401", "403", "404"} <= set(merge["responses"])
    assert "put" not in paths["/api/v1/entities/{id}/"]
    assert "put" not in paths["/api/v1/images/{id}/"]
    assert {"200", "404"} <= set(paths["/api/v1/licences/{code}/"]["get"]["responses"])
