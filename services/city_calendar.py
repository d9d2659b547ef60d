"""The city's calendar: its time zone and its holidays, built once by the app and handed to
the use cases that count working days."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models import Holiday
from services.working_days import due_at, local_day

DEFAULT_TIMEZONE = "Asia/Jakarta"


def holidays(session: Session) -> set[date]:
    """The holidays the administrators entered."""
    return set(session.scalars(select(Holiday.day)))


@dataclass(frozen=True)
class CityCalendar:
    """A city's time zone, and its holidays: those in the database, or fixed ones (a fake for
    tests that need no database)."""

    timezone: str = DEFAULT_TIMEZONE
    fixed_holidays: frozenset[date] | None = None

    def holidays(self, session: Session) -> set[date]:
        if self.fixed_holidays is not None:
            return set(self.fixed_holidays)
        return holidays(session)

    def local_day(self, moment: datetime) -> date:
        return local_day(moment, self.timezone)

    def due_at(self, start: datetime, days: int, holiday_days: Collection[date]) -> datetime:
        """The end of the ``days``-th working day after ``start``, in the city's time zone."""
        return due_at(start, days, holiday_days, self.timezone)


# The calendar a use case falls back on when its caller (a test, a script) gives none.
DEFAULT_CALENDAR = CityCalendar()
