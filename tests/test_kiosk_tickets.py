"""Queue tickets at the kiosk: "Ambil nomor antrean" on the attract screen and after a filing
whose next step is a counter (then tied to the request), "Loket sudah tutup" outside the hours,
a booking checked in by its code, and the ticket printed with its number and QR code."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kiosk_client.ticket import Ticket, render_ticket
from services.frontoffice.bookings import BookingInput, book_slot, slots_with_room
from services.frontoffice.hall import ensure_counter_group
from services.kiosks.printing import fetch_print_jobs
from services.kiosks.status import record_heartbeat
from services.models import CounterGroup, PrintJob, QueueTicket, ServiceRequest
from tests.builders import PINS
from tests.builders.frontoffice import CALENDAR, morning_clock
from tests.builders.kiosk import NIK, PHONE, enrol, make_business_catalog, make_kiosk
from tests.builders.printing import decoded_codes, pdf_text, require_tools
from tests.test_anjungan import fill_in


@pytest.fixture
def kiosk(app, session):
    make_business_catalog(session)
    kiosk = make_kiosk(session)
    ensure_counter_group(session, code="ADMINDUK", name="Adminduk", prefix="A", counters=[1, 2],
                         service_codes=["IZIN-USAHA"])
    ensure_counter_group(session, code="PERIZINAN", name="Perizinan", prefix="B", counters=[3])
    clock = morning_clock()
    record_heartbeat(session, kiosk, printer_state="ready", now=clock.now())
    session.commit()
    app.extensions["clock"] = clock
    app.extensions["city_calendar"] = CALENDAR
    return kiosk


@pytest.fixture
def enrolled(client, kiosk):
    assert enrol(client).status_code == 302
    return client


def test_a_walk_in_takes_a_number_that_prints_with_its_qr_code(enrolled, session, kiosk,
                                                                tmp_path):
    assert "Ambil nomor antrean" in enrolled.get("/kiosk/").get_data(as_text=True)
    groups = enrolled.get("/kiosk/antrean").get_data(as_text=True)
    assert "Adminduk" in groups and "Perizinan" in groups
    enrolled.post("/kiosk/antrean/PERIZINAN")
    taken = enrolled.post("/kiosk/antrean/ADMINDUK")
    assert taken.headers["Location"].endswith("/kiosk/antrean/nomor")
    screen = enrolled.get("/kiosk/antrean/nomor").get_data(as_text=True)
    assert "A-001" in screen and "Anda nomor 1 berikutnya" in screen
    job = session.scalars(select(PrintJob).where(PrintJob.kind == "ticket")
                          .order_by(PrintJob.id.desc())).first()
    assert job is not None and job.request_id is None
    handed = fetch_print_jobs(session, kiosk, pins=PINS, city="Kota Contoh",
                              base_url="https://kiosk.example")
    body = next(j for j in handed if j["id"] == job.id)
    ticket = Ticket.from_dict(body["ticket"])
    assert ticket.label == "A-001" and "/antrean/" in ticket.follow_url
    pdf = render_ticket(ticket, 80)
    require_tools("pdftotext", "pdftoppm", "zbarimg")
    text = pdf_text(pdf)
    assert "A-001" in text and "Adminduk" in text and "NOMOR ANTREAN" in text
    assert decoded_codes(pdf, tmp_path)["QR-Code"] == ticket.follow_url


def test_the_counters_closed_screen_outside_the_hours(enrolled, app):
    app.extensions["clock"].advance(hours=7)  # 16:00 in Jakarta
    closed = enrolled.get("/kiosk/antrean")
    assert "Loket sudah tutup" in closed.get_data(as_text=True)
    refused = enrolled.post("/kiosk/antrean/ADMINDUK")
    assert refused.status_code == 409
    assert "Loket sudah tutup" in refused.get_data(as_text=True)


def test_a_filing_whose_next_step_is_a_counter_takes_a_linked_ticket(enrolled, session):
    fill_in(enrolled)
    enrolled.post("/kiosk/apply/submit")
    done = enrolled.get("/kiosk/apply/done").get_data(as_text=True)
    assert "Langkah berikutnya di loket Adminduk" in done
    enrolled.post("/kiosk/apply/antrean")
    request = session.scalar(select(ServiceRequest))
    screen = enrolled.get("/kiosk/antrean/nomor").get_data(as_text=True)
    assert "A-001" in screen and request.tracking_code[:4] in screen
    enrolled.post("/kiosk/apply/antrean")  # a second tap: the same ticket
    tickets = session.scalars(select(QueueTicket)).all()
    assert [(t.label, t.request_id) for t in tickets] == [("A-001", request.id)]
    job = session.scalars(select(PrintJob).where(PrintJob.kind == "ticket")).one()
    assert job.payload["ticket"]["tracking_code"].replace("-", "") == request.tracking_code


def test_a_booking_is_checked_in_by_its_code(enrolled, session, app):
    adminduk = session.scalar(select(CounterGroup).where(CounterGroup.code == "ADMINDUK"))
    clock = app.extensions["clock"]
    clock.at -= timedelta(days=1)  # booked the day before
    slot = slots_with_room(session, group=adminduk, day=date(2026, 11, 25),
                           calendar=CALENDAR)[2].slot  # 09:00-09:30
    booking = book_slot(session, BookingInput(
        group_code="ADMINDUK", day=date(2026, 11, 25), slot_start=slot.start, nik=NIK,
        name="Siti Aminah", phone=PHONE), pins=PINS, clock=clock, calendar=CALENDAR,
        city="Kota Contoh", base_url="https://kiosk.example")
    session.commit()
    clock.at = slot.start + timedelta(minutes=1)
    wrong = enrolled.post("/kiosk/antrean/booking", data={"code": "ZZZZZZZZZ"})
    assert wrong.status_code == 422
    assert "Kode booking tidak ditemukan." in wrong.get_data(as_text=True)
    enrolled.post("/kiosk/antrean/booking", data={"code": booking.code})
    screen = enrolled.get("/kiosk/antrean/nomor").get_data(as_text=True)
    assert "A-001" in screen and "Janji temu" in screen
