"""A counter group's line: numbers per group and day, the rules on taking a ticket, and the
counter's moves; "Panggil berikutnya" calls each ticket once however many counters race."""

import threading
from collections import Counter as Tally
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.errors import Conflict, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from services.frontoffice.counter import (
    call_again,
    call_next,
    finish_visit,
    link_request,
    mark_no_show,
    start_serving,
    transfer_ticket,
)
from services.frontoffice.queue import take_ticket, ticket_place
from services.models import QueueTicket, Role, TicketEvent, TicketState, User
from tests import conftest
from tests.builders.frontoffice import (
    CALENDAR,
    make_counter_officer,
    make_hall,
    morning_clock,
)
from tests.builders.workflow import make_city, make_staff, submit
from tests.fakes import FakeClock
from tests.threads import run_all


@pytest.fixture
def hall(session):
    make_city(session)
    groups = make_hall(session)
    return {"groups": groups, "officer": make_counter_officer(session)}


def take(session, clock, group="ADMINDUK", **extra):
    return take_ticket(session, group_code=group, clock=clock, calendar=CALENDAR, **extra)


def test_numbers_run_per_group_and_start_again_the_next_day(session, hall):
    clock = morning_clock()
    labels = [take(session, clock).ticket.label for _ in range(3)]
    labels.append(take(session, clock, "PERIZINAN").ticket.label)
    assert labels == ["A-001", "A-002", "A-003", "B-001"]
    clock.advance(days=1)
    assert take(session, clock).ticket.label == "A-001"
    events = session.scalars(select(TicketEvent.kind)).all()
    assert events == ["taken"] * 5


def test_no_ticket_outside_the_opening_hours(session, hall):
    clock = morning_clock()
    clock.advance(hours=7)  # 16:00 in Jakarta
    with pytest.raises(ValidationFailed) as closed:
        take(session, clock)
    assert closed.value.message.code == "ticket.counters_closed"
    assert session.scalar(select(QueueTicket.id)) is None


def test_the_day_quota_stops_the_line(session, hall):
    hall["groups"]["ADMINDUK"].daily_quota = 2
    clock = morning_clock()
    take(session, clock)
    take(session, clock)
    with pytest.raises(ValidationFailed) as full:
        take(session, clock)
    assert full.value.message.code == "ticket.quota_reached"
    assert take(session, clock, "PERIZINAN").created  # another group's line is its own


def test_a_request_holds_one_open_ticket(session, hall):
    clock = morning_clock()
    request, _pin = submit(session, "SKTM")
    first = take(session, clock, request=request)
    again = take(session, clock, request=request)
    assert first.created and not again.created
    assert again.ticket.id == first.ticket.id
    assert session.scalar(select(QueueTicket.request_id).where(
        QueueTicket.id == first.ticket.id)) == request.id


def test_calls_go_in_order_and_a_counter_finishes_before_calling_again(session, hall):
    clock = morning_clock()
    officer = hall["officer"]
    first, second = take(session, clock).ticket, take(session, clock).ticket
    called = call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
    assert called.id == first.id and called.state is TicketState.CALLED and called.calls == 1
    assert called.counter.number == 1 and called.called_at == clock.now()
    with pytest.raises(Conflict):
        call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
    assert ticket_place(session, second, clock.now()).position == 1
    finish_visit(session, actor=officer, counter_number=1, ticket_id=first.id, clock=clock)
    assert call_next(session, actor=officer, counter_number=1, clock=clock,
                     calendar=CALENDAR).id == second.id
    assert call_next(session, actor=officer, counter_number=3, clock=clock,
                     calendar=CALENDAR) is None  # Perizinan's line is empty


def test_the_place_in_the_line_and_the_wait(session, hall):
    clock = morning_clock()
    tickets = [take(session, clock).ticket for _ in range(5)]
    place = ticket_place(session, tickets[3], clock.now())
    assert place.position == 4
    assert place.wait_minutes == 12  # 3 ahead, 8 minutes each, 2 counters


