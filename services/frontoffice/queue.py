"""A counter group's line: taking a ticket, its place in the line, and the counter's moves on
it: call the next one, call again, serve, finish, no-show, send on to another group.

"Panggil berikutnya" never hands one ticket to two counters: on PostgreSQL the candidate is
taken with SELECT ... FOR UPDATE SKIP LOCKED inside a conditional UPDATE (only while the
ticket still waits), as services.workflow.queues.claim_next_task takes a task; on SQLite every
write transaction begins IMMEDIATE and so runs alone."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.clock import Clock
from services.errors import Conflict, NotFound
from services.frontoffice.access import require_counter_officer
from services.frontoffice.rules import (
    DEFAULT_SERVICE_MINUTES,
    OPEN_TICKET_STATES,
    OpeningHours,
    estimated_wait_minutes,
    next_ticket_state,
    require_open,
    require_quota,
)
from services.models import (
    Booking,
    Counter,
    CounterGroup,
    QueueTicket,
    ServiceRequest,
    TicketEvent,
    TicketState,
    User,
)
from services.workflow.queues import relax_commit_durability

CALL_ATTEMPTS = 5


def call_rank_clause(now: datetime) -> ColumnElement[int]:
    """services.frontoffice.rules.call_rank in SQL: 0 inside a booked slot, else 1."""
    return case((and_(QueueTicket.priority_from <= now, QueueTicket.priority_until > now), 0),
                else_=1)


def hours_of(group: CounterGroup) -> OpeningHours:
    return OpeningHours.parse(group.opens_at, group.closes_at)


def group_by_code(session: Session, code: str, *, lock: bool = False) -> CounterGroup:
    query = select(CounterGroup).where(CounterGroup.code == code, CounterGroup.active)
    if lock:
        query = query.with_for_update()
    group = session.scalar(query)
    if group is None:
        raise NotFound("ticket.no_such_group")
    return group


def active_groups(session: Session) -> list[CounterGroup]:
    return list(session.scalars(select(CounterGroup).where(CounterGroup.active)
                                .order_by(CounterGroup.prefix)))


def group_for_service(session: Session, service_code: str) -> CounterGroup | None:
    """The counter group a service's visit goes to, if its next step is a counter visit."""
    for group in active_groups(session):
        if service_code in (group.service_codes or []):
            return group
    return None


def record_ticket_event(session: Session, ticket: QueueTicket, kind: str, *, now: datetime,
                        from_state: TicketState | None, actor: User | None = None,
                        data: dict[str, Any] | None = None) -> TicketEvent:
    """One line of the ticket's history, in the transaction of the change it records."""
    counter = ticket.counter if ticket.counter_id is not None else None
    event = TicketEvent(ticket_id=ticket.id, group_id=ticket.group_id, kind=kind,
                        from_state=from_state, to_state=ticket.state,
                        counter_number=counter.number if counter is not None else None,
                        actor_id=actor.id if actor else None, data=data or {}, created_at=now)
    session.add(event)
    return event


@dataclass(frozen=True)
class TakenTicket:
    ticket: QueueTicket
    created: bool  # False: the request already held this open ticket


def open_ticket_for_request(session: Session, request_id: int) -> QueueTicket | None:
    return session.scalar(select(QueueTicket).where(
        QueueTicket.request_id == request_id, QueueTicket.state.in_(OPEN_TICKET_STATES)))


