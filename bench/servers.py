"""What the benchmarks share: a fresh database with the demo catalog (PostgreSQL or SQLite), and
gunicorn started on a free 127.0.0.1 port and stopped again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.database import scratch_database, upgrade_database
from services.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TOKEN = "bench-device-token-" + uuid.uuid4().hex
BENCH_ENV = {"KIOSK_SECRET_KEY": "bench-secret", "KIOSK_PIN_KEY": "bench-pin-key",
             "KIOSK_DEMO_MODE": "1",
             "KIOSK_RATELIMIT_STORAGE_URI": "memory://"}


def admin_url() -> str:
    return os.environ.get("KIOSK_BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)


@contextmanager
def bench_database(kind: str, prefix: str = "ekiosk_bench") -> Iterator[str]:
    """A new empty database of ``kind`` ('postgres' or 'sqlite'), removed on exit."""
    if kind == "postgres":
        with scratch_database(admin_url(), prefix) as url:
            yield url
    else:
        with tempfile.TemporaryDirectory(prefix=prefix) as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"


def load_demo_catalog(url: str, device_token: str = TOKEN) -> None:
    """Migrate the database and load the Kota Contoh demo (catalog, staff, kiosk)."""
    upgrade_database(url)
    engine = create_engine(url, hide_parameters=True)
    with Session(engine) as session:
        load_demo(session, device_token=device_token)
        session.commit()
    engine.dispose()


class Gunicorn:
    """gunicorn serving ``app`` (e.g. ``wsgi:app``) on 127.0.0.1 with a port the system picks."""

    def __init__(self, app: str, url: str, *, workers: int = 2, threads: int = 4,
                 worker_class: str = "gthread", extra_env: dict[str, str] | None = None,
                 timeout: int = 60) -> None:
        self.app, self.url, self.workers, self.threads = app, url, workers, threads
        self.worker_class, self.timeout = worker_class, timeout
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[str] | None = None
        self._drain: threading.Thread | None = None
        self.base = ""
        self._instance = tempfile.TemporaryDirectory(prefix="ekiosk_bench_instance")

    def __enter__(self) -> Gunicorn:
        env = {**os.environ, **BENCH_ENV, "DATABASE_URL": self.url,
               "KIOSK_INSTANCE_PATH": self._instance.name, **self.extra_env}
        command = [str(Path(sys.executable).with_name("gunicorn")), "--bind", "127.0.0.1:0",
                   "--workers", str(self.workers), "--worker-class", self.worker_class,
                   "--timeout", str(self.timeout), "--log-level", "info",
                   "--config", str(ROOT / "gunicorn.conf.py")]
        if self.worker_class == "gthread":
            command += ["--threads", str(self.threads)]
        elif self.worker_class == "gevent":
            command += ["--worker-connections", str(self.threads * 25)]
        self.process = subprocess.Popen(command + [self.app], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True)
        try:
            self.base = self._wait_for_listening(time.monotonic() + 90)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
        self._instance.cleanup()

    def describe(self) -> str:
        if self.worker_class == "gthread":
            return f"gunicorn {self.workers} workers x {self.threads} threads (gthread)"
        return f"gunicorn {self.workers} workers ({self.worker_class})"

    def _wait_for_listening(self, deadline: float) -> str:
        assert self.process is not None and self.process.stderr is not None
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError("gunicorn exited before listening")
            if match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line):
                self._drain = threading.Thread(target=self.process.stderr.read, daemon=True)
                self._drain.start()
                wait_until_up(match.group(1), deadline)
                return match.group(1)
        raise RuntimeError("gunicorn did not start in time")

    def stop(self) -> None:
        """Stop the gunicorn this object started (its master, which stops its workers)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process is not None and self.process.stderr is not None:
            if self._drain is not None:
                self._drain.join(timeout=10)  # it ends at the pipe's end, now the process is gone
            self.process.stderr.close()


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass  # workers still booting
        time.sleep(0.2)
    raise RuntimeError("gunicorn never became healthy")


def bilingual(text: str) -> dict[str, str]:
    return {"id": text, "en": text}


def bench_catalog(agencies: list[str], services: list[tuple[str, str, int]]) -> dict[str, Any]:
    """A plain catalog for benchmarks: the agencies, and each service (code, agency, standard
    working days) with one text field and one step at its agency."""
    return {
        "categories": [{"code": "umum", "name": bilingual("Umum")}],
        "agencies": [{"code": code, "kind": "dinas", "name": bilingual(f"Dinas {code}")}
                     for code in agencies],
        "services": [{
            "code": code, "category": "umum", "name": bilingual(f"Layanan {code}"),
            "description": bilingual("-"), "requirements": {"id": ["KTP"], "en": ["KTP"]},
            "procedure": {"id": ["-"], "en": ["-"]}, "duration_days": days, "fee": 0,
            "fee_basis": bilingual("Tidak dipungut biaya"), "product": bilingual("Surat"),
            "product_kind": "answer", "dasar_hukum": {"id": ["-"], "en": ["-"]},
            "complaint_channel": bilingual("SP4N-LAPOR!"),
            "fields": [{"key": "purpose", "type": "text", "label": bilingual("Keperluan")}],
            "workflow": [{"stage": 1, "name": bilingual("Verifikasi"), "agency": agency,
                          "sla_days": 3}],
        } for code, agency, days in services],
    }
