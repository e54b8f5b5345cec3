"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records what it accepts."""

import asyncio
import email
import socket
import threading
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SinkHandler:
    """Counts attempts and accepted messages by Message-ID.

    `fail_first`: the first N attempts of each Message-ID get `fail_code`. `delay`: seconds the
    server waits before answering 250, so that a test can kill a client in between.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.attempts: Counter[str] = Counter()
        self.accepted: list[str] = []
        self.messages: list[email.message.Message] = []
        self.fail_first = 0
        self.fail_code = "451 4.3.0 Try again later"
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        message_id = message.get("Message-ID", "")
        with self.lock:
            self.attempts[message_id] += 1
            attempt = self.attempts[message_id]
        if attempt <= self.fail_first:
            return self.fail_code
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.accepted.append(message_id)
            self.messages.append(message)
        return "250 2.0.0 OK"

    def accepted_ids(self) -> list[str]:
        with self.lock:
            return list(self.accepted)

    def counts(self) -> Counter:
        return Counter(self.accepted_ids())


class Sink:
    def __init__(self) -> None:
        self.handler = SinkHandler()
        self.port = free_port()
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=30
        )

    def __enter__(self) -> "Sink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


@pytest.fixture
def smtp_sink():
    with Sink() as sink:
        yield sink


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.2):
    """Poll until predicate() is truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
