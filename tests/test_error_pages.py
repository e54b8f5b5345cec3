"""Errors are JSON for API clients and HTML for people."""

import json

import pytest

from newsroom.views import not_found, server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_is_html_unless_json_is_asked_for(client):
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    api = client.get("/no-such-page/", HTTP_ACCEPT="application/json")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not found."}


def test_a_server_error_is_json_for_the_api_and_html_elsewhere(rf):
    api = server_error(rf.get("/api/v1/articles/"))
    assert api.status_code == 500
    assert json.loads(api.content) == {"detail": "Server error."}
    page = server_error(rf.get("/admin/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_the_404_handler_answers_json_for_api_requests(rf):
    response = not_found(rf.get("/api/v1/whatever/"), Exception("gone"))
    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "Not found."}


def test_the_api_root_lists_the_resources(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json()) == {"articles", "entities", "followups"}


def test_a_bad_request_outside_drf_is_json_for_the_api_with_a_reason(rf):
    from django.core.exceptions import RequestDataTooBig

    from newsroom.views import bad_request

    too_big = bad_request(rf.post("/api/v1/articles/"), RequestDataTooBig("too big"))
    assert too_big.status_code == 413
    assert "larger" in json.loads(too_big.content)["detail"]
    page = bad_request(rf.get("/admin/"), None)
    assert page["Content-Type"].startswith("text/html")


def test_a_form_body_over_the_limit_is_a_json_413_on_the_api(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = client.post("/api/v1/auth/tokens/", {"username": "x" * 500, "password": "y"})

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
