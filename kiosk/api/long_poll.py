"""Long polling for print jobs: a kiosk's request for its jobs is held until one exists or the
hold ends, so a receipt starts printing within a second of the tap instead of after the next
5-second poll. It works through any HTTP proxy (a plain GET), on PostgreSQL and SQLite.

One watch per process: while anyone is held, one thread reads the newest print job id every
``interval`` seconds and wakes the held requests when it moves (a job queued by this process
wakes them at once). A held request holds no database connection, and only ``slots`` requests
per process are held at a time, so gunicorn's gthread threads are never all taken by kiosks
waiting; a request that finds no slot is answered at once and told so."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine, func, select

from services.db import expect_writes, stop_expecting
from services.models import PrintJob

LONG_POLL_MAX_SECONDS = 25.0
_UNSEEN = object()
RECHECK_SECONDS = 2.0  # a held request looks at its own jobs this often in any case


class PrintJobWatch:
    """Wakes held print-job requests when a new print job may exist."""

    def __init__(self, newest_job_id: Callable[[], int | None], *, slots: int = 2,
                 interval: float = 0.1) -> None:
        self._newest_job_id = newest_job_id
        self._interval = interval
        self._changed = threading.Condition()
        self._version = 0
        self._held = 0
        self._slots = threading.BoundedSemaphore(slots) if slots > 0 else None
        self._watcher: threading.Thread | None = None

    @classmethod
    def on_engine(cls, engine: Engine, **options: float) -> PrintJobWatch:
        def newest() -> int | None:
            reading = expect_writes(False)  # on SQLite: a reader, never the write lock
            try:
                with engine.connect() as connection:
                    return connection.execute(select(func.max(PrintJob.id))).scalar()
            finally:
                stop_expecting(reading)
        return cls(newest, **options)  # type: ignore[arg-type]

    @property
    def version(self) -> int:
        """Moves whenever a new job may exist; read it before looking for jobs."""
        with self._changed:
            return self._version

    def notify(self) -> None:
        """A job was just queued (by this process): wake every held request."""
        with self._changed:
            self._version += 1
            self._changed.notify_all()

    def hold(self) -> bool:
        """Take a slot for one held request; False when every slot is taken."""
        if self._slots is None or not self._slots.acquire(blocking=False):
            return False
        with self._changed:
            self._held += 1
            if self._watcher is None or not self._watcher.is_alive():
                self._watcher = threading.Thread(target=self._watch, name="print-job-watch",
                                                 daemon=True)
                self._watcher.start()
        return True

    def release(self) -> None:
        with self._changed:
            self._held -= 1
        assert self._slots is not None
        self._slots.release()

    def wait(self, seen: int, timeout: float) -> int:
        """Wait until the version moves past ``seen`` or ``timeout`` passes; the version."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != seen, timeout=max(0.0, timeout))
            return self._version

    def _watch(self) -> None:
        newest: object = _UNSEEN
        while True:
            with self._changed:
                if self._held == 0:
                    self._watcher = None
                    return  # the next hold starts a new watcher
            try:
                latest = self._newest_job_id()
            except Exception:  # the database is away: held requests recheck on their own
                latest = newest
            if latest != newest:  # the first read too: a job may have come as the watch began
                self.notify()
                newest = latest
            time.sleep(self._interval)
