"""Booking a slot ahead: working days only, room per slot, few open bookings per person; the
confirmation and reminder through the outbox; cancel by the link; check-in at the kiosk."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services.errors import NotFound, ValidationFailed
from services.frontoffice.bookings import (
    BookingInput,
    book_slot,
    cancel_booking,
    cancel_token,
    check_in_booking,
    slots_with_room,
)
from services.frontoffice.counter import call_next
from services.frontoffice.queue import take_ticket
from services.models import BookingState, OutboxMessage, OutboxState, TicketState
from tests.builders import NIK, PHONE, PINS
from tests.builders.frontoffice import CALENDAR, make_counter_officer, make_hall, morning_clock
from tests.builders.workflow import make_city

THURSDAY = date(2026, 11, 26)


@pytest.fixture
def hall(session):
    make_city(session)
    groups = make_hall(session, slot_capacity=2)
    return {"groups": groups, "officer": make_counter_officer(session)}


def slot(session, group, day=THURSDAY, index=2):
    return slots_with_room(session, group=group, day=day, calendar=CALENDAR)[index].slot


def book(session, group, *, nik=NIK, phone=PHONE, day=THURSDAY, index=2, clock=None):
    return book_slot(session, BookingInput(
        group_code=group.code, day=day, slot_start=slot(session, group, day, index).start,
        nik=nik, name="Siti Aminah", phone=phone), pins=PINS, clock=clock or morning_clock(),
        calendar=CALENDAR, city="Kota Contoh", base_url="https://kiosk.example")


def test_a_booking_takes_a_place_and_queues_the_confirmation_and_reminder(session, hall):
    adminduk = hall["groups"]["ADMINDUK"]
    booking = book(session, adminduk)
    assert booking.state is BookingState.BOOKED
    assert NIK not in booking.nik_digest and PHONE not in booking.phone_digest
    assert slots_with_room(session, group=adminduk, day=THURSDAY, calendar=CALENDAR)[2].left == 1
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.event_kind for m in messages] == ["booking_made", "booking_reminder"]
    assert messages[1].next_attempt_at == booking.slot_start - timedelta(hours=18)
    assert "/antrean/batal/" in messages[0].payload["params"]["cancel_url"]


def test_a_full_slot_and_a_holiday_are_refused(session, hall):
    adminduk = hall["groups"]["ADMINDUK"]
    book(session, adminduk, nik="3578014506900002", phone="081234567891")
    book(session, adminduk, nik="3578014506900003", phone="081234567892")
    with pytest.raises(ValidationFailed) as full:
        book(session, adminduk)
    assert full.value.message.code == "booking.slot_full"
    with pytest.raises(ValidationFailed):
        book(session, adminduk, day=date(2026, 11, 28))  # a Saturday


def test_one_person_holds_at_most_two_open_bookings_by_nik_or_phone(session, hall):
    adminduk = hall["groups"]["ADMINDUK"]
    book(session, adminduk, index=0)
    book(session, adminduk, index=1, phone="081299999999")
    with pytest.raises(ValidationFailed) as by_nik:
        book(session, adminduk, index=3, phone="081288888888")
    assert by_nik.value.message.code == "booking.too_many_open"
    book(session, adminduk, index=4, nik="3578014506900009")  # the first's phone: its second
    with pytest.raises(ValidationFailed):
        book(session, adminduk, index=5, nik="3578014506900008")  # the same phone a third time


def test_the_cancel_link_frees_the_place_and_stops_the_reminder(session, hall):
    adminduk = hall["groups"]["ADMINDUK"]
    booking = book(session, adminduk)
    with pytest.raises(NotFound):
        cancel_booking(session, code=booking.code, token="wrong", pins=PINS,
                       clock=morning_clock())
    cancel_booking(session, code=booking.code, token=cancel_token(PINS, booking.code),
                   pins=PINS, clock=morning_clock())
    assert booking.state is BookingState.CANCELLED
    states = session.scalars(select(OutboxMessage.state)).all()
    assert set(states) == {OutboxState.CANCELLED}
    assert slots_with_room(session, group=adminduk, day=THURSDAY, calendar=CALENDAR)[2].left == 2


def test_a_checked_in_booking_is_called_before_a_walk_in_of_its_group(session, hall):
    adminduk = hall["groups"]["ADMINDUK"]
    booking = book(session, adminduk)  # Thursday 09:00-09:30 in Jakarta
    clock = morning_clock()
    clock.at = booking.slot_start - timedelta(minutes=40)
    with pytest.raises(ValidationFailed) as early:
        check_in_booking(session, code=booking.code, clock=clock, calendar=CALENDAR)
    assert early.value.message.code == "booking.too_early"
    walk_in = take_ticket(session, group_code="ADMINDUK", clock=clock, calendar=CALENDAR).ticket
    clock.at = booking.slot_start + timedelta(minutes=2)
    taken = check_in_booking(session, code=booking.code, clock=clock, calendar=CALENDAR)
    assert taken.created and booking.state is BookingState.CHECKED_IN
    again = check_in_booking(session, code=booking.code.lower(), clock=clock, calendar=CALENDAR)
    assert again.ticket.id == taken.ticket.id and not again.created
    called = call_next(session, actor=hall["officer"], counter_number=1, clock=clock,
                       calendar=CALENDAR)
    assert called.id == taken.ticket.id
    assert walk_in.state is TicketState.WAITING
