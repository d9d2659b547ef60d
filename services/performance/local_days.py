"""Periods of the city's local days, and SQL for a timestamp's local day or month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Period:
    """A span of the city's local days, first and last included."""

    first: date
    last: date
    tz: str

    @classmethod
    def year(cls, year: int, tz: str) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), tz)

    @classmethod
    def last_days(cls, days: int, today: date, tz: str) -> Period:
        return cls(today - timedelta(days=days - 1), today, tz)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, ZoneInfo(self.tz)).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the period."""
        after = self.last + timedelta(days=1)
        return datetime.combine(after, time.min, ZoneInfo(self.tz)).astimezone(UTC)

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.tz)).date()

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def holds(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)


def local_date(session: Session, column: Any, tz: str) -> Any:
    """SQL for the city's local date of a UTC timestamp column, on PostgreSQL and SQLite.
    Indonesia keeps no daylight saving time, so SQLite may add a fixed offset."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(tz, column))
    offset = datetime.now(ZoneInfo(tz)).utcoffset() or timedelta()
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def as_date(value: Any) -> date:
    """A local date as SQL returned it (a date on PostgreSQL, text on SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