def take_ticket(session: Session, *, group_code: str, clock: Clock, calendar: CityCalendar,
                request: ServiceRequest | None = None, booking: Booking | None = None,
                kiosk_id: int | None = None) -> TakenTicket:
    """Give the next number of the group's line for today: within the opening hours, under the
    day's quota, and one open ticket per request (asked again, the same ticket comes back)."""
    now = clock.now()
    group = group_by_code(session, group_code, lock=True)  # numbers are handed out one by one
    if request is not None and (held := open_ticket_for_request(session, request.id)):
        return TakenTicket(held, False)
    require_open(now, hours_of(group), calendar.holidays(session), calendar.timezone)
    day = calendar.local_day(now)
    row = session.execute(select(func.count(), func.coalesce(func.max(QueueTicket.number), 0))
                          .where(QueueTicket.group_id == group.id,
                                 QueueTicket.day == day)).one()
    require_quota(row[0], group.daily_quota)
    ticket = _new_ticket(group, day, row[1] + 1, now, request=request, kiosk_id=kiosk_id)
    if booking is not None:
        ticket.booking_id = booking.id
        ticket.priority_from, ticket.priority_until = booking.slot_start, booking.slot_end
    try:
        with session.begin_nested():
            session.add(ticket)
            session.flush()
    except IntegrityError:
        # The request's one open ticket was taken by a second tap at the same moment.
        if request is not None and (held := open_ticket_for_request(session, request.id)):
            return TakenTicket(held, False)
        raise
    record_ticket_event(session, ticket, "taken", now=now, from_state=None,
                        data={"booking": booking.code if booking else None})
    return TakenTicket(ticket, True)


def _new_ticket(group: CounterGroup, day: date, number: int, now: datetime, *,
                request: ServiceRequest | None, kiosk_id: int | None) -> QueueTicket:
    ticket = QueueTicket(group=group, group_id=group.id, day=day, number=number,
                         state=TicketState.WAITING, follow_key=secrets.token_urlsafe(12),
                         request_id=request.id if request else None, kiosk_id=kiosk_id,
                         calls=0, taken_at=now)
    return ticket


def ticket_by_follow_key(session: Session, key: str) -> QueueTicket:
    ticket = session.scalar(select(QueueTicket).where(QueueTicket.follow_key == key[:32]))
    if ticket is None:
        raise NotFound("ticket.not_found")
    return ticket


def waiting_line(session: Session, group_id: int, day: date, now: datetime) -> list[QueueTicket]:
    """The group's waiting tickets of the day, in the order they will be called."""
    return list(session.scalars(
        select(QueueTicket)
        .where(QueueTicket.group_id == group_id, QueueTicket.day == day,
               QueueTicket.state == TicketState.WAITING)
        .order_by(call_rank_clause(now), QueueTicket.taken_at, QueueTicket.id)))


def transferred_to(session: Session, ticket: QueueTicket) -> QueueTicket | None:
    """The ticket a transferred visit goes on with, in the other group's line."""
    return session.scalar(select(QueueTicket).where(
        QueueTicket.transferred_from_id == ticket.id))


@dataclass(frozen=True)
class Place:
    """Where a ticket stands: "Anda nomor 4 berikutnya", and about how long that is."""

    position: int | None  # 1 = called next; None once called or finished
    wait_minutes: int | None


def service_minutes(session: Session, group_id: int, day: date) -> float:
    """The median visit of the group today (served to done), or the default before any."""
    rows = session.execute(select(QueueTicket.served_at, QueueTicket.done_at).where(
        QueueTicket.group_id == group_id, QueueTicket.day == day,
        QueueTicket.state == TicketState.DONE)).all()
    minutes = [(done - served).total_seconds() / 60 for served, done in rows if served and done]
    return median(minutes) if minutes else DEFAULT_SERVICE_MINUTES


def open_counter_count(session: Session, group_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Counter).where(
        Counter.group_id == group_id, Counter.active)) or 0


def ticket_place(session: Session, ticket: QueueTicket, now: datetime) -> Place:
    if ticket.state is not TicketState.WAITING:
        return Place(None, None)
    line = waiting_line(session, ticket.group_id, ticket.day, now)
    ahead = next((index for index, waiting in enumerate(line) if waiting.id == ticket.id),
                 len(line))
    minutes = estimated_wait_minutes(ahead, open_counter_count(session, ticket.group_id),
                                     service_minutes(session, ticket.group_id, ticket.day))
    return Place(ahead + 1, minutes)


# -- the counter's moves ---------------------------------------------------------------------

