"""The city calendar: working weeks per city and agency, cuti bersama as its own kind of day
off that each agency counts or not, and SLA deadlines of a six-day-week agency."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from services.city_calendar import CityCalendar, agency_week, city_days_off
from services.models import Agency, Holiday, HolidayKind
from services.working_days import (
    DaysOff,
    WorkWeek,
    add_working_days,
    due_at,
    working_days_between,
)
from tests.builders.workflow import open_task, submit

OFFICE = WorkWeek()
SIX_DAYS = WorkWeek.parse("mon-sat")
CHRISTMAS = date(2026, 12, 25)  # a Friday
CUTI = date(2026, 12, 24)  # Thursday, cuti bersama
TZ = "Asia/Jakarta"


def off(week: WorkWeek = OFFICE, *, counts_cuti: bool = False,
        holidays: tuple[date, ...] = (CHRISTMAS,)) -> DaysOff:
    return DaysOff(frozenset(holidays), frozenset({CUTI}),
                   WorkWeek(week.weekdays, counts_cuti))


@pytest.mark.parametrize(("text", "weekdays", "name"), [
    ("mon-fri", {0, 1, 2, 3, 4}, "mon-fri"),
    ("Mon-Sat", {0, 1, 2, 3, 4, 5}, "mon-sat"),
    ("mon,tue,sat", {0, 1, 5}, "mon,tue,sat"),
])
def test_a_work_week_is_read_from_its_short_name(text, weekdays, name):
    week = WorkWeek.parse(text)
    assert week.weekdays == frozenset(weekdays)
    assert week.name() == name


@pytest.mark.parametrize("text", ["", "monday-friday", "mon-xyz"])
def test_a_work_week_that_names_no_days_is_refused(text):
    with pytest.raises(ValueError):
        WorkWeek.parse(text)


@pytest.mark.parametrize(("day", "days_off", "working"), [
    (date(2026, 12, 26), off(), False),  # Saturday, office week
    (date(2026, 12, 26), off(SIX_DAYS), True),  # Saturday, six-day week
    (date(2026, 12, 27), off(SIX_DAYS), False),  # Sunday, six-day week
    (CHRISTMAS, off(SIX_DAYS, counts_cuti=True), False),  # a holiday closes every week
    (CUTI, off(), False),  # cuti bersama, not counted
    (CUTI, off(counts_cuti=True), True),  # cuti bersama counted as a working day
    (date(2026, 12, 26), off(SIX_DAYS, holidays=(date(2026, 12, 26),)), False),  # libur daerah
])
def test_a_day_is_a_working_day_by_the_units_week_and_holidays(day, days_off, working):
    assert days_off.is_working_day(day) is working


@pytest.mark.parametrize(("days_off", "expected"), [
    # Wed 23 Dec + 2: Thu cuti, Fri Christmas, weekend, then Mon 28 and Tue 29.
    (off(), date(2026, 12, 29)),
    # Counting cuti bersama: Thu 24, then Mon 28.
    (off(counts_cuti=True), date(2026, 12, 28)),
    # Six days: Sat 26, then Mon 28.
    (off(SIX_DAYS), date(2026, 12, 28)),
    # Six days counting cuti bersama: Thu 24, Sat 26.
    (off(SIX_DAYS, counts_cuti=True), date(2026, 12, 26)),
    # Six days with a libur daerah on Saturday: Mon 28, Tue 29.
    (off(SIX_DAYS, holidays=(CHRISTMAS, date(2026, 12, 26))), date(2026, 12, 29)),
])
def test_deadlines_skip_the_units_days_off(days_off, expected):
    assert add_working_days(date(2026, 12, 23), 2, days_off) == expected


def test_a_plain_set_of_holidays_is_a_monday_to_friday_office():
    assert add_working_days(date(2026, 12, 23), 2, {CHRISTMAS, CUTI}) == date(2026, 12, 29)
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 31), {CHRISTMAS}) == 5
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 31), off(SIX_DAYS)) == 5


def test_a_same_day_service_on_saturday_is_due_that_day_only_in_a_six_day_week():
    saturday_morning = datetime(2026, 12, 26, 2, 0, tzinfo=UTC)  # 09:00 WIB
    assert due_at(saturday_morning, 0, off(SIX_DAYS), TZ) == datetime(
        2026, 12, 26, 16, 59, 59, tzinfo=UTC)
    assert due_at(saturday_morning, 0, off(), TZ) == datetime(2026, 12, 28, 16, 59, 59, tzinfo=UTC)


def test_the_city_keeps_cuti_bersama_apart_and_an_agency_chooses_its_week():
    city = city_days_off([(CHRISTMAS, HolidayKind.NATIONAL), (CUTI, HolidayKind.CUTI_BERSAMA),
                          (date(2026, 10, 7), HolidayKind.REGIONAL)], OFFICE)
    assert city.holidays == {CHRISTMAS, date(2026, 10, 7)}
    assert city.cuti_bersama == {CUTI}
    assert agency_week("", False, SIX_DAYS) == WorkWeek(SIX_DAYS.weekdays, False)
    assert agency_week("mon-sat", True, OFFICE) == WorkWeek(SIX_DAYS.weekdays, True)


def test_a_six_day_week_agency_gets_its_saturday_in_its_deadlines(session, staff):
    session.add_all([
        Holiday(day=date(2026, 11, 30), name_id="Libur", name_en="Holiday",
                kind=HolidayKind.CUTI_BERSAMA),
        Holiday(day=date(2026, 12, 1), name_id="Libur daerah", name_en="Regional holiday",
                kind=HolidayKind.REGIONAL),
    ])
    dpmptsp = session.scalar(select(Agency).where(Agency.code == "DPMPTSP"))
    dpmptsp.work_week = "mon-sat"
    session.commit()
    friday = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    request, _ = submit(session, now=friday)
    # Fri + 2 working days at a six-day agency: Sat 28, then Mon 30 is cuti bersama and Tue 1
    # a libur daerah, so Wed 2 Dec.
    assert open_task(session, request, "DPMPTSP").due_at == datetime(2026, 12, 2, 16, 59, 59,
                                                                      tzinfo=UTC)
    dpmptsp.counts_cuti_bersama = True
    session.commit()
    request, _ = submit(session, now=friday)
    # Counting cuti bersama: Sat 28, Mon 30.
    assert open_task(session, request, "DPMPTSP").due_at == datetime(2026, 11, 30, 16, 59, 59,
                                                                      tzinfo=UTC)


def test_a_city_calendar_gives_an_agency_its_own_days_off(session, staff):
    session.add(Holiday(day=CUTI, name_id="Cuti bersama", name_en="Collective leave",
                        kind=HolidayKind.CUTI_BERSAMA))
    dpmptsp = session.scalar(select(Agency).where(Agency.code == "DPMPTSP"))
    dpmptsp.work_week, dpmptsp.counts_cuti_bersama = "mon-sat", True
    session.commit()
    calendar = CityCalendar(TZ)
    assert not calendar.days_off(session).is_working_day(CUTI)
    assert calendar.days_off(session, dpmptsp).is_working_day(CUTI)
    assert calendar.days_off(session, dpmptsp).is_working_day(date(2026, 12, 26))
