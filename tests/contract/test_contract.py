"""The JSON contract, byte for byte: the OpenAPI schema and the demo's responses as each reader
sees them, compared with the files saved beside this test.

A refactoring must leave them unchanged; a deliberate change of the contract updates them with
``NEWSROOM_UPDATE_CONTRACT=1 make test PYTEST_ARGS=tests/contract`` and shows up in the diff.
Values that change from run to run (times, the signing of links) are replaced by placeholders;
ids are stable because the sequences are reset.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from articles.models import Article

HERE = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("NEWSROOM_UPDATE_CONTRACT") == "1"
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


def normalised(text: str) -> str:
    return TIME.sub("<time>", text)


def responses() -> dict[str, str]:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    admin = get_user_model().objects.create_superuser("contract-admin", "a@localhost", "x")
    anonymous, desk = APIClient(), APIClient()
    desk.force_login(admin)
    articles = {a.language: a for a in Article.objects.order_by("id")}
    urls = {
        "schema": (anonymous, "/api/schema/?format=json"),
        "public-list": (anonymous, "/api/v1/articles/"),
        "public-list-fr": (anonymous, "/api/v1/articles/?language=fr"),
        "public-entities": (anonymous, "/api/v1/entities/"),
        "desk-list": (desk, "/api/v1/articles/"),
        "desk-followups": (desk, "/api/v1/followups/"),
        "desk-images": (desk, "/api/v1/images/"),
    }
    for language, article in articles.items():
        urls[f"public-detail-{language}"] = (anonymous, f"/api/v1/articles/{article.pk}/")
        urls[f"public-detail-{language}-by-slug"] = (
            anonymous,
            f"/api/v1/articles/{article.slug}/",
        )
        urls[f"desk-revisions-{language}"] = (desk, f"/api/v1/articles/{article.pk}/revisions/")
        urls[f"desk-detail-{language}"] = (desk, f"/api/v1/articles/{article.pk}/")
    entity = articles["fr"].mentions.first().entity_id
    urls["public-entity"] = (anonymous, f"/api/v1/entities/{entity}/")
    out = {}
    for name, (client, url) in urls.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        # The bytes as served: key order, separators and escapes are part of the contract.
        out[name] = f"{response.status_code} {response['Content-Type']}\n"
        out[name] += normalised(response.content.decode()) + "\n"
    return out


def test_the_schema_and_the_demo_responses_are_unchanged():
    actual = responses()
    if UPDATE:
        HERE.mkdir(exist_ok=True)
        for name, text in actual.items():
            (HERE / f"{name}.txt").write_text(text)
    expected = {p.stem: p.read_text() for p in HERE.glob("*.txt")}
    assert sorted(actual) == sorted(expected)
    for name in actual:
        assert actual[name] == expected[name], f"{name} differs from tests/contract/snapshots"
