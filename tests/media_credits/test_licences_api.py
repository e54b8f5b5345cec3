"""The licence catalogue through the API, named in the reader's language."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_every_licence_with_its_terms():
    response = APIClient().get("/api/v1/licences/")

    assert response.status_code == 200
    by_code = {item["code"]: item for item in response.json()}
    assert by_code["cc-by-nc-4.0"]["commercial_use_allowed"] is False
    assert by_code["cc-by-nc-4.0"]["attribution_required"] is True
    assert by_code["cc-by-nc-4.0"]["url"].startswith("https://creativecommons.org/")
    assert by_code["staff"]["name"] == "Staff work"


def test_names_follow_the_readers_language():
    response = APIClient().get("/api/v1/licences/staff/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response.json()["name"] == "Travail de la rédaction"


def test_an_unknown_code_is_a_404_that_says_so():
    response = APIClient().get("/api/v1/licences/no-such-licence/")

    assert response.status_code == 404
    assert response.json()["detail"] == "No licence with this code."
