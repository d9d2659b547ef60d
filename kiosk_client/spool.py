"""The local spool: every job the server handed over, kept in SQLite until the server has heard
that it printed, so nothing is lost when the network, the server, the printer or the PC fails.
Jobs are known by the server's id, so a job handed over twice prints once."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

SCHEMA = """
CREATE TABLE IF NOT EXISTS job (
    id INTEGER PRIMARY KEY,          -- the server's print job id
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,           -- what to print, as the server sent it
    state TEXT NOT NULL,             -- waiting, printed, failed (both still to acknowledge), done
    result TEXT NOT NULL DEFAULT '', -- printed or failed, once decided
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    printed_at TEXT
);
"""


@dataclass(frozen=True)
class SpooledJob:
    id: int
    kind: str
    payload: dict[str, Any]
    state: str
    attempts: int
    error: str


class Spool(Protocol):
    def add(self, job: dict[str, Any]) -> bool: ...

    def waiting(self) -> list[SpooledJob]: ...

    def record_attempt(self, job_id: int, error: str) -> int: ...

    def mark_printed(self, job_id: int) -> None: ...

    def mark_failed(self, job_id: int, error: str) -> None: ...

    def unacknowledged(self) -> list[SpooledJob]: ...

    def mark_acknowledged(self, job_id: int) -> None: ...

    def last_printed(self) -> SpooledJob | None: ...


def _now() -> str:
    return datetime.now(UTC).isoformat()


class SqliteSpool:
    """The spool in one SQLite file; every change is committed before the next step."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        self.connection = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        if new:
            os.chmod(path, 0o600)  # receipts carry PINs
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=FULL")  # a printed mark survives power loss
        self.connection.executescript(SCHEMA)

    def close(self) -> None:
        self.connection.close()

    def _jobs(self, where: str, *args: Any) -> list[SpooledJob]:
        # `where` is always one of this class's own fixed clauses; values are bound (?).
        rows = self.connection.execute(
            f"SELECT id, kind, payload, state, attempts, error FROM job WHERE {where}",  # nosec B608
            args
        ).fetchall()
        return [SpooledJob(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5])
                for row in rows]

    def add(self, job: dict[str, Any]) -> bool:
        """Keep a job the server handed over; False if it was known already. A known job the
        server still waits on gets its acknowledgement sent again, never printed again."""
        inserted = self.connection.execute(
            "INSERT OR IGNORE INTO job (id, kind, payload, state, received_at) "
            "VALUES (?, ?, ?, 'waiting', ?)",
            (int(job["id"]), str(job.get("kind", "receipt")), json.dumps(job), _now()),
        ).rowcount
        if not inserted:
            self.connection.execute(
                "UPDATE job SET state = result WHERE id = ? AND state = 'done'", (int(job["id"]),)
            )
        return bool(inserted)

    def waiting(self) -> list[SpooledJob]:
        return self._jobs("state = 'waiting' ORDER BY id")

    def record_attempt(self, job_id: int, error: str) -> int:
        self.connection.execute(
            "UPDATE job SET attempts = attempts + 1, error = ? WHERE id = ?", (error, job_id)
        )
        row = self.connection.execute("SELECT attempts FROM job WHERE id = ?", (job_id,)).fetchone()
        return int(row[0])

    def mark_printed(self, job_id: int) -> None:
        self.connection.execute(
            "UPDATE job SET state = 'printed', result = 'printed', printed_at = ?, error = '' "
            "WHERE id = ? AND state = 'waiting'", (_now(), job_id))

    def mark_failed(self, job_id: int, error: str) -> None:
        self.connection.execute(
            "UPDATE job SET state = 'failed', result = 'failed', error = ? "
            "WHERE id = ? AND state = 'waiting'", (error, job_id))

    def unacknowledged(self) -> list[SpooledJob]:
        return self._jobs("state IN ('printed', 'failed') ORDER BY id")

    def mark_acknowledged(self, job_id: int) -> None:
        """The server knows; forget what the job printed, except the last receipt (reprint)."""
        with self.connection:
            self.connection.execute("BEGIN")
            self.connection.execute("UPDATE job SET state = 'done' WHERE id = ?", (job_id,))
            last = self.last_printed()
            self.connection.execute(
                "UPDATE job SET payload = '{}' WHERE state = 'done' AND id != ?",
                (last.id if last else -1,))

    def last_printed(self) -> SpooledJob | None:
        jobs = self._jobs("result = 'printed' ORDER BY printed_at DESC, id DESC LIMIT 1")
        return jobs[0] if jobs else None

    def counts(self) -> dict[str, int]:
        return dict(self.connection.execute("SELECT state, count(*) FROM job GROUP BY state"))
