"""The demo's MPP hall and its day of tickets: two groups, three counters, officer.mpp serving,
and figures the command center can show."""

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from services.city_calendar import CityCalendar
from services.demo import load_demo
from services.frontoffice.demo import load_demo_tickets
from services.frontoffice.figures import group_day_figures
from services.models import Counter, QueueTicket, TicketEvent

WEDNESDAY_NOON = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
CALENDAR = CityCalendar(fixed_holidays=frozenset())


def test_the_demo_hall_and_its_day_of_tickets(session):
    load_demo(session)
    assert sorted(session.scalars(select(Counter.number))) == [1, 2, 3]
    lines = load_demo_tickets(session, calendar=CALENDAR, now=WEDNESDAY_NOON)
    assert lines == ["Adminduk: 36 tickets on 2026-11-24.", "Perizinan: 36 tickets on 2026-11-24."]
    assert load_demo_tickets(session, calendar=CALENDAR, now=WEDNESDAY_NOON) == []  # once
    session.commit()
    adminduk, perizinan = group_day_figures(session, day=date(2026, 11, 24), tz="Asia/Jakarta")
    assert adminduk.taken == adminduk.called == 36
    assert adminduk.no_shows == 3 and adminduk.done == 33
    assert adminduk.wait_median is not None and adminduk.service_median is not None
    assert perizinan.wait_p90 > adminduk.wait_p90  # one counter against two
    assert session.scalar(select(func.count()).select_from(TicketEvent)) > 72 * 3
    assert session.scalar(select(func.count()).select_from(QueueTicket).where(
        QueueTicket.state.in_(("waiting", "called", "serving")))) == 0
