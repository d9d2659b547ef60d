"""Working-day arithmetic for SLA deadlines: a unit's days off (its weekly rest days, the
holidays, and cuti bersama unless the unit serves then) do not count."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A deadline falls at the close of the last working day, in the city's time zone.
END_OF_DAY = time(23, 59, 59)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkWeek:
    """The weekdays a unit serves (0 = Monday) and whether its SLAs count cuti bersama as
    working days (public-service units are expected to keep serving on them)."""

    weekdays: frozenset[int] = frozenset(range(5))
    counts_cuti_bersama: bool = False

    @classmethod
    def parse(cls, text: str, *, counts_cuti_bersama: bool = False) -> WorkWeek:
        """ "mon-fri", "mon-sat" or a list "mon,tue,sat"; ValueError on anything else."""
        text = text.strip().lower()
        if "-" in text and "," not in text:
            first, last = (WEEKDAYS.index(part.strip()) for part in text.split("-", 1))
            days = frozenset(range(first, last + 1))
        else:
            days = frozenset(WEEKDAYS.index(part.strip()) for part in text.split(","))
        if not days:
            raise ValueError(text)
        return cls(days, counts_cuti_bersama)

    def name(self) -> str:
        """ "mon-fri", "mon-sat", or the list of days."""
        days = sorted(self.weekdays)
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
            return f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
        return ",".join(WEEKDAYS[day] for day in days)


OFFICE_WEEK = WorkWeek()


@dataclass(frozen=True)
class DaysOff:
    """The days one unit's SLAs skip: its week's rest days, the holidays (national and
    regional) and, unless its week counts them, the cuti bersama days."""

    holidays: frozenset[date] = frozenset()
    cuti_bersama: frozenset[date] = frozenset()
    week: WorkWeek = OFFICE_WEEK

    def is_working_day(self, day: date) -> bool:
        if day.weekday() not in self.week.weekdays or day in self.holidays:
            return False
        return self.week.counts_cuti_bersama or day not in self.cuti_bersama

    def with_week(self, week: WorkWeek | None) -> DaysOff:
        """The same holidays seen by a unit with another week (``None``: this one)."""
        return self if week is None or week == self.week else DaysOff(
            self.holidays, self.cuti_bersama, week)


DaysOffLike = DaysOff | Collection[date]


def days_off(value: DaysOffLike) -> DaysOff:
    """A plain collection of holidays is a Monday-to-Friday office's days off."""
    return value if isinstance(value, DaysOff) else DaysOff(frozenset(value))


def is_working_day(day: date, holidays: DaysOffLike) -> bool:
    return days_off(holidays).is_working_day(day)


def add_working_days(start: date, days: int, holidays: DaysOffLike) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    holidays = days_off(holidays)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, holidays: DaysOffLike) -> int:
    """How many working days lie after ``start`` up to and including ``end``."""
    holidays = days_off(holidays)
    if end <= start:
        return 0
    return sum(
        1 for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset), holidays)
    )


def due_at(start: datetime, days: int, holidays: DaysOffLike, tz: str) -> datetime:
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


def shift_due_at(due: datetime, days: int, holidays: DaysOffLike, tz: str) -> datetime:
    """Move a deadline ``days`` working days later, keeping it at the close of a local day."""
    if days <= 0:
        return due
    zone = ZoneInfo(tz)
    moved = add_working_days(local_day(due, tz), days, holidays)
    return datetime.combine(moved, END_OF_DAY, tzinfo=zone).astimezone(UTC)


def stopped_working_days(stopped_at: datetime, resumed_at: datetime,
                         holidays: DaysOffLike, tz: str) -> int:
    """How many working days the SLA clock stood still: the local working days after the day
    it stopped, up to and including the day it resumed (same day: none)."""
    return working_days_between(local_day(stopped_at, tz), local_day(resumed_at, tz), holidays)
