"""Every operation documents the errors its machinery can answer (newsroom.openapi)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_every_operation_that_authenticates_documents_401_with_the_error_schema(schema):
    for path, method, operation in operations(schema):
        response = operation["responses"].get("401")
        if path in ("/api/v1/auth/login/", "/api/v1/auth/tokens/"):
            continue  # no authentication: credentials are what they take
        assert response is not None, f"{method} {path}"
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def test_every_route_with_a_path_parameter_documents_404(schema):
    for path, method, operation in operations(schema):
        if "{" in path:
            assert "404" in operation["responses"], f"{method} {path}"


def test_every_operation_with_a_body_documents_400_413_and_415(schema):
    for path, method, operation in operations(schema):
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(operation["responses"]), f"{method} {path}"


def test_operations_taking_if_match_document_412_and_428(schema):
    found = 0
    for path, method, operation in operations(schema):
        headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        if "If-Match" in headers:
            found += 1
            assert {"412", "428"} <= set(operation["responses"]), f"{method} {path}"
    assert found >= 2


def test_workflow_actions_document_409(schema):
    for action in ("submit", "publish", "schedule", "retract"):
        operation = schema["paths"][f"/api/v1/articles/{{id_or_slug}}/{action}/"]["post"]
        assert "409" in operation["responses"]
    for action in ("snooze", "done", "cancel"):
        operation = schema["paths"][f"/api/v1/followups/{{id}}/{action}/"]["post"]
        assert "409" in operation["responses"]


def test_text_filters_require_a_character_as_the_server_does(schema):
    parameters = schema["paths"]["/api/v1/articles/"]["get"]["parameters"]
    q = next(p for p in parameters if p["name"] == "q")
    assert q["schema"]["minLength"] == 1


def test_a_done_followups_next_check_is_documented_nullable_in_responses_only(schema):
    components = schema["components"]["schemas"]
    assert components["FollowUp"]["properties"]["next_check_at"].get("nullable") is True
    assert not components["FollowUpRequest"]["properties"]["next_check_at"].get("nullable")
