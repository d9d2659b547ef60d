"""Threads in tests: every one started must have finished before the test looks at results."""

from __future__ import annotations

import threading
from collections.abc import Iterable


def join_all(threads: Iterable[threading.Thread], timeout: float = 120) -> None:
    """Join each thread (up to ``timeout`` seconds each) and fail if any is still running."""
    threads = list(threads)
    for thread in threads:
        thread.join(timeout)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"threads still running after {timeout} s: {stuck}"


def run_all(threads: Iterable[threading.Thread], timeout: float = 120) -> None:
    """Start every thread, then wait for all of them to finish."""
    threads = list(threads)
    for thread in threads:
        thread.start()
    join_all(threads, timeout)
