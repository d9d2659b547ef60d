"""A counter group's line: taking a ticket (within the hours, under the quota, one open ticket
per request), the order of the line, and a ticket's place in it. The counter's moves on a
ticket are in services.frontoffice.counter."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.clock import Clock
from services.errors import NotFound
from services.frontoffice.rules import (
    DEFAULT_SERVICE_MINUTES,
    OPEN_TICKET_STATES,
    OpeningHours,
    estimated_wait_minutes,
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
    ticket = new_ticket(group, day, row[1] + 1, now, request=request, kiosk_id=kiosk_id)
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


def new_ticket(group: CounterGroup, day: date, number: int, now: datetime, *,
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
