"""Killing the worker (SIGKILL, mid-run) and starting it again loses no message and sends none
twice: claims are leases in the database, and the folder provider writes each key once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.models import OutboxMessage, OutboxState
from services.outbox.notices import notify_citizen
from tests.builders.outbox import submit_notified
from tests.builders.workflow import WEDNESDAY, make_city

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = 300


def worker(database_url: str, folder: Path, instance: Path, log: Path,
           *args: str) -> subprocess.Popen:
    env = {**os.environ, "KIOSK_DEMO_MODE": "1", "FLASK_APP": "wsgi:app", "DATABASE_URL": database_url,
           "KIOSK_INSTANCE_PATH": str(instance), "KIOSK_SECRET_KEY": "test-secret",
           "KIOSK_NOTIFY_FOLDER": str(folder), "KIOSK_NOTIFY_QUIET_HOURS": "none",
           "KIOSK_OUTBOX_LEASE_SECONDS": "2", "KIOSK_OUTBOX_BATCH_SIZE": "10",
           "KIOSK_OUTBOX_POLL_SECONDS": "0.2"}
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "flask", "outbox", "work",
                                 "--no-sla-sweep", *args], cwd=ROOT, env=env, stdout=output,
                                stderr=subprocess.STDOUT)


def delivered(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.exists() else []


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing_and_sends_nothing_twice(
        session, database_url, tmp_path, monkeypatch):
    make_city(session)
    request, _ = submit_notified(session, "whatsapp", now=WEDNESDAY)
    for number in range(MESSAGES - 1):
        notify_citizen(session, subject=f"request:{request.tracking_code}",
                       event_key=f"bulk:{number}", event_kind="submitted", template="received",
                       params={"code": f"C{number}"}, now=WEDNESDAY - timedelta(minutes=1))
    session.commit()
    folder, instance = tmp_path / "messages", tmp_path / "instance"

    log = tmp_path / "worker.log"
    first = worker(database_url, folder, instance, log)
    deadline = time.monotonic() + 120
    while len(delivered(folder)) < 30 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    session.expire_all()
    sent_before = session.scalar(select(func.count()).where(
        OutboxMessage.state == OutboxState.SENT))
    session.commit()  # end the read (on SQLite every transaction holds the write lock)
    assert 0 < sent_before < MESSAGES, "the worker was not killed mid-run"

    time.sleep(2.5)  # the killed worker's lease runs out
    second = worker(database_url, folder, instance, log, "--once")
    assert second.wait(timeout=300) == 0, log.read_text()

    session.expire_all()
    rows = list(session.scalars(select(OutboxMessage)))
    assert {row.state for row in rows} == {OutboxState.SENT}
    files = delivered(folder)
    assert len(files) == MESSAGES
    keys = [json.loads(path.read_text())["key"] for path in files]
    assert sorted(keys) == sorted(row.dedup_key for row in rows)
    # Only the batch in flight at the kill was tried again.
    assert sum(row.attempts > 1 for row in rows) <= 10
