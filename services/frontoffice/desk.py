"""What a counter officer's screen shows: the counter, its current ticket and the request tied
to it, the line behind it, and the moves allowed now (one rule for the page and the use cases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.clock import Clock
from services.codes import normalise_tracking_code
from services.errors import NotFound
from services.frontoffice.access import require_counter_officer
from services.frontoffice.counter import counter_by_number, current_ticket, link_request
from services.frontoffice.queue import active_groups, waiting_line
from services.frontoffice.rules import NO_SHOW_AFTER_CALLS, TICKET_MOVES
from services.models import (
    Counter,
    CounterGroup,
    QueueTicket,
    ServiceRequest,
    TicketState,
    User,
)

# A request the officer filed this recently (assisted mode) is offered for linking in one tap.
RECENT_FILING = timedelta(minutes=30)
NEXT_UP = 5


def allowed_moves(ticket: QueueTicket) -> set[str]:
    """The buttons the counter shows for its ticket, by the ticket move table."""
    moves = TICKET_MOVES[ticket.state]
    allowed = set()
    if TicketState.CALLED in moves:
        allowed.add("call_again")
    if TicketState.SERVING in moves:
        allowed.add("serve")
    if TicketState.DONE in moves:
        allowed.add("finish")
    if TicketState.NO_SHOW in moves and ticket.calls >= NO_SHOW_AFTER_CALLS:
        allowed.add("no_show")
    if TicketState.TRANSFERRED in moves:
        allowed.add("transfer")
    return allowed


@dataclass
class CounterDesk:
    counter: Counter
    group: CounterGroup
    ticket: QueueTicket | None
    request: ServiceRequest | None
    waiting: int
    moves: set[str] = field(default_factory=set)
    transfer_groups: list[CounterGroup] = field(default_factory=list)
    recent_filings: list[ServiceRequest] = field(default_factory=list)
    next_up: list[QueueTicket] = field(default_factory=list)  # the line's first few, in call order


def counters(session: Session, actor: User | None) -> list[Counter]:
    require_counter_officer(actor)
    return list(session.scalars(select(Counter).where(Counter.active).order_by(Counter.number)))


def counter_desk(session: Session, *, actor: User | None, counter_number: int, clock: Clock,
                 calendar: CityCalendar) -> CounterDesk:
    officer = require_counter_officer(actor)
    counter = counter_by_number(session, counter_number)
    now = clock.now()
    ticket = current_ticket(session, counter)
    request = session.get(ServiceRequest, ticket.request_id) \
        if ticket is not None and ticket.request_id else None
    line = waiting_line(session, counter.group_id, calendar.local_day(now), now)
    desk = CounterDesk(counter=counter, group=counter.group, ticket=ticket, request=request,
                       waiting=len(line), next_up=line[:NEXT_UP])
    if ticket is not None:
        desk.moves = allowed_moves(ticket)
        desk.transfer_groups = [g for g in active_groups(session) if g.id != ticket.group_id]
        if request is None:
            desk.recent_filings = recent_filings(session, officer, now)
    return desk


def recent_filings(session: Session, officer: User, now: datetime) -> list[ServiceRequest]:
    """Requests this officer filed in assisted mode lately that no ticket holds yet."""
    held = select(QueueTicket.request_id).where(QueueTicket.request_id.is_not(None))
    return list(session.scalars(
        select(ServiceRequest).where(ServiceRequest.officer_id == officer.id,
                                     ServiceRequest.created_at >= now - RECENT_FILING,
                                     ServiceRequest.id.not_in(held))
        .order_by(ServiceRequest.created_at.desc()).limit(3)))


def link_request_by_code(session: Session, *, actor: User | None, counter_number: int,
                         ticket_id: int, tracking_code: str, clock: Clock) -> QueueTicket:
    """Tie the counter's ticket to the request with this tracking code."""
    code = normalise_tracking_code(tracking_code or "")
    request = session.scalar(select(ServiceRequest).where(
        ServiceRequest.tracking_code == (code or "-")))
    if request is None:
        raise NotFound("booking.no_such_request")
    return link_request(session, actor=actor, counter_number=counter_number,
                        ticket_id=ticket_id, request=request, clock=clock)
