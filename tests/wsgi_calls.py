"""Requests made as a WSGI server makes them, to the project's WSGI layers, on the test database."""

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


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django's handler closes "obsolete" connections at each request's start and end: the
    test's own, inside its transaction, here (as the test client avoids it too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
