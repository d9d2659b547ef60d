"""Booking a slot ahead on a phone, cancelling it from the link in the message, and checking it
in at the kiosk, where it becomes a ticket called before the walk-ins of its slot."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.clock import Clock
from services.codes import (
    PinKeyring,
    format_tracking_code,
    new_tracking_code,
    normalise_tracking_code,
)
from services.errors import Conflict, NotFound, ValidationFailed
from services.formatting import local_time_of_day, long_local_date
from services.frontoffice.queue import TakenTicket, group_by_code, hours_of, take_ticket
from services.frontoffice.rules import (
    Slot,
    day_slots,
    require_bookable_day,
    require_booking_allowance,
    require_slot_room,
)
from services.models import Booking, BookingState, CounterGroup, QueueTicket, ServiceRequest
from services.outbox.notices import (
    citizen_channel,
    notify_citizen,
    record_consent,
    withdraw_subject,
)
from services.privacy import keep_out_of_logs
from services.submission import Applicant, clean_applicant

# The reminder goes this long before the slot starts.
REMINDER_AHEAD = timedelta(hours=18)
# A booking is checked in from this long before its slot until its end.
CHECK_IN_EARLY = timedelta(minutes=30)


def booking_subject(code: str) -> str:
    return f"booking:{code}"


@dataclass(frozen=True)
class SlotRoom:
    slot: Slot
    left: int


def slots_with_room(session: Session, *, group: CounterGroup, day: date,
                    calendar: CityCalendar) -> list[SlotRoom]:
    """The day's slots of a group and how many places each has left."""
    slots = day_slots(day, hours_of(group), group.slot_minutes, calendar.timezone)
    booked = dict(session.execute(
        select(Booking.slot_start, func.count()).where(
            Booking.group_id == group.id, Booking.day == day,
            Booking.state != BookingState.CANCELLED).group_by(Booking.slot_start)).all())
    return [SlotRoom(slot, max(0, group.slot_capacity - _count_at(booked, slot.start)))
            for slot in slots]


def _count_at(booked: dict[datetime, int], start: datetime) -> int:
    return next((count for moment, count in booked.items() if moment == start), 0)


@dataclass(frozen=True)
class BookingInput:
    group_code: str
    day: date
    slot_start: datetime
    nik: str
    name: str
    phone: str
    notify: str = "whatsapp"  # how the confirmation and the reminder reach the citizen
    language: str = "id"
    tracking_code: str | None = None  # the request the visit is for


def cancel_token(pins: PinKeyring, code: str) -> str:
    """The key of a booking's cancel link: only the holder of the message has it."""
    return pins.person_digest("booking-cancel", code)[:24]


def book_slot(session: Session, booking: BookingInput, *, pins: PinKeyring, clock: Clock,
              calendar: CityCalendar, city: str, base_url: str) -> Booking:
    """Book one place in a slot: a working day ahead, room left in the slot, and at most
    MAX_OPEN_BOOKINGS open bookings per person by NIK and by phone. The confirmation and the
    reminder (with the cancel link) go through the outbox. Not committed."""
    applicant = clean_applicant(Applicant(booking.nik, booking.name, booking.phone))
    keep_out_of_logs(applicant.nik, applicant.phone, applicant.name)
    channel = citizen_channel(booking.notify)
    now = clock.now()
    group = group_by_code(session, booking.group_code, lock=True)  # one booker at a time
    require_bookable_day(booking.day, calendar.local_day(now), calendar.holidays(session))
    slot = next((room for room in slots_with_room(session, group=group, day=booking.day,
                                                  calendar=calendar)
                 if room.slot.start == booking.slot_start), None)
    if slot is None:
        raise ValidationFailed("booking.no_such_slot", fields={"slot": "booking.no_such_slot"})
    require_slot_room(group.slot_capacity - slot.left, group.slot_capacity)
    nik_digest = pins.person_digest("booking-nik", applicant.nik)
    phone_digest = pins.person_digest("booking-phone", applicant.phone)
    require_booking_allowance(
        _open_count(session, Booking.nik_digest == nik_digest, now),
        _open_count(session, Booking.phone_digest == phone_digest, now))
    request = _request_for(session, booking.tracking_code)
    made = Booking(code=new_tracking_code(), group_id=group.id, day=booking.day,
                   slot_start=slot.slot.start, slot_end=slot.slot.end,
                   state=BookingState.BOOKED, nik_digest=nik_digest, phone_digest=phone_digest,
                   request_id=request.id if request else None,
                   language="en" if booking.language == "en" else "id", created_at=now)
    session.add(made)
    session.flush()
    _queue_messages(session, made, group, channel_address=applicant.phone, channel=channel,
                    pins=pins, now=now, calendar=calendar, city=city, base_url=base_url)
    return made


