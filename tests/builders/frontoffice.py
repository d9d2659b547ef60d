"""The builders' MPP hall: Adminduk (A, counters 1 and 2) and Perizinan (B, counter 3)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.frontoffice.hall import ensure_counter_group
from services.models import CounterGroup, Role, User
from tests.builders.workflow import make_staff
from tests.fakes import FakeClock

# Wednesday 25 November 2026, 09:00 in Jakarta: the counters are open.
OPEN_MORNING = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
CALENDAR = CityCalendar(fixed_holidays=frozenset())


def make_hall(session: Session, **adminduk: Any) -> dict[str, CounterGroup]:
    groups = {
        "ADMINDUK": ensure_counter_group(
            session, code="ADMINDUK", name="Adminduk", prefix="A", counters=[1, 2],
            service_codes=["SKTM"], **adminduk),
        "PERIZINAN": ensure_counter_group(
            session, code="PERIZINAN", name="Perizinan", prefix="B", counters=[3],
            service_codes=["PBG"]),
    }
    session.commit()
    return groups


def make_counter_officer(session: Session, username: str = "loket.satu") -> User:
    user = make_staff(session, username, Role.OFFICER, "DPMPTSP")
    session.commit()
    return user


def morning_clock() -> FakeClock:
    return FakeClock(OPEN_MORNING)
