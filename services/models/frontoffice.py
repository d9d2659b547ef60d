"""The MPP front office: counter groups and their counters, queue tickets (taken at a kiosk
or from a booking, optionally tied to a request), bookings of a slot, and each ticket's history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.models.accounts import User


class TicketState(enum.Enum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"  # sent on to another counter group, as a new ticket there


class BookingState(enum.Enum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"  # a ticket was taken with it at the kiosk
    CANCELLED = "cancelled"


class CounterGroup(Base):
    """A kind of counter at the MPP (e.g. "Adminduk", prefix A) with its own line of tickets."""

    __tablename__ = "counter_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(2), unique=True)
    # The services whose next step is a visit to this group's counters.
    service_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    daily_quota: Mapped[int] = mapped_column(Integer, default=200)
    opens_at: Mapped[str] = mapped_column(String(5), default="08:00")  # local time, HH:MM
    closes_at: Mapped[str] = mapped_column(String(5), default="15:00")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    slot_capacity: Mapped[int] = mapped_column(Integer, default=4)
    target_wait_minutes: Mapped[int] = mapped_column(Integer, default=30)
    running_text: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    counters: Mapped[list[Counter]] = relationship(back_populates="group",
                                                   order_by="Counter.number")


class Counter(Base):
    """One counter (loket) of the hall, numbered across the hall, serving one group's line."""

    __tablename__ = "counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("counter_group.id"), index=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    group: Mapped[CounterGroup] = relationship(back_populates="counters")


class Booking(Base):
    """A slot booked ahead on a phone; checked in at the kiosk, it becomes a ticket."""

    __tablename__ = "booking"
    __table_args__ = (Index("ix_booking_group_slot", "group_id", "slot_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("counter_group.id"))
    day: Mapped[date] = mapped_column(Date)
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[BookingState] = mapped_column(enum_column(BookingState))
    # Keyed digests only: a person's open bookings are counted without keeping who they are.
    nik_digest: Mapped[str] = mapped_column(String(64), index=True)
    phone_digest: Mapped[str] = mapped_column(String(64), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("service_request.id"),
                                                   nullable=True)
    language: Mapped[str] = mapped_column(String(2), default="id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    group: Mapped[CounterGroup] = relationship()


class QueueTicket(Base):
    """A place in a counter group's line for one day: A-012."""

    __tablename__ = "queue_ticket"
    __table_args__ = (
        UniqueConstraint("group_id", "day", "number"),
        # The waiting line of a group, read by every "Panggil berikutnya".
        Index("ix_queue_ticket_waiting", "group_id", "taken_at",
              postgresql_where=text("state = 'waiting'"),
              sqlite_where=text("state = 'waiting'")),
        # At most one open ticket per request, whatever two kiosks do at once.
        Index("uq_queue_ticket_open_request", "request_id", unique=True,
              postgresql_where=text("state IN ('waiting', 'called', 'serving')"),
              sqlite_where=text("state IN ('waiting', 'called', 'serving')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("counter_group.id"))
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[TicketState] = mapped_column(enum_column(TicketState))
    # The public follow link's key: random, tells only a place in the line.
    follow_key: Mapped[str] = mapped_column(String(32), unique=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("service_request.id"),
                                                   nullable=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), nullable=True)
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("queue_ticket.id"),
                                                            nullable=True)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"), nullable=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"), nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # Called before walk-ins while now is in [priority_from, priority_until): a booked slot.
    priority_from: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    priority_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    calls: Mapped[int] = mapped_column(Integer, default=0)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    group: Mapped[CounterGroup] = relationship()
    counter: Mapped[Counter | None] = relationship()
    booking: Mapped[Booking | None] = relationship()

    @property
    def label(self) -> str:
        return ticket_label(self.group.prefix, self.number)


def ticket_label(prefix: str, number: int) -> str:
    """A-012: the group's prefix and the day's number, as the display and the paper show it."""
    return f"{prefix}-{number:03d}"


class TicketEvent(Base):
    """Append-only history of a ticket: each call (recalls too), serve, finish, transfer. The
    displays follow the calls by id."""

    __tablename__ = "ticket_event"
    __table_args__ = (Index("ix_ticket_event_group_id", "group_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_ticket.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("counter_group.id"))
    kind: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[TicketState | None] = mapped_column(enum_column(TicketState),
                                                           nullable=True)
    to_state: Mapped[TicketState] = mapped_column(enum_column(TicketState))
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
