"""The clock use cases read the time from: built once by the app, a fake one in tests."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from services.db import utcnow


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return utcnow()
