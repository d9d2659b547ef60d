"""The city's calendar: its time zone, its working week and its holidays (national, regional,
cuti bersama), built once by the app and handed to the use cases that count working days."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models import Agency, Holiday, HolidayKind
from services.working_days import OFFICE_WEEK, DaysOff, DaysOffLike, WorkWeek, due_at, local_day

DEFAULT_TIMEZONE = "Asia/Jakarta"


def holidays(session: Session) -> set[date]:
    """The holidays the administrators entered."""
    return set(session.scalars(select(Holiday.day)))


def city_days_off(entries: Iterable[tuple[date, HolidayKind]], week: WorkWeek) -> DaysOff:
    """The city's days off from its holiday table: cuti bersama kept apart from the others."""
    closed: set[date] = set()
    cuti: set[date] = set()
    for day, kind in entries:
        (cuti if kind is HolidayKind.CUTI_BERSAMA else closed).add(day)
    return DaysOff(frozenset(closed), frozenset(cuti), week)


def agency_week(work_week: str, counts_cuti_bersama: bool, city_week: WorkWeek) -> WorkWeek:
    """The week an agency's SLAs count: its own days when it names them ("mon-sat"), else the
    city's; and its own choice on cuti bersama."""
    days = WorkWeek.parse(work_week).weekdays if work_week else city_week.weekdays
    return WorkWeek(days, counts_cuti_bersama)


@dataclass(frozen=True)
class CityCalendar:
    """A city's time zone, working week and holidays: those in the database, or fixed ones (a
    fake for tests that need no database)."""

    timezone: str = DEFAULT_TIMEZONE
    fixed_holidays: frozenset[date] | None = None
    week: WorkWeek = OFFICE_WEEK

    def holidays(self, session: Session) -> set[date]:
        if self.fixed_holidays is not None:
            return set(self.fixed_holidays)
        return holidays(session)

    def days_off(self, session: Session, agency: Agency | None = None) -> DaysOff:
        """The days the SLAs of ``agency`` (or of the city as a whole) skip."""
        if self.fixed_holidays is not None:
            city = DaysOff(self.fixed_holidays, frozenset(), self.week)
        else:
            city = city_days_off(session.execute(select(Holiday.day, Holiday.kind)),
                                 self.week)
        if agency is None:
            return city
        return city.with_week(agency_week(agency.work_week, bool(agency.counts_cuti_bersama),
                                          self.week))

    def local_day(self, moment: datetime) -> date:
        return local_day(moment, self.timezone)

    def due_at(self, start: datetime, days: int, holiday_days: DaysOffLike) -> datetime:
        """The end of the ``days``-th working day after ``start``, in the city's time zone."""
        return due_at(start, days, holiday_days, self.timezone)


# The calendar a use case falls back on when its caller (a test, a script) gives none.
DEFAULT_CALENDAR = CityCalendar()