def test_a_booked_ticket_in_its_slot_is_called_before_walk_ins(session, hall):
    clock = morning_clock()
    walk_in = take(session, clock).ticket
    booked = take(session, clock).ticket
    booked.priority_from = clock.now() - timedelta(minutes=5)
    booked.priority_until = clock.now() + timedelta(minutes=25)
    session.flush()
    assert ticket_place(session, booked, clock.now()).position == 1
    called = call_next(session, actor=hall["officer"], counter_number=2, clock=clock,
                       calendar=CALENDAR)
    assert called.id == booked.id
    assert ticket_place(session, walk_in, clock.now()).position == 1


def test_no_show_only_after_the_second_call(session, hall):
    clock = morning_clock()
    officer = hall["officer"]
    ticket = take(session, clock).ticket
    call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
    with pytest.raises(InvalidTransition):
        mark_no_show(session, actor=officer, counter_number=1, ticket_id=ticket.id, clock=clock)
    call_again(session, actor=officer, counter_number=1, ticket_id=ticket.id, clock=clock)
    clock.advance(minutes=3)
    gone = mark_no_show(session, actor=officer, counter_number=1, ticket_id=ticket.id,
                        clock=clock)
    assert gone.state is TicketState.NO_SHOW and gone.calls == 2
    kinds = session.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)
                            .order_by(TicketEvent.id)).all()
    assert kinds == ["taken", "called", "called", "no_show"]


def test_serving_and_done_record_the_times(session, hall):
    clock = FakeClock(morning_clock().now())
    officer = hall["officer"]
    ticket = take(session, clock).ticket
    clock.advance(minutes=10)
    call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
    clock.advance(minutes=1)
    start_serving(session, actor=officer, counter_number=1, ticket_id=ticket.id, clock=clock)
    clock.advance(minutes=6)
    done = finish_visit(session, actor=officer, counter_number=1, ticket_id=ticket.id,
                        clock=clock)
    assert done.state is TicketState.DONE
    assert (done.called_at - done.taken_at, done.served_at - done.called_at,
            done.done_at - done.served_at) == (timedelta(minutes=10), timedelta(minutes=1),
                                               timedelta(minutes=6))


def test_a_transferred_visit_waits_first_in_the_other_line(session, hall):
    clock = morning_clock()
    officer = hall["officer"]
    request, _pin = submit(session, "SKTM")
    take(session, clock, "PERIZINAN")  # a walk-in already waits there
    ticket = take(session, clock, request=request).ticket
    call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
    moved = transfer_ticket(session, actor=officer, counter_number=1, ticket_id=ticket.id,
                            to_group_code="PERIZINAN", clock=clock, calendar=CALENDAR)
    assert ticket.state is TicketState.TRANSFERRED
    assert moved.label == "B-002" and moved.request_id == request.id
    assert moved.transferred_from_id == ticket.id
    assert call_next(session, actor=officer, counter_number=3, clock=clock,
                     calendar=CALENDAR).id == moved.id


def test_only_the_counter_holding_a_ticket_moves_it(session, hall):
    clock = morning_clock()
    officer = hall["officer"]
    ticket = take(session, clock).ticket
    call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
    with pytest.raises(NotFound):
        finish_visit(session, actor=officer, counter_number=2, ticket_id=ticket.id, clock=clock)


def test_only_counter_officers_call(session, hall):
    clerk = make_staff(session, "clerk.loket", Role.CLERK, "DPMPTSP")
    session.flush()
    take(session, morning_clock())
    with pytest.raises(NotAllowed):
        call_next(session, actor=clerk, counter_number=1, clock=morning_clock(),
                  calendar=CALENDAR)
    with pytest.raises(NotAllowed):
        call_next(session, actor=None, counter_number=1, clock=morning_clock(),
                  calendar=CALENDAR)


def test_a_walk_in_request_is_linked_to_the_counters_ticket(session, hall):
    clock = morning_clock()
    officer = hall["officer"]
    ticket = take(session, clock).ticket
    call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
    request, _pin = submit(session, "SKTM")
    link_request(session, actor=officer, counter_number=1, ticket_id=ticket.id,
                 request=request, clock=clock)
    assert ticket.request_id == request.id
    other, _ = submit(session, "SKTM")
    with pytest.raises(Conflict):
        link_request(session, actor=officer, counter_number=1, ticket_id=ticket.id,
                     request=other, clock=clock)


