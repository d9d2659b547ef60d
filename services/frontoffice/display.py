"""The hall's display for a counter group: the calls since the display last looked (each to
be announced once), the last numbers called with their counters, and how many wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.errors import NotFound
from services.frontoffice.queue import group_by_code
from services.frontoffice.spoken import call_announcement
from services.models import CounterGroup, QueueTicket, TicketEvent, TicketState
from services.models.frontoffice import ticket_label

SHOWN_CALLS = 6
NEW_CALLS = 20  # announced per answer at most


@dataclass(frozen=True)
class ShownCall:
    event_id: int
    label: str
    counter: int
    called_at: datetime
    announcement: str


@dataclass(frozen=True)
class Board:
    group: CounterGroup
    last_event_id: int  # where the display goes on from
    new_calls: list[ShownCall]  # after the display's last event, oldest first: to announce
    recent: list[ShownCall]  # the last numbers called, newest first
    waiting: int


def _calls(session: Session, group: CounterGroup, *, after: int | None, since: datetime,
           limit: int, upto: int | None = None) -> list[ShownCall]:
    query = (select(TicketEvent.id, QueueTicket.number, TicketEvent.counter_number,
                    TicketEvent.created_at)
             .join(QueueTicket, QueueTicket.id == TicketEvent.ticket_id)
             .where(TicketEvent.group_id == group.id, TicketEvent.kind == "called",
                    TicketEvent.created_at >= since))
    if upto is not None:
        query = query.where(TicketEvent.id <= upto)
    if after is not None:
        query = query.where(TicketEvent.id > after).order_by(TicketEvent.id).limit(limit)
    else:
        query = query.order_by(TicketEvent.id.desc()).limit(limit)
    return [ShownCall(event_id, ticket_label(group.prefix, number), counter or 0, at,
                      call_announcement(group.prefix, number, counter or 0))
            for event_id, number, counter, at in session.execute(query).all()]


def newest_call_event(session: Session, group_id: int) -> int:
    return session.scalar(select(func.coalesce(func.max(TicketEvent.id), 0)).where(
        TicketEvent.group_id == group_id)) or 0


def display_board(session: Session, *, group_code: str, calendar: CityCalendar, now: datetime,
                  after: int | None = None) -> Board:
    """What the display shows now; ``after`` is the last event it has seen (None: first look,
    nothing to announce)."""
    group = group_by_code(session, group_code)
    day = calendar.local_day(now)
    since = _day_start(now, calendar)
    # The newest event first: a call committed while this board is read is left for the next
    # look, never skipped by a last_event_id read after it.
    newest = newest_call_event(session, group.id)
    recent = _calls(session, group, after=None, since=since, limit=SHOWN_CALLS, upto=newest)
    new = (_calls(session, group, after=after, since=since, limit=NEW_CALLS, upto=newest)
           if after is not None else [])
    if len(new) == NEW_CALLS:  # more than a board's worth: the display goes on from the last
        newest = new[-1].event_id
    waiting = session.scalar(select(func.count()).select_from(QueueTicket).where(
        QueueTicket.group_id == group.id, QueueTicket.day == day,
        QueueTicket.state == TicketState.WAITING)) or 0
    return Board(group=group, last_event_id=max(newest, after or 0), new_calls=new,
                 recent=recent, waiting=waiting)


def _day_start(now: datetime, calendar: CityCalendar) -> datetime:
    """Midnight of the city's day, in UTC: yesterday's calls are not shown."""
    zone = ZoneInfo(calendar.timezone)
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def call_to_announce(session: Session, event_id: int) -> ShownCall:
    """One call event, for its sound: the announcement is built from the ticket, never taken
    from the visitor."""
    row = session.execute(
        select(TicketEvent.id, QueueTicket.number, TicketEvent.counter_number,
               TicketEvent.created_at, CounterGroup.prefix)
        .join(QueueTicket, QueueTicket.id == TicketEvent.ticket_id)
        .join(CounterGroup, CounterGroup.id == TicketEvent.group_id)
        .where(TicketEvent.id == event_id, TicketEvent.kind == "called")).one_or_none() \
        if 0 < event_id < 2**31 else None
    if row is None:
        raise NotFound("ticket.not_found")
    event, number, counter, at, prefix = row
    return ShownCall(event, ticket_label(prefix, number), counter or 0, at,
                     call_announcement(prefix, number, counter or 0))
