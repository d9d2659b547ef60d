# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""The front office's walk in headless Chromium: a citizen files a KTP-el replacement at the
kiosk and takes the linked number, which prints with its tracking code; the hall's display
shows and speaks the call; the counter officer calls it, sees the request, and finishes the
visit. And a phone booking checked in at the kiosk is called before a walk-in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk_client.runner import job_pdf
from kiosk_client.spool import SpooledJob
from services.city_calendar import CityCalendar
from services.demo import DEMO_PASSWORD, load_demo
from services.kiosks.status import record_heartbeat
from services.models import Kiosk, QueueTicket, TicketState
from tests.browser import (  # noqa: F401
    browser,
    desk_page,
    landscape_page,
    live_server,
    page_in_new_context,
    portrait_page,
    sign_in,
)
from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE
from tests.builders.printing import pdf_text, require_tools
from tests.fakes import FakeClock

pytestmark = pytest.mark.browser

# Wednesday 25 November 2026, 09:00 in Jakarta: the counters are open.
MORNING = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@pytest.fixture
def hall(app, session):
    load_demo(session, device_token=KIOSK_TOKEN)
    kiosk = session.scalar(select(Kiosk))
    record_heartbeat(session, kiosk, printer_state="ready", now=MORNING + timedelta(hours=3))
    session.commit()
    clock = FakeClock(MORNING)
    app.extensions["clock"] = clock
    app.extensions["city_calendar"] = CityCalendar(fixed_holidays=frozenset())
    return clock


def enrol(page, server):
    page.goto(f"{server.url}/kiosk/enrol")
    page.fill("#token", KIOSK_TOKEN)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/kiosk/")


