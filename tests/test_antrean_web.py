"""The citizen's queue pages on a phone: following a ticket, booking a slot, the cancel link,
and the request's status page telling its place in the line or offering a booking."""


import pytest
from sqlalchemy import select

from services.frontoffice.bookings import cancel_token
from services.frontoffice.counter import call_next
from services.frontoffice.queue import take_ticket
from services.models import Booking, BookingState, OutboxMessage
from tests.builders import NIK, PHONE, PINS
from tests.builders.frontoffice import CALENDAR, make_counter_officer, make_hall, morning_clock
from tests.builders.workflow import make_city, submit


@pytest.fixture
def hall(app, app_session):
    make_city(app_session)
    make_hall(app_session)
    clock = morning_clock()
    app.extensions["clock"] = clock
    app.extensions["city_calendar"] = CALENDAR
    return {"clock": clock, "session": app_session,
            "officer": make_counter_officer(app_session)}


def test_the_ticket_page_follows_the_place_in_the_line(client, hall):
    session, clock = hall["session"], hall["clock"]
    first = take_ticket(session, group_code="ADMINDUK", clock=clock, calendar=CALENDAR).ticket
    second = take_ticket(session, group_code="ADMINDUK", clock=clock, calendar=CALENDAR).ticket
    session.commit()
    page = client.get(f"/antrean/{second.follow_key}").get_data(as_text=True)
    assert "A-002" in page and "Anda nomor 2 berikutnya" in page
    call_next(session, actor=hall["officer"], counter_number=2, clock=clock, calendar=CALENDAR)
    session.commit()
    assert "Silakan menuju loket 2" in client.get(f"/antrean/{first.follow_key}").get_data(
        as_text=True)
    assert "Anda nomor 1 berikutnya" in client.get(f"/antrean/{second.follow_key}").get_data(
        as_text=True)
    assert client.get("/antrean/not-a-key").status_code == 404


def test_a_slot_is_booked_on_the_phone_and_cancelled_from_the_link(client, hall):
    page = client.get("/antrean/pesan?group=ADMINDUK&day=2026-11-26").get_data(as_text=True)
    assert "08.00" in page and "sisa 4" in page
    slot = "2026-11-26T02:00:00+00:00"  # 09.00 in Jakarta
    refused = client.post("/antrean/pesan", data={
        "group": "ADMINDUK", "day": "2026-11-26", "slot": slot, "nik": "123",
        "name": "Siti Aminah", "phone": PHONE, "notify": "whatsapp"})
    assert refused.status_code == 422
    booked = client.post("/antrean/pesan", data={
        "group": "ADMINDUK", "day": "2026-11-26", "slot": slot, "nik": NIK,
        "name": "Siti Aminah", "phone": PHONE, "notify": "whatsapp"})
    assert booked.status_code == 302
    session = hall["session"]
    booking = session.scalar(select(Booking))
    assert booking.slot_start.isoformat() == slot
    assert "Kode booking" in client.get(booked.headers["Location"]).get_data(as_text=True)
    kinds = session.scalars(select(OutboxMessage.event_kind)).all()
    assert sorted(kinds) == ["booking_made", "booking_reminder"]
    wrong = client.post(f"/antrean/batal/{booking.code}", data={"t": "nope"})
    assert wrong.status_code == 404
    token = cancel_token(PINS, booking.code)
    assert "Ya, batalkan" in client.get(f"/antrean/batal/{booking.code}?t={token}").get_data(
        as_text=True)
    done = client.post(f"/antrean/batal/{booking.code}", data={"t": token})
    assert "Janji temu dibatalkan" in done.get_data(as_text=True)
    session.expire_all()
    assert session.get(Booking, booking.id).state is BookingState.CANCELLED


def test_a_holiday_cannot_be_booked(client, hall):
    page = client.get("/antrean/pesan?group=ADMINDUK&day=2026-11-28")
    assert "Loket tutup pada hari itu" in page.get_data(as_text=True)
    assert 'name="slot"' not in page.get_data(as_text=True)
    answer = client.post("/antrean/pesan", data={
        "group": "ADMINDUK", "day": "2026-11-28", "slot": "2026-11-28T02:00:00+00:00",
        "nik": NIK, "name": "Siti Aminah", "phone": PHONE, "notify": "sms"})
    assert answer.status_code == 422
    assert hall["session"].scalar(select(Booking)) is None


def test_the_status_page_tells_the_place_or_offers_a_booking(client, hall):
    session, clock = hall["session"], hall["clock"]
    request, pin = submit(session, "SKTM")
    session.commit()
    page = client.post("/status", data={"tracking_code": request.tracking_code,
                                        "pin": pin}).get_data(as_text=True)
    assert "Buat janji temu" in page and "ADMINDUK" in page
    take_ticket(session, group_code="ADMINDUK", clock=clock, calendar=CALENDAR)
    take_ticket(session, group_code="ADMINDUK", clock=clock, calendar=CALENDAR, request=request)
    session.commit()
    page = client.post("/status", data={"tracking_code": request.tracking_code,
                                        "pin": pin}).get_data(as_text=True)
    assert "A-002" in page and "Anda nomor 2 berikutnya" in page
