"""The counter's moves on a ticket: call the next one, call again, serve, finish, no-show,
send on to another group, tie to a request.

"Panggil berikutnya" never hands one ticket to two counters: on PostgreSQL the candidate is
taken with SELECT ... FOR UPDATE SKIP LOCKED inside a conditional UPDATE (only while the
ticket still waits), as services.workflow.queues.claim_next_task takes a task; on SQLite every
write transaction begins IMMEDIATE and so runs alone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.clock import Clock
from services.errors import Conflict, NotFound
from services.frontoffice.access import require_counter_officer
from services.frontoffice.queue import (
    call_rank_clause,
    group_by_code,
    new_ticket,
    open_ticket_for_request,
    record_ticket_event,
)
from services.frontoffice.rules import next_ticket_state
from services.models import Counter, QueueTicket, ServiceRequest, TicketState, User
from services.workflow.queues import relax_commit_durability

CALL_ATTEMPTS = 5

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
    moved = new_ticket(target, ticket.day, number + 1, now, request=None, kiosk_id=None)
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
