"""Requests made as a WSGI server makes them, to the project's WSGI layers, on the test database."""

import contextlib
import io

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


def call(app, path: str, **headers) -> tuple[int, dict, bytes]:
    """One request as a WSGI server makes it: (status, headers, body)."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": headers.pop("method", "GET"),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": headers.pop("host", "testserver"),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper()] = value
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status[:3])
        answer["headers"] = {name.lower(): value for name, value in response_headers}

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return answer["status"], answer["headers"], body


@contextlib.contextmanager
def in_process_requests():
    """Requests through the WSGI app inside the test's transaction, as Django's test client does
    (https://docs.djangoproject.com/en/5.2/topics/testing/tools/#the-test-client): the signal
    that closes "obsolete" connections would otherwise close the test's own. (The test client
    reconnects it after each of its requests, so nothing here may use it.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """For every test of a module that imports it: see in_process_requests."""
    with in_process_requests():
        yield