def _open_count(session: Session, whose, now: datetime) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(Booking).where(
        whose, Booking.state == BookingState.BOOKED, Booking.slot_end > now)) or 0


def _request_for(session: Session, tracking_code: str | None) -> ServiceRequest | None:
    if not tracking_code:
        return None
    code = normalise_tracking_code(tracking_code)
    request = session.scalar(select(ServiceRequest).where(
        ServiceRequest.tracking_code == (code or "-")))
    if request is None:
        raise NotFound("booking.no_such_request")
    return request


def _queue_messages(session: Session, booking: Booking, group: CounterGroup, *,
                    channel_address: str, channel, pins: PinKeyring, now: datetime,  # type: ignore[no-untyped-def]
                    calendar: CityCalendar, city: str, base_url: str) -> None:
    subject = booking_subject(booking.code)
    if record_consent(session, subject=subject, channel=channel, address=channel_address,
                      language=booking.language, source="booking", now=now) is None:
        return
    lang = booking.language
    params = {
        "city": city, "code": format_tracking_code(booking.code), "group": group.name,
        "date": long_local_date(booking.slot_start, calendar.timezone, lang),
        "time": local_time_of_day(booking.slot_start, calendar.timezone, lang),
        "cancel_url": (f"{base_url.rstrip('/')}/antrean/batal/{booking.code}"
                       f"?t={cancel_token(pins, booking.code)}"),
    }
    notify_citizen(session, subject=subject, event_key=f"booking:{booking.code}:made",
                   event_kind="booking_made", template="booking_made", params=params, now=now)
    reminder_at = max(now, booking.slot_start - REMINDER_AHEAD)
    notify_citizen(session, subject=subject, event_key=f"booking:{booking.code}:reminder",
                   event_kind="booking_reminder", template="booking_reminder", params=params,
                   now=reminder_at)


def booking_by_code(session: Session, code: str, *, lock: bool = False) -> Booking:
    normal = normalise_tracking_code(code or "")
    query = select(Booking).where(Booking.code == (normal or "-"))
    if lock:
        query = query.with_for_update()
    booking = session.scalar(query)
    if booking is None:
        raise NotFound("booking.not_found")
    return booking


def cancel_booking(session: Session, *, code: str, token: str, pins: PinKeyring,
                   clock: Clock) -> Booking:
    """The cancel link: the slot is freed and the reminder is not sent."""
    booking = booking_by_code(session, code, lock=True)
    if not hmac.compare_digest(cancel_token(pins, booking.code), token or ""):
        raise NotFound("booking.not_found")
    if booking.state is BookingState.CANCELLED:
        return booking
    if booking.state is not BookingState.BOOKED:
        raise Conflict("booking.already_checked_in")
    booking.state = BookingState.CANCELLED
    booking.cancelled_at = clock.now()
    withdraw_subject(session, booking_subject(booking.code), via="booking cancelled",
                     now=booking.cancelled_at)
    return booking


def check_in_booking(session: Session, *, code: str, clock: Clock, calendar: CityCalendar,
                     kiosk_id: int | None = None) -> TakenTicket:
    """At the kiosk: the booking becomes a ticket, called before walk-ins within its slot.
    From CHECK_IN_EARLY before the slot until its end; a second check-in gives the same
    ticket back."""
    booking = booking_by_code(session, code, lock=True)
    now = clock.now()
    if booking.state is BookingState.CANCELLED:
        raise Conflict("booking.cancelled")
    if booking.state is BookingState.CHECKED_IN:
        ticket = session.scalar(select(QueueTicket).where(QueueTicket.booking_id == booking.id))
        assert ticket is not None
        return TakenTicket(ticket, False)
    if now < booking.slot_start - CHECK_IN_EARLY:
        raise ValidationFailed("booking.too_early",
                               time=local_time_of_day(booking.slot_start, calendar.timezone))
    if now >= booking.slot_end:
        raise ValidationFailed("booking.slot_over")
    request = session.get(ServiceRequest, booking.request_id) if booking.request_id else None
    taken = take_ticket(session, group_code=booking.group.code, clock=clock, calendar=calendar,
                        request=request, booking=booking, kiosk_id=kiosk_id)
    booking.state = BookingState.CHECKED_IN
    booking.checked_in_at = now
    return taken
