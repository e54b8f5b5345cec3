"""newsroom.parsers: JSON bodies that would crash the server are refused with a JSON reason."""

import json

import pytest
from rest_framework.test import APIClient

from newsroom.parsers import MAX_DEPTH, nesting_depth

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/auth/tokens/"


def test_nesting_is_measured_outside_strings():
    assert nesting_depth(b'{"a": [1, {"b": "[[[{{{"}]}') == 3


def test_json_nested_a_thousand_deep_is_a_400_even_unauthenticated():
    body = "[" * 1000 + "]" * 1000

    response = APIClient().post(TOKENS, body, content_type="application/json")

    assert response.status_code == 400
    assert "nested too deep" in response.json()["detail"]


def test_json_nested_to_the_limit_is_parsed():
    body = json.dumps({"username": "x", "password": "y", "extra": [[[]]] if MAX_DEPTH > 4 else 0})

    response = APIClient().post(TOKENS, body, content_type="application/json")

    assert response.status_code != 500
    assert "nested too deep" not in response.content.decode()


def test_a_json_body_over_the_upload_limit_is_a_413_with_a_json_reason(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "x" * 2000, "password": "y"})

    response = APIClient().post(TOKENS, body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than the 1000 bytes" in response.json()["detail"]


def test_a_nul_in_a_form_encoded_article_is_a_400_naming_the_field(client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("form-admin", "f@localhost", "x")
    client.force_login(user)
    response = client.post(
        "/api/v1/articles/",
        {"headline": "A", "language": "fr", "tags": ["ok", "a\x00"]},
    )
    assert response.status_code == 400
    assert "tags[1]" in response.json()