def counter_by_number(session: Session, number: int, *, lock: bool = False) -> Counter:
    query = select(Counter).where(Counter.number == number, Counter.active)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    counter = session.scalar(query) if 0 < number < 10_000 else None
    if counter is None:
        raise NotFound("counter.no_such_counter")
    return counter


def current_ticket(session: Session, counter: Counter) -> QueueTicket | None:
    """The ticket the counter has called and not yet finished."""
    return session.scalar(select(QueueTicket).where(
        QueueTicket.counter_id == counter.id,
        QueueTicket.state.in_((TicketState.CALLED, TicketState.SERVING)))
        .order_by(QueueTicket.called_at.desc()).limit(1))


def call_next(session: Session, *, actor: User | None, counter_number: int, clock: Clock,
              calendar: CityCalendar) -> QueueTicket | None:
    """"Panggil berikutnya": the counter calls the first ticket of its group's line (a booked
    ticket inside its slot before walk-ins), or None when nobody waits. Not committed."""
    officer = require_counter_officer(actor)
    # The counter's row is held until commit: a double tap at one counter calls one ticket.
    counter = counter_by_number(session, counter_number, lock=True)
    if (busy := current_ticket(session, counter)) is not None:
        raise Conflict("counter.busy", ticket=busy.label)
    now = clock.now()
    day = calendar.local_day(now)
    relax_commit_durability(session)
    for _attempt in range(CALL_ATTEMPTS):
        candidate = (select(QueueTicket.id)
                     .where(QueueTicket.group_id == counter.group_id, QueueTicket.day == day,
                            QueueTicket.state == TicketState.WAITING)
                     .order_by(call_rank_clause(now), QueueTicket.taken_at, QueueTicket.id)
                     .limit(1).with_for_update(skip_locked=True).correlate(None)
                     .scalar_subquery())
        ticket = session.scalars(
            update(QueueTicket)
            .where(QueueTicket.id == candidate, QueueTicket.state == TicketState.WAITING)
            .values(state=next_ticket_state(TicketState.WAITING, TicketState.CALLED),
                    counter_id=counter.id, officer_id=officer.id, calls=1, called_at=now)
            .returning(QueueTicket),
            execution_options={"synchronize_session": False, "populate_existing": True},
        ).one_or_none()
        if ticket is not None:
            record_ticket_event(session, ticket, "called", now=now,
                                from_state=TicketState.WAITING, actor=officer)
            return ticket
        if not session.scalar(select(func.count()).select_from(QueueTicket).where(
                QueueTicket.group_id == counter.group_id, QueueTicket.day == day,
                QueueTicket.state == TicketState.WAITING)):
            return None
    return None


def _counter_ticket(session: Session, actor: User | None, counter_number: int,
                    ticket_id: int) -> tuple[User, QueueTicket]:
    """The ticket this counter called, locked: only the counter holding it may move it."""
    officer = require_counter_officer(actor)
    counter = counter_by_number(session, counter_number)
    ticket = session.scalar(select(QueueTicket).where(QueueTicket.id == ticket_id)
                            .with_for_update().execution_options(populate_existing=True)) \
        if 0 < ticket_id < 2**31 else None
    if ticket is None or ticket.counter_id != counter.id:
        raise NotFound("ticket.not_at_this_counter")
    return officer, ticket


def _move(session: Session, ticket: QueueTicket, wanted: TicketState, kind: str,
          officer: User, now: datetime, data: dict[str, Any] | None = None) -> QueueTicket:
    before = ticket.state
    ticket.state = next_ticket_state(before, wanted, calls=ticket.calls)
    record_ticket_event(session, ticket, kind, now=now, from_state=before, actor=officer,
                        data=data)
    return ticket


def call_again(session: Session, *, actor: User | None, counter_number: int, ticket_id: int,
               clock: Clock) -> QueueTicket:
    """"Panggil ulang": the display and the voice call the same ticket once more."""
    officer, ticket = _counter_ticket(session, actor, counter_number, ticket_id)
    ticket.calls += 1
    return _move(session, ticket, TicketState.CALLED, "called", officer, clock.now())


