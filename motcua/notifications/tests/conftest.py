"""Fake providers as local HTTP servers (a thread of http.server per test), the lifecycle
fixtures, and the notices switched on."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from motcua.dossiers.tests.conftest import (  # noqa: F401
    MONDAY,
    at,
    centre_clerk,
    commune_specialist,
    criminal_record,
    processing,
    receive,
    second_specialist,
)
from motcua.outbox import delivery


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeProvider:
    """Answers each call with the next of `answers` (then with the last one again): a
    (status, body) pair, or "timeout" (it answers after the client gave up)."""

    url: str
    calls: list[Call] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)

    def answer(self, path: str) -> Any:
        if len(self.answers) > 1:
            return self.answers.pop(0)
        if self.answers:
            return self.answers[0]
        if path.startswith("/zns"):  # Zalo's answer when it took the message
            return (200, {"error": 0, "message": "Success", "data": {"msg_id": "zns-1"}})
        return (200, b'{"ok": true}')


@pytest.fixture
def fake_provider():
    """A local HTTP server recording every call (FakeProvider)."""
    provider = FakeProvider(url="")

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            provider.calls.append(Call(self.command, self.path, headers, body))
            answer = provider.answer(self.path)
            if answer == "timeout":
                time.sleep(1.5)
                answer = (200, b'{"ok": true}')
            status, payload = answer
            if isinstance(payload, dict):
                payload = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout)

        do_GET = do_POST = _serve

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.url = f"http://127.0.0.1:{server.server_port}"
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def notify(settings):
    """Notices on, through every channel, no quiet hours; e-mail in Django's locmem box."""
    settings.MOTCUA_NOTIFY_CHANNELS = ["email", "sms", "zalo"]
    settings.MOTCUA_NOTIFY_QUIET_HOURS = ""
    settings.MOTCUA_NOTIFY_TIMEOUT = 0.5
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MOTCUA_NOTIFY_SMS = {}
    settings.MOTCUA_NOTIFY_ZALO = {}
    return settings


def drain(owner: str = "test-worker", moment=None) -> delivery.Summary:
    """The worker's delivery of every due message, again while new ones are due (the
    fan-out writes the channels' messages)."""
    total = delivery.Summary()
    for _ in range(5):
        if moment is not None:
            with at(moment):
                summary = delivery.deliver_due(owner)
        else:
            summary = delivery.deliver_due(owner)
        total.delivered += summary.delivered
        total.failed += summary.failed
        if not summary.delivered and not summary.failed:
            break
    return total
