"""The public read path on a real PostgreSQL connection that the server drops."""

import psycopg
import pytest
from django.db import connection

from tests.factories import full_article

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def terminate_our_backend() -> None:
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_public_read_survives_a_connection_the_database_dropped(client):
    article = full_article()
    url = f"/api/v1/articles/{article.pk}/"
    assert client.get(url).status_code == 200
    assert client.get("/api/v1/articles/").status_code == 200

    terminate_our_backend()
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["id"] == article.pk

    terminate_our_backend()
    assert [a["id"] for a in client.get("/api/v1/articles/").json()["results"]] == [article.pk]
