"""The clock use cases read the time from: built once by the app, a fake one in tests.

The only module of services/ that reads the wall clock (tests/test_architecture.py checks)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


def utcnow() -> datetime:
    """The current time as an aware UTC datetime: the wall clock, for the app's SystemClock
    and for the models' column defaults."""
    return datetime.now(UTC)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return utcnow()
