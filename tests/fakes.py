"""Fakes for the seams the app builds once: a clock that says what the test tells it."""

from __future__ import annotations

from datetime import datetime, timedelta


class FakeClock:
    """A clock standing still at ``at`` until the test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)
