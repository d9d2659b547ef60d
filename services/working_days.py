"""Working-day arithmetic for SLA deadlines: weekends and holidays do not count."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A deadline falls at the close of the last working day, in the city's time zone.
END_OF_DAY = time(23, 59, 59)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """How many working days lie after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    return sum(
        1 for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset), holidays)
    )


def due_at(start: datetime, days: int, holidays: Collection[date], tz: str) -> datetime:
    """The UTC deadline ``days`` working days after ``start``, at the end of that local day;
    0 days is the same working day (the next one when ``start`` falls on a day off)."""
    zone = ZoneInfo(tz)
    local_day = start.astimezone(zone).date()
    if days == 0 and not is_working_day(local_day, holidays):
        days = 1
    due_day = add_working_days(local_day, days, holidays)
    return datetime.combine(due_day, END_OF_DAY, tzinfo=zone).astimezone(UTC)


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


def shift_due_at(due: datetime, days: int, holidays: Collection[date], tz: str) -> datetime:
    """Move a deadline ``days`` working days later, keeping it at the close of a local day."""
    if days <= 0:
        return due
    zone = ZoneInfo(tz)
    moved = add_working_days(local_day(due, tz), days, holidays)
    return datetime.combine(moved, END_OF_DAY, tzinfo=zone).astimezone(UTC)


def stopped_working_days(stopped_at: datetime, resumed_at: datetime,
                         holidays: Collection[date], tz: str) -> int:
    """How many working days the SLA clock stood still: the local working days after the day
    it stopped, up to and including the day it resumed (same day: none)."""
    return working_days_between(local_day(stopped_at, tz), local_day(resumed_at, tz), holidays)
