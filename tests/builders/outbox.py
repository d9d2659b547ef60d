"""Helpers for outbox tests: a local HTTP server that behaves like a provider (scripted
answers: 200, 429, 500, or a hang past the client's timeout), settings, and submissions."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy.orm import Session

from services.models import Channel, ServiceRequest
from services.outbox.policy import RetryPolicy, parse_quiet_hours
from services.outbox.worker import OutboxSettings
from services.submission import Submission, submit_request
from services.unit_of_work import UnitOfWork
from tests.builders import APPLICANT, PINS, SECRET, WEDNESDAY
from tests.threads import join_all

# The fake providers listen on loopback, which the outbound guard refuses unless allowed.
LOOPBACK = ("127.0.0.1",)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeProvider:
    """Answers each POST with the next scripted reply (then 200): an int status, ``"hang"``
    (sleeps past the client's timeout), or ``(status, {headers})``."""

    script: list[Any] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    hang_seconds: float = 2.0
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_reply(self) -> Any:
        with self.lock:
            return self.script.pop(0) if self.script else 200


@contextmanager
def fake_provider(script: list[Any] | None = None, *, check: Any = None) -> Iterator[FakeProvider]:
    """A provider on a free 127.0.0.1 port; ``check(received) -> int`` may decide the status."""
    provider = FakeProvider(script=list(script or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            item = Received(self.path, dict(self.headers.items()), body, time.time())
            reply = provider.next_reply()
            with provider.lock:
                provider.received.append(item)
            if reply == "hang":
                time.sleep(provider.hang_seconds)
                reply = 200
            status, headers = reply if isinstance(reply, tuple) else (reply, {})
            if check is not None and status == 200:
                status = check(item)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            answer = json.dumps({"messages": [{"id": "wamid.test"}]} if status == 200
                                else {"error": {"code": status}}).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            with suppress(BrokenPipeError):  # the client gave up waiting (a timeout under test)
                self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        join_all([thread], timeout=10)


def settings(**overrides: Any) -> OutboxSettings:
    """Worker settings for tests: no quiet hours, quick retries."""
    values: dict[str, Any] = {
        "secret": SECRET, "base_url": "https://layanan.example.go.id",
        "quiet": parse_quiet_hours("none", "Asia/Jakarta"),
        "retry": RetryPolicy(max_attempts=3, first_delay_seconds=60),
        "lease_seconds": 300,
    }
    values.update(overrides)
    return OutboxSettings(**values)


def submit_notified(session: Session, notify: str = "whatsapp", *, service: str = "SKTM",
                    language: str = "id", now: datetime = WEDNESDAY) -> tuple[ServiceRequest, str]:
    """Submit a request whose citizen chose to be told on ``notify``; return it and its PIN."""
    answers = {"floor_area": 750} if service == "PBG" else {"kecamatan": "utara"}
    with UnitOfWork(session, keep_loaded=True):
        result = submit_request(session, Submission(service_code=service, applicant=APPLICANT,
                                                    answers=answers, channel=Channel.KIOSK,
                                                    language=language, notify=notify,
                                                    actor_label="e-Kios TEST"),
                                pins=PINS, now=now)
    return result.request, result.pin
