"""The OpenAPI schema generates cleanly and validates; the docs are served without a CDN."""

import json
import re
import sys

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
from drf_spectacular.validation import validate_schema
from rest_framework.fields import CharField

from articles.languages import BCP47
from newsroom.openapi import NOT_BLANK
from tests.articles.test_api_articles_detail import DOCUMENTED_FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    reset_generator_stats()
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_command_generates_without_warnings_and_validates(tmp_path, capsys):
    reset_generator_stats()
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert not GENERATOR_STATS, capsys.readouterr().err
    generated = yaml.safe_load(out.read_text())
    assert generated["openapi"].startswith("3.")
    assert "/api/v1/articles/" in generated["paths"]


def test_the_served_schema_validates_and_was_generated_without_warnings(schema):
    validate_schema(schema)
    assert not GENERATOR_STATS
    assert schema["info"]["title"] == "newsroom API"


def test_the_served_schema_is_yaml_by_default(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["paths"]


def test_the_schema_documents_every_public_endpoint(schema):
    assert {
        "/api/v1/articles/",
        "/api/v1/articles/{id_or_slug}/",
        "/api/v1/entities/",
        "/api/v1/entities/{id}/",
    } <= set(schema["paths"])


def test_the_schema_documents_the_list_query_parameters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {"language", "desk", "tag", "entity", "updated_since", "q", "cursor", "page_size"} <= (
        parameters
    )


def resolve(schema: dict, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_the_schema_describes_every_documented_detail_field(schema):
    get = schema["paths"]["/api/v1/articles/{id_or_slug}/"]["get"]
    ref = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    detail = resolve(schema, ref)
    assert DOCUMENTED_FIELDS <= set(detail["properties"])
    figure = resolve(schema, detail["properties"]["key_figures"]["items"]["$ref"])
    date = resolve(schema, detail["properties"]["key_dates"]["items"]["$ref"])
    assert "display" in figure["properties"]
    assert "display" in date["properties"]


def test_swagger_ui_is_served_from_the_sidecar_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "googleapis"):
        assert cdn not in html


def test_the_sidecar_files_the_docs_load_exist():
    from django.contrib.staticfiles import finders

    for path in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{path}")


def operation(schema: dict, path: str, method: str) -> dict:
    return schema["paths"][path][method]


def test_the_revisions_are_documented_as_the_bare_list_they_are(schema):
    answer = operation(schema, "/api/v1/articles/{id_or_slug}/revisions/", "get")["responses"]
    content = answer["200"]["content"]["application/json"]["schema"]

    assert content["type"] == "array"


@pytest.mark.parametrize(
    "path, method, codes",
    [
        ("/api/v1/articles/", "get", {"400"}),
        ("/api/v1/articles/", "post", {"400", "401", "403", "409", "413"}),
        ("/api/v1/articles/{id_or_slug}/", "get", {"400", "404"}),
        (
            "/api/v1/articles/{id_or_slug}/",
            "patch",
            {"400", "401", "403", "404", "409", "412", "413", "428"},
        ),
        ("/api/v1/articles/{id_or_slug}/publish/", "post", {"400", "401", "403", "404", "409"}),
        ("/api/v1/articles/{id_or_slug}/retract/", "post", {"400", "401", "403", "404", "409"}),
        ("/api/v1/articles/{id_or_slug}/revisions/", "get", {"400", "401", "403", "404"}),
        ("/api/v1/entities/{id}/", "get", {"404"}),
    ],
)
def test_the_errors_an_operation_can_answer_are_documented(schema, path, method, codes):
    assert codes <= set(operation(schema, path, method)["responses"])


def test_the_constraints_the_server_enforces_are_documented(schema):
    articles = {p["name"]: p for p in operation(schema, "/api/v1/articles/", "get")["parameters"]}
    detail = {
        p["name"]: p
        for p in operation(schema, "/api/v1/articles/{id_or_slug}/", "get")["parameters"]
    }
    entity = {
        p["name"]: p for p in operation(schema, "/api/v1/entities/{id}/", "get")["parameters"]
    }

    assert (
        articles["page_size"]["schema"]["minimum"],
        articles["page_size"]["schema"]["maximum"],
    ) == (1, 100)
    assert detail["id_or_slug"]["schema"]["pattern"]
    assert detail["language"]["schema"]["maxLength"] == 35
    assert entity["id"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    body = schema["components"]["schemas"]["ArticleWriteRequest"]["properties"]["body"]
    assert body["maxLength"] == 1_000_000


def test_a_required_text_is_documented_as_needing_a_character_that_is_not_white_space(schema):
    # DRF strips what str.isspace() calls white space before it refuses a blank text; the
    # schema's pattern names the same characters (ECMAScript's \s does not: U+001C, U+0085).
    components = schema["components"]["schemas"]
    write = components["ArticleWriteRequest"]["properties"]
    followup = components["FollowUpInputRequest"]["properties"]

    assert write["headline"]["pattern"] == NOT_BLANK
    assert followup["what"]["pattern"] == NOT_BLANK
    # A text with its own pattern keeps it; one that may be blank gets none.
    assert write["language"]["pattern"] == BCP47.pattern
    assert "pattern" not in write["standfirst"]


def test_the_not_blank_pattern_refuses_exactly_what_drf_trims_to_nothing():
    pattern, field = re.compile(NOT_BLANK), CharField()
    disagree = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if (pattern.search(chr(code)) is None) != (field.to_internal_value(chr(code)) == "")
    ]

    assert disagree == []


def test_changing_a_closed_followup_is_documented_as_a_conflict(schema):
    for method in ("put", "patch"):
        assert "409" in operation(schema, "/api/v1/followups/{id}/", method)["responses"]


@pytest.mark.parametrize("text", ["", "-", ".", "-.", "7", "-0.5", ".5", "7.", "1" * 24, "1" * 25])
def test_a_decimal_pattern_accepts_exactly_what_the_field_accepts(text):
    from rest_framework import serializers

    from newsroom.openapi import decimal_pattern

    field = serializers.DecimalField(max_digits=30, decimal_places=6)
    try:
        field.run_validation(text)
        accepted = True
    except serializers.ValidationError:
        accepted = False
    assert bool(re.match(decimal_pattern(30, 6), text)) == accepted


def test_the_key_figures_value_needs_a_digit_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    figure = schema["components"]["schemas"]["KeyFigureInputRequest"]["properties"]["value"]
    assert not re.match(figure["pattern"], "")
    assert not re.match(figure["pattern"], "-.")
    assert re.match(figure["pattern"], "7000000000000")