def keep_picture(page, path, **options):
    """A screenshot to look at, not an assertion: once more if Chromium was briefly too busy
    to capture (a protocol error seen once under load)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.screenshot(path=path, **options)
    except PlaywrightError:
        page.wait_for_timeout(500)
        page.screenshot(path=path, **options)


def file_ktp_replacement(page, server):
    page.goto(f"{server.url}/kiosk/service/KTP-EL-GANTI")
    page.tap("#start")
    page.fill("#nik", NIK)
    page.fill("#name", "Siti Aminah")
    page.fill("#phone", PHONE)
    page.tap("form.form button[type=submit]")
    page.tap("label[for='replacement_reason-1']")  # damaged
    page.tap("form.form button[type=submit]")
    page.tap("label[for='pickup_location-1']")  # at the MPP
    page.tap("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kiosk/apply/berkas$"))  # documents: shown at the counter
    page.tap("#documents-next")
    page.wait_for_url(re.compile(r".*/kiosk/apply/check$"))
    page.tap("#submit")
    page.wait_for_url(re.compile(r".*/kiosk/apply/done$"))
    return page.inner_text("#tracking-code")


def printed_ticket_text(server, job_kind="ticket"):
    """What the kiosk client prints: its jobs fetched as the client fetches them, rendered."""
    answer = requests.get(f"{server.url}/api/v1/kiosk/print-jobs",
                          headers={"Authorization": f"Bearer {KIOSK_TOKEN}"}, timeout=10).json()
    job = next(j for j in answer["jobs"] if j["kind"] == job_kind)
    pdf, _title = job_pdf(SpooledJob(id=job["id"], kind=job["kind"], payload=job, state="new",
                                     attempts=0, error=""), 80)
    require_tools("pdftotext")
    return pdf_text(pdf)


def test_the_full_walk_from_the_kiosk_to_the_counter(live_server, browser, hall, session,
                                                     artifacts):
    kiosk = next(page_in_new_context(browser, viewport={"width": 1080, "height": 1920},
                                     has_touch=True))
    display = next(page_in_new_context(browser, viewport={"width": 1920, "height": 1080}))
    officer = next(page_in_new_context(browser, viewport={"width": 1366, "height": 768}))

    enrol(kiosk, live_server)
    code = file_ktp_replacement(kiosk, live_server)
    expect(kiosk.locator("#take-ticket")).to_be_visible()
    keep_picture(kiosk, path=str(artifacts / "frontoffice-done-take-ticket.png"), full_page=True)
    kiosk.tap("#take-ticket")
    kiosk.wait_for_url(re.compile(r".*/kiosk/antrean/nomor$"))
    expect(kiosk.locator("#ticket-number")).to_have_text("A-001")
    expect(kiosk.locator("#ticket-tracking")).to_have_text(code)
    expect(kiosk.locator("#ticket-place")).to_contain_text("Anda nomor 1 berikutnya")
    keep_picture(kiosk, path=str(artifacts / "frontoffice-kiosk-ticket.png"), full_page=True)
    printed = printed_ticket_text(live_server)
    assert "A-001" in printed and code in printed and "Adminduk" in printed

    display.goto(f"{live_server.url}/layar/ADMINDUK")
    expect(display.locator("#waiting")).to_have_text("1")

    sign_in(officer, live_server.url, "officer.mpp", DEMO_PASSWORD, "/petugas/")
    officer.goto(f"{live_server.url}/loket/")
    officer.get_by_role("link", name=re.compile("Loket 1")).click()
    officer.get_by_role("button", name="Panggil berikutnya").click()
    expect(officer.locator("[data-test=ticket]")).to_have_text("A-001")
    linked = officer.locator("[data-test=linked-request]")
    expect(linked).to_contain_text(code)
    expect(linked).to_contain_text("Siti Aminah")
    keep_picture(officer, path=str(artifacts / "frontoffice-loket.png"), full_page=True)

    # The display shows the call within two seconds, and speaks it.
    expect(display.locator("#now-number")).to_have_text("A-001", timeout=2000)
    expect(display.locator("#now-counter")).to_have_text("Loket 1")
    expect(display.locator("#waiting")).to_have_text("0")
    display.wait_for_function(
        "() => window.layarLastAudio && window.layarLastAudio.readyState >= 2"
        " && window.layarLastAudio.duration > 1", timeout=15000)
    source = display.evaluate("() => window.layarLastAudio.src")
    audio = requests.get(source, timeout=10)
    assert audio.status_code == 200 and audio.headers["Content-Type"].startswith("audio/")
    keep_picture(display, path=str(artifacts / "frontoffice-layar.png"))

    officer.get_by_role("button", name="Selesai").click()
    expect(officer.locator(".flash")).to_contain_text("Kunjungan selesai.")
    expect(officer.get_by_role("button", name="Panggil berikutnya")).to_be_visible()
    session.expire_all()
    assert session.scalar(select(QueueTicket.state)) is TicketState.DONE


def test_a_phone_booking_checked_in_is_called_before_a_walk_in(live_server, browser, hall,
                                                                session, artifacts):
    phone = next(page_in_new_context(browser, viewport={"width": 390, "height": 844},
                                     has_touch=True, is_mobile=True))
    hall.at = MORNING - timedelta(days=1)  # booked the day before
    phone.goto(f"{live_server.url}/antrean/pesan?group=ADMINDUK&day=2026-11-25")
    phone.check("input[name=slot][value='2026-11-25T02:00:00+00:00']")  # 09.00
    phone.fill("#nik", NIK)
    phone.fill("#name", "Siti Aminah")
    phone.fill("#phone", PHONE)
    keep_picture(phone, path=str(artifacts / "frontoffice-booking-phone.png"), full_page=True)
    phone.click("#book")
    booking_code = phone.inner_text("#booking-code")

    hall.at = MORNING + timedelta(minutes=5)
    kiosk = next(page_in_new_context(browser, viewport={"width": 1080, "height": 1920},
                                     has_touch=True))
    enrol(kiosk, live_server)
    keep_picture(kiosk, path=str(artifacts / "frontoffice-kiosk-home.png"))
    kiosk.tap("#take-ticket")
    keep_picture(kiosk, path=str(artifacts / "frontoffice-kiosk-groups.png"))
    kiosk.tap("#group-ADMINDUK")
    expect(kiosk.locator("#ticket-number")).to_have_text("A-001")  # the walk-in, first in
    kiosk.tap("#finish")
    kiosk.tap("#take-ticket")
    kiosk.tap("#check-in")
    kiosk.fill("#code", booking_code)
    kiosk.tap("#check-in-submit")
    expect(kiosk.locator("#ticket-number")).to_have_text("A-002")
    keep_picture(kiosk, path=str(artifacts / "frontoffice-kiosk-booked-ticket.png"))

    officer = next(page_in_new_context(browser, viewport={"width": 1366, "height": 768}))
    sign_in(officer, live_server.url, "officer.mpp", DEMO_PASSWORD, "/petugas/")
    officer.goto(f"{live_server.url}/loket/2")
    officer.get_by_role("button", name="Panggil berikutnya").click()
    expect(officer.locator("[data-test=ticket]")).to_have_text("A-002")


def test_the_display_recovers_by_itself_after_a_network_break(live_server, browser, hall,
                                                               session, app):
    from services.frontoffice.counter import call_next
    from services.frontoffice.queue import take_ticket
    from services.models import User

    app.config["DISPLAY_LONG_POLL_SECONDS"] = 2  # each held poll ends soon: the break shows
    display = next(page_in_new_context(browser, viewport={"width": 1920, "height": 1080}))
    display.goto(f"{live_server.url}/layar/ADMINDUK")
    expect(display.locator("#now-number")).to_have_text("—")
    display.context.route("**/layar/ADMINDUK/panggilan*",
                          lambda route: route.abort("internetdisconnected"))
    expect(display.locator("#link-state")).to_be_visible(timeout=10000)  # it says it is away
    officer = session.scalar(select(User).where(User.username == "officer.mpp"))
    calendar = app.extensions["city_calendar"]
    take_ticket(session, group_code="ADMINDUK", clock=hall, calendar=calendar)
    call_next(session, actor=officer, counter_number=2, clock=hall, calendar=calendar)
    session.commit()
    display.context.unroute("**/layar/ADMINDUK/panggilan*")
    # Back within its longest pause (8 s), with the call made while it was away.
    expect(display.locator("#now-number")).to_have_text("A-001", timeout=12000)
    expect(display.locator("#link-state")).to_be_hidden()
    expect(display.locator("#now-counter")).to_have_text("Loket 2")
