"""Every response carries a request id; every 5xx is logged with it and a 500 body names it."""

import logging
import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.request_id_urls")]

UUID_HEX = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_response_gets_a_generated_request_id(client):
    response = client.get("/api/v1/fine/")
    assert response.status_code == 200
    assert UUID_HEX.match(response["X-Request-ID"])


def test_each_request_gets_its_own_id(client):
    first = client.get("/api/v1/fine/")["X-Request-ID"]
    second = client.get("/api/v1/fine/")["X-Request-ID"]
    assert first != second


def test_the_proxys_request_id_is_echoed(client):
    response = client.get("/api/v1/fine/", HTTP_X_REQUEST_ID="edge-7f3a:42/abc")
    assert response["X-Request-ID"] == "edge-7f3a:42/abc"


@pytest.mark.parametrize(
    "hostile",
    [
        "forged\nINFO all is well",
        "x" * 201,
        "caf\u00e9",
        "tab\there",
        "\x00",
        "",
    ],
    ids=["newline", "too-long", "non-ascii", "control", "nul", "empty"],
)
def test_a_hostile_request_id_is_replaced(client, hostile):
    response = client.get("/api/v1/fine/", HTTP_X_REQUEST_ID=hostile)
    assert UUID_HEX.match(response["X-Request-ID"])


def test_an_id_of_200_printable_characters_is_kept(client):
    supplied = "a" * 199 + "~"
    assert client.get("/api/v1/fine/", HTTP_X_REQUEST_ID=supplied)["X-Request-ID"] == supplied


def test_a_crash_is_a_json_500_that_names_the_request_id(client, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.errors"):
        response = client.get("/api/v1/crash/?q=1", HTTP_X_REQUEST_ID="req-123")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error.", "request_id": "req-123"}
    assert response["X-Request-ID"] == "req-123"
    [record] = [r for r in caplog.records if r.name == "newsroom.errors"]
    assert record.levelno == logging.ERROR
    message = record.getMessage()
    assert "GET" in message and "/api/v1/crash/" in message and "req-123" in message
    assert record.request_id == "req-123"


def test_a_crash_inside_a_drf_view_names_the_generated_id(client, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.errors"):
        response = client.get("/api/v1/drf-crash/")
    assert response.status_code == 500
    generated = response["X-Request-ID"]
    assert UUID_HEX.match(generated)
    assert response.json()["request_id"] == generated
    assert any(generated in r.getMessage() for r in caplog.records if r.name == "newsroom.errors")


def test_a_5xx_from_the_drf_exception_handler_names_the_id_and_is_logged(client, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.errors"):
        response = client.get("/api/v1/unavailable/", HTTP_X_REQUEST_ID="req-503")
    assert response.status_code == 503
    assert response.json() == {"detail": "Try again later.", "request_id": "req-503"}
    assert any("503" in r.getMessage() for r in caplog.records if r.name == "newsroom.errors")


def test_a_logged_path_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.errors"):
        client.get("/api/v1/crash/%0Aforged")
    assert all("\n" not in r.getMessage() for r in caplog.records if r.name == "newsroom.errors")


def test_a_4xx_is_not_logged_as_an_error(client, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.errors"):
        response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert "X-Request-ID" in response
    assert not [r for r in caplog.records if r.name == "newsroom.errors"]
