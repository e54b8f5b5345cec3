"""Liveness and readiness probes against the real database and broker."""

import contextlib
import copy
import socket

import pytest
from django.db import connections
from django.db.utils import load_backend

from articles.models import Article
from newsroom.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A loopback port bound by this test but not listening: connecting is refused at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def broker_unreachable(closed_port):
    """Point the Celery app at a Redis that refuses connections, then restore it."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{closed_port}/0"
    yield
    celery_app.conf.broker_url = previous


@contextlib.contextmanager
def unreachable_database(tmp_path, closed_port):
    """Swap in an unusable connection for the default alias; the test's own connection (and its
    transaction) is put back untouched afterwards."""
    original = connections["default"]
    settings_dict = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
        settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = 2
    broken = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


@pytest.fixture
def database_unreachable(tmp_path, closed_port):
    with unreachable_database(tmp_path, closed_port):
        yield


def test_healthz_answers_without_any_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_even_when_the_database_is_down(client, database_unreachable):
    assert client.get("/healthz").status_code == 200


def test_readyz_is_ok_when_the_database_and_the_broker_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_readyz_is_503_naming_the_broker_when_it_is_unreachable(client, broker_unreachable):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"
    assert "Error" in body["checks"]["broker"]


def test_readyz_is_503_naming_the_database_when_it_is_unreachable(client, database_unreachable):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("OperationalError")
    assert body["checks"]["broker"] == "ok"


def test_the_test_database_answers_again_once_the_probe_is_over(client, tmp_path, closed_port):
    from tests.factories import ArticleFactory

    article = ArticleFactory()
    with unreachable_database(tmp_path, closed_port):
        assert client.get("/readyz").status_code == 503
    assert client.get("/readyz").status_code == 200
    # Same connection, same transaction: the row written before the probe is still there.
    assert connections["default"].in_atomic_block
    assert Article.objects.filter(pk=article.pk).exists()