def counters_race(session, database_url, tickets: int = 40, counters: int = 6):
    """Six Adminduk counters call and finish until the line is empty."""
    from services.frontoffice.hall import ensure_counter_group

    make_city(session)
    make_hall(session)
    ensure_counter_group(session, code="ADMINDUK", name="Adminduk", prefix="A",
                         counters=list(range(1, counters + 1)),
                         service_codes=["SKTM"])
    officers = [make_counter_officer(session, f"loket.{n}") for n in range(counters)]
    clock = morning_clock()
    for _ in range(tickets):
        take(session, clock)
    session.commit()
    engine = create_engine(database_url, pool_size=counters + 2)
    called: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(counters)

    def counter(number: int, user_id: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                actor = own.get(User, user_id)
                own.commit()
                start.wait(timeout=60)
                while True:
                    ticket = call_next(own, actor=actor, counter_number=number, clock=clock,
                                       calendar=CALENDAR)
                    if ticket is None:
                        own.commit()
                        return
                    finish_visit(own, actor=actor, counter_number=number, ticket_id=ticket.id,
                                 clock=clock)
                    own.commit()
                    with lock:
                        called.append(ticket.id)
        except BaseException as error:
            errors.append(error)

    run_all([threading.Thread(target=counter, args=(n + 1, o.id))
             for n, o in enumerate(officers)])
    engine.dispose()
    assert errors == []
    assert [t for t, n in Tally(called).items() if n > 1] == []
    session.expire_all()
    assert len(called) == tickets
    assert set(session.scalars(select(QueueTicket.state))) == {TicketState.DONE}
    assert session.scalar(select(TicketEvent.id).where(TicketEvent.kind == "called")
                          .limit(1)) is not None


@pytest.mark.postgres
@pytest.mark.skipif(conftest.test_database_kind() != "postgres",
                    reason="runs in the PostgreSQL pass")
def test_six_counters_call_every_ticket_once_on_postgres(session, database_url):
    counters_race(session, database_url)


@pytest.mark.skipif(conftest.test_database_kind() != "sqlite",
                    reason="the SQLite version of the test")
def test_six_counter_threads_call_every_ticket_once_on_sqlite(session, database_url):
    counters_race(session, database_url)


@pytest.mark.committing
def test_a_double_tap_at_one_counter_calls_one_ticket(session, database_url):
    make_city(session)
    make_hall(session)
    officer = make_counter_officer(session)
    clock = morning_clock()
    for _ in range(3):
        take(session, clock)
    session.commit()
    engine = create_engine(database_url, pool_size=4)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def tap() -> None:
        with Session(engine, expire_on_commit=False) as own:
            actor = own.get(User, officer.id)
            own.commit()
            start.wait(timeout=30)
            try:
                ticket = call_next(own, actor=actor, counter_number=1, clock=clock,
                                   calendar=CALENDAR)
                own.commit()
                outcomes.append(ticket.label)
            except Conflict:
                own.rollback()
                outcomes.append("busy")

    run_all([threading.Thread(target=tap) for _ in range(2)])
    engine.dispose()
    assert sorted(outcomes) == ["A-001", "busy"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(QueueTicket).where(
        QueueTicket.state == TicketState.CALLED)) == 1


def test_a_display_away_for_many_calls_catches_up_with_every_one(session, hall):
    from services.frontoffice.display import NEW_CALLS, display_board

    clock = morning_clock()
    officer = hall["officer"]
    first = display_board(session, group_code="ADMINDUK", calendar=CALENDAR, now=clock.now())
    for _ in range(NEW_CALLS + 5):
        ticket = take(session, clock).ticket
        call_next(session, actor=officer, counter_number=1, clock=clock, calendar=CALENDAR)
        finish_visit(session, actor=officer, counter_number=1, ticket_id=ticket.id, clock=clock)
    seen = []
    after = first.last_event_id
    for _look in range(3):
        board = display_board(session, group_code="ADMINDUK", calendar=CALENDAR,
                              now=clock.now(), after=after)
        seen += [call.label for call in board.new_calls]
        after = board.last_event_id
    assert seen == [f"A-{n:03d}" for n in range(1, NEW_CALLS + 6)]
