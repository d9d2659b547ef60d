"""The front office's rules as functions of values: which moves a ticket may make, when the
counters are open, the slots of a day, who is called first, and the limits on tickets and
bookings. Stdlib only; the use cases and the pages call these, so each rule lives once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.errors import InvalidTransition, ValidationFailed
from services.models.frontoffice import TicketState
from services.working_days import is_working_day

# A ticket may be marked "tidak hadir" only after it was called this many times.
NO_SHOW_AFTER_CALLS = 2
# How many bookings one person (by NIK, and by phone) may hold open at once.
MAX_OPEN_BOOKINGS = 2
# How far ahead a slot may be booked, in days.
BOOKING_HORIZON_DAYS = 14
# When no ticket was served yet today, a visit is reckoned to take this long.
DEFAULT_SERVICE_MINUTES = 8

OPEN_TICKET_STATES = frozenset({TicketState.WAITING, TicketState.CALLED, TicketState.SERVING})
FINISHED_TICKET_STATES = frozenset({TicketState.DONE, TicketState.NO_SHOW,
                                    TicketState.TRANSFERRED})

# The moves a ticket may make; a recall is CALLED -> CALLED.
TICKET_MOVES: dict[TicketState, frozenset[TicketState]] = {
    TicketState.WAITING: frozenset({TicketState.CALLED}),
    TicketState.CALLED: frozenset({TicketState.CALLED, TicketState.SERVING, TicketState.DONE,
                                   TicketState.NO_SHOW, TicketState.TRANSFERRED}),
    TicketState.SERVING: frozenset({TicketState.DONE, TicketState.TRANSFERRED}),
    TicketState.DONE: frozenset(),
    TicketState.NO_SHOW: frozenset(),
    TicketState.TRANSFERRED: frozenset(),
}


def next_ticket_state(current: TicketState, wanted: TicketState, *, calls: int = 0) -> TicketState:
    """``wanted`` if the ticket may move there from ``current``; a no-show needs
    NO_SHOW_AFTER_CALLS calls first."""
    if wanted not in TICKET_MOVES[current]:
        raise InvalidTransition("ticket.invalid_move", state=current.value, wanted=wanted.value)
    if wanted is TicketState.NO_SHOW and calls < NO_SHOW_AFTER_CALLS:
        raise InvalidTransition("ticket.no_show_too_soon", calls=NO_SHOW_AFTER_CALLS)
    return wanted


@dataclass(frozen=True)
class OpeningHours:
    """A counter group's hours on a working day, in the city's local time."""

    opens: time
    closes: time

    @classmethod
    def parse(cls, opens: str, closes: str) -> OpeningHours:
        return cls(time.fromisoformat(opens), time.fromisoformat(closes))


def is_open(moment: datetime, hours: OpeningHours, holidays: Collection[date], tz: str) -> bool:
    """Whether the counters take tickets at ``moment``: a working day, within the hours."""
    local = moment.astimezone(ZoneInfo(tz))
    return (is_working_day(local.date(), holidays)
            and hours.opens <= local.time().replace(tzinfo=None) < hours.closes)


def require_open(moment: datetime, hours: OpeningHours, holidays: Collection[date],
                 tz: str) -> None:
    """Refuse a ticket outside the hours with "Loket sudah tutup"."""
    if not is_open(moment, hours, holidays, tz):
        raise ValidationFailed("ticket.counters_closed", opens=hours.opens.strftime("%H:%M"),
                               closes=hours.closes.strftime("%H:%M"))


def require_quota(taken_today: int, quota: int) -> None:
    """The day's quota of a group: once reached, no more tickets until tomorrow."""
    if taken_today >= quota:
        raise ValidationFailed("ticket.quota_reached", quota=quota)


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime


def day_slots(day: date, hours: OpeningHours, slot_minutes: int, tz: str) -> list[Slot]:
    """The bookable slots of a working day, back to back from opening to closing."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, hours.opens, zone)
    closing = datetime.combine(day, hours.closes, zone)
    step = timedelta(minutes=max(5, slot_minutes))
    slots = []
    while start + step <= closing:
        slots.append(Slot(start.astimezone(ZoneInfo("UTC")),
                          (start + step).astimezone(ZoneInfo("UTC"))))
        start += step
    return slots


def require_bookable_day(day: date, today: date, holidays: Collection[date]) -> None:
    """A slot is booked on a working day from tomorrow, within the booking horizon."""
    if not is_working_day(day, holidays):
        raise ValidationFailed("booking.not_working_day",
                               fields={"day": "booking.not_working_day"})
    if not today < day <= today + timedelta(days=BOOKING_HORIZON_DAYS):
        raise ValidationFailed("booking.day_out_of_range", days=BOOKING_HORIZON_DAYS,
                               fields={"day": "booking.day_out_of_range"})


def require_slot_room(booked: int, capacity: int) -> None:
    if booked >= capacity:
        raise ValidationFailed("booking.slot_full", fields={"slot": "booking.slot_full"})


def require_booking_allowance(open_by_nik: int, open_by_phone: int,
                              limit: int = MAX_OPEN_BOOKINGS) -> None:
    """One person holds at most ``limit`` open bookings, counted by NIK and by phone."""
    if max(open_by_nik, open_by_phone) >= limit:
        raise ValidationFailed("booking.too_many_open", limit=limit)


def call_rank(priority_from: datetime | None, priority_until: datetime | None,
              now: datetime) -> int:
    """0 for a booked (or transferred) ticket inside its slot, called before walk-ins; 1 else.
    services.frontoffice.queue.call_rank_clause is the same rule in SQL."""
    if priority_from is not None and priority_until is not None \
            and priority_from <= now < priority_until:
        return 0
    return 1


def estimated_wait_minutes(ahead: int, open_counters: int, service_minutes: float) -> int:
    """Roughly how long until the ticket is called: those ahead, shared by the open counters."""
    counters = max(1, open_counters)
    return int(round(ahead * service_minutes / counters))