def start_serving(session: Session, *, actor: User | None, counter_number: int, ticket_id: int,
                  clock: Clock) -> QueueTicket:
    """The citizen came to the counter: the visit starts."""
    officer, ticket = _counter_ticket(session, actor, counter_number, ticket_id)
    now = clock.now()
    ticket.served_at = now
    return _move(session, ticket, TicketState.SERVING, "serving", officer, now)


def finish_visit(session: Session, *, actor: User | None, counter_number: int, ticket_id: int,
                 clock: Clock) -> QueueTicket:
    """"Selesai": the visit is done."""
    officer, ticket = _counter_ticket(session, actor, counter_number, ticket_id)
    now = clock.now()
    if ticket.served_at is None:  # served straight from the call
        ticket.served_at = ticket.called_at
    ticket.done_at = now
    return _move(session, ticket, TicketState.DONE, "done", officer, now)


def mark_no_show(session: Session, *, actor: User | None, counter_number: int, ticket_id: int,
                 clock: Clock) -> QueueTicket:
    """"Tidak hadir": called NO_SHOW_AFTER_CALLS times and nobody came."""
    officer, ticket = _counter_ticket(session, actor, counter_number, ticket_id)
    now = clock.now()
    ticket.done_at = now
    return _move(session, ticket, TicketState.NO_SHOW, "no_show", officer, now)


def transfer_ticket(session: Session, *, actor: User | None, counter_number: int,
                    ticket_id: int, to_group_code: str, clock: Clock,
                    calendar: CityCalendar) -> QueueTicket:
    """"Alihkan": the visit goes on at another group's counters, as a new ticket there that
    is called before that group's walk-ins (the citizen has waited once already)."""
    officer, ticket = _counter_ticket(session, actor, counter_number, ticket_id)
    target = group_by_code(session, to_group_code, lock=True)
    if target.id == ticket.group_id:
        raise Conflict("ticket.transfer_same_group")
    now = clock.now()
    ticket.done_at = now
    if ticket.served_at is None:
        ticket.served_at = ticket.called_at
    _move(session, ticket, TicketState.TRANSFERRED, "transferred", officer, now,
          data={"to": target.code})
    session.flush()  # the request's open ticket is now this new one
    number = session.scalar(select(func.coalesce(func.max(QueueTicket.number), 0)).where(
        QueueTicket.group_id == target.id, QueueTicket.day == ticket.day)) or 0
    moved = _new_ticket(target, ticket.day, number + 1, now, request=None, kiosk_id=None)
    moved.request_id = ticket.request_id
    moved.transferred_from_id = ticket.id
    moved.priority_from = now
    moved.priority_until = datetime.combine(
        ticket.day, time.fromisoformat(target.closes_at),
        ZoneInfo(calendar.timezone)).astimezone(ZoneInfo("UTC")) + timedelta(minutes=1)
    session.add(moved)
    session.flush()
    record_ticket_event(session, moved, "taken", now=now, from_state=None, actor=officer,
                        data={"from": ticket.label})
    return moved


def link_request(session: Session, *, actor: User | None, counter_number: int, ticket_id: int,
                 request: ServiceRequest, clock: Clock) -> QueueTicket:
    """Tie the counter's ticket to a request (a walk-in's, filed at the counter)."""
    officer, ticket = _counter_ticket(session, actor, counter_number, ticket_id)
    if ticket.request_id == request.id:
        return ticket
    if ticket.request_id is not None:
        raise Conflict("ticket.already_linked")
    if open_ticket_for_request(session, request.id) is not None:
        raise Conflict("ticket.request_has_open_ticket")
    ticket.request_id = request.id
    record_ticket_event(session, ticket, "linked", now=clock.now(), from_state=ticket.state,
                        actor=officer, data={"request": request.tracking_code})
    return ticket
