"""The front office measured: waiting and service times per group and day, no-shows, tickets
per hour and booking use, against the target; /kinerja shows the median wait only on enough
tickets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.frontoffice.counter import (
    call_again,
    call_next,
    finish_visit,
    mark_no_show,
    start_serving,
)
from services.frontoffice.figures import group_day_figures, percentile, public_waits
from services.frontoffice.queue import take_ticket
from services.models import Role
from tests.builders import login, make_user
from tests.builders.frontoffice import CALENDAR, make_counter_officer, make_hall, morning_clock
from tests.builders.workflow import make_city

DAY = date(2026, 11, 25)


@pytest.mark.parametrize("values,share,expected", [
    ([], 0.5, None), ([4], 0.5, "4.0"), ([1, 2, 3, 4], 0.5, "2.0"), ([1, 2, 3], 0.5, "2.0"),
    (list(range(1, 11)), 0.9, "9.0"), (list(range(1, 11)), 1.0, "10.0"), ([2.25], 0.9, "2.3"),
])
def test_percentiles_by_nearest_rank(values, share, expected):
    assert percentile(values, share) == (Decimal(expected) if expected else None)


def a_morning(session, visits: int = 12):
    """Tickets taken five minutes apart; each called ten minutes after taking it, served one
    minute later for six minutes; the last one is a no-show after two calls."""
    make_city(session)
    make_hall(session, target_wait_minutes=8)
    officer = make_counter_officer(session)
    clock = morning_clock()
    for n in range(visits):
        clock.at = morning_clock().now() + timedelta(minutes=5 * n)
        ticket = take_ticket(session, group_code="ADMINDUK", clock=clock,
                             calendar=CALENDAR).ticket
        clock.advance(minutes=10)
        call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
        if n == visits - 1:
            call_again(session, actor=officer, counter_number=1, ticket_id=ticket.id, clock=clock)
            mark_no_show(session, actor=officer, counter_number=1, ticket_id=ticket.id,
                         clock=clock)
            continue
        clock.advance(minutes=1)
        start_serving(session, actor=officer, counter_number=1, ticket_id=ticket.id, clock=clock)
        clock.advance(minutes=6)
        finish_visit(session, actor=officer, counter_number=1, ticket_id=ticket.id, clock=clock)
    session.commit()


def test_a_groups_day_in_figures(session):
    a_morning(session)
    adminduk, perizinan = group_day_figures(session, day=DAY, tz="Asia/Jakarta")
    assert (adminduk.taken, adminduk.called, adminduk.done, adminduk.no_shows) == (12, 12, 11, 1)
    assert adminduk.wait_median == Decimal("10.0") == adminduk.wait_p90
    assert adminduk.service_median == Decimal("6.0")
    assert adminduk.per_hour == {9: 12}
    assert adminduk.on_target is False  # ten minutes against a target of eight
    assert perizinan.taken == 0 and perizinan.wait_median is None


def test_the_public_median_wait_hides_small_numbers(session):
    a_morning(session, visits=9)
    waits = {w.name: w for w in public_waits(session, today=DAY)}
    assert waits["Adminduk"].called == 9 and waits["Adminduk"].wait_median is None


def test_the_command_center_and_kinerja_show_the_waits(client, app, app_session):
    a_morning(app_session)
    app.extensions["clock"] = morning_clock()
    make_user(app_session, "pimpinan", Role.LEADERSHIP, agency=None)
    login(client, "pimpinan")
    page = client.get("/command/loket?day=2026-11-25").get_data(as_text=True)
    assert 'data-figure="wait_median">10.0' in page and "di atas target" in page
    assert 'data-figure="no_shows">1<' in page
    public = client.get("/kinerja").get_data(as_text=True)
    assert "Waktu tunggu di loket MPP" in public
    assert public.split("Waktu tunggu di loket MPP")[1].count(">10.0<") == 1
