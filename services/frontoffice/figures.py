"""The front office measured, per counter group and day: how long people waited (median and
90th percentile, taken to called), how long a visit took (served to done), no-shows, tickets
per hour, and how many bookings were used, each against the group's target wait."""

from __future__ import annotations

import math
from collections import Counter as Tally
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.frontoffice.queue import active_groups
from services.models import Booking, BookingState, CounterGroup, QueueTicket, TicketState
from services.performance.rules import MIN_PUBLIC_CELL


def percentile(values: Sequence[float], share: float) -> Decimal | None:
    """The nearest-rank percentile (share 0.5 = median, 0.9 = p90), one decimal; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return Decimal(str(ordered[rank - 1])).quantize(Decimal("0.1"), ROUND_HALF_UP)


def minutes_between(start, end) -> float:  # type: ignore[no-untyped-def]
    return (end - start).total_seconds() / 60


@dataclass(frozen=True)
class GroupDay:
    group: CounterGroup
    day: date
    taken: int
    called: int
    done: int
    no_shows: int
    wait_median: Decimal | None  # minutes from taking to the first call
    wait_p90: Decimal | None
    service_median: Decimal | None  # minutes from serving to done
    per_hour: dict[int, int]  # local hour -> tickets taken
    bookings: int  # not cancelled
    bookings_used: int  # checked in
    target_minutes: int

    @property
    def busiest_hour(self) -> int:
        return max(self.per_hour.values(), default=0)

    @property
    def on_target(self) -> bool | None:
        if self.wait_median is None:
            return None
        return self.wait_median <= self.target_minutes

    @property
    def booking_use_percent(self) -> Decimal | None:
        if not self.bookings:
            return None
        return (Decimal(100 * self.bookings_used) / self.bookings).quantize(Decimal("0.1"))


def group_day_figures(session: Session, *, day: date, tz: str) -> list[GroupDay]:
    """Every active group's figures for one local day."""
    zone = ZoneInfo(tz)
    rows = []
    for group in active_groups(session):
        tickets = session.execute(select(
            QueueTicket.state, QueueTicket.taken_at, QueueTicket.called_at,
            QueueTicket.served_at, QueueTicket.done_at,
        ).where(QueueTicket.group_id == group.id, QueueTicket.day == day)).all()
        waits = [minutes_between(t.taken_at, t.called_at) for t in tickets if t.called_at]
        services = [minutes_between(t.served_at, t.done_at) for t in tickets
                    if t.state is TicketState.DONE and t.served_at and t.done_at]
        per_hour = Tally(t.taken_at.astimezone(zone).hour for t in tickets)
        booked = dict(session.execute(
            select(Booking.state, func.count()).where(
                Booking.group_id == group.id, Booking.day == day).group_by(Booking.state)).all())
        rows.append(GroupDay(
            group=group, day=day, taken=len(tickets), called=len(waits),
            done=sum(t.state is TicketState.DONE for t in tickets),
            no_shows=sum(t.state is TicketState.NO_SHOW for t in tickets),
            wait_median=percentile(waits, 0.5), wait_p90=percentile(waits, 0.9),
            service_median=percentile(services, 0.5), per_hour=dict(sorted(per_hour.items())),
            bookings=sum(n for state, n in booked.items() if state is not BookingState.CANCELLED),
            bookings_used=booked.get(BookingState.CHECKED_IN, 0),
            target_minutes=group.target_wait_minutes))
    return rows


def latest_ticket_day(session: Session, today: date) -> date:
    """The last day up to today with tickets (the command center opens on it)."""
    return session.scalar(select(func.max(QueueTicket.day)).where(QueueTicket.day <= today)) \
        or today


@dataclass(frozen=True)
class PublicWait:
    name: str
    called: int
    wait_median: Decimal | None  # None when fewer than MIN_PUBLIC_CELL tickets were called


def public_waits(session: Session, *, today: date, days: int = 30) -> list[PublicWait]:
    """The median wait per group over the last ``days`` days, for /kinerja: no figure resting
    on fewer than MIN_PUBLIC_CELL tickets (the public page's small-numbers rule)."""
    since = today - timedelta(days=days)
    shown = []
    for group in active_groups(session):
        waits = [minutes_between(taken, called) for taken, called in session.execute(
            select(QueueTicket.taken_at, QueueTicket.called_at).where(
                QueueTicket.group_id == group.id, QueueTicket.day > since,
                QueueTicket.day <= today, QueueTicket.called_at.is_not(None))).all()]
        shown.append(PublicWait(group.name, len(waits),
                                percentile(waits, 0.5) if len(waits) >= MIN_PUBLIC_CELL
                                else None))
    return shown
