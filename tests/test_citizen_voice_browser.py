# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""Issue 11's and issue 16's done-when in Chromium, on the demo city: at the demo kiosk
(1080x1920, touch) a citizen files a confidential complaint about a health clinic, chooses
WhatsApp news and prints the receipt; the coordinator forwards it to Dinkes, Dinkes answers;
the answer shows on /pengaduan without the name; on a phone (390x844) the citizen rates it and
takes the IKM survey; at the kiosk a finished request is looked up and surveyed. Then the
service's IKM in GET /api/v1/ikm, and Dinkes's figures on /command and /kinerja, have moved.

/kinerja shows no cell under ten cases, so the demo city carries the history `flask demo
history` adds (ten answered complaints and ten paper surveys for Dinkes); the walk adds the
eleventh."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk_client.receipt import Receipt, render_receipt
from services.city_calendar import DEFAULT_CALENDAR
from services.db import utcnow
from services.demo import DEMO_KIOSK_CODE, load_demo_history
from services.kiosks.status import record_heartbeat
from services.models import (
    Channel,
    Complaint,
    ComplaintStatus,
    Kiosk,
    NotificationConsent,
    PrintJob,
    SurveyResponse,
    User,
)
from services.submission import Applicant, Submission, submit_request
from services.workflow.queues import claim_task
from services.workflow.tasks import approve_task
from tests.browser import browser, live_server, portrait_page  # noqa: F401
from tests.builders import PINS
from tests.kiosk_builders import KIOSK_TOKEN
from tests.test_complaints_browser import (
    ANSWER,
    NAME,
    PHONE,
    PHONE_VIEWPORT,
    demo_city,  # noqa: F401
    file_at_the_kiosk,
    forward_publish_and_answer,
    sign_in,
)
from tests.test_ikm_browser import answer_by_touch
from tests.test_kiosk_browser import look_up, small_targets
from tests.workflow_support import open_task

pytestmark = pytest.mark.browser

EARLIER = 10  # /kinerja's smallest cell
KRK = {"land_address": "Jl. Melati 3, Sukamaju", "land_certificate_number": "SHM 1234",
       "land_area_m2": "120", "planned_use": "hunian"}


def user(session, username):
    return session.scalar(select(User).where(User.username == username))


@pytest.fixture
def history(demo_city, app_session):
    """The demo's history (`flask demo history`: ten complaints Dinkes answered, ten paper
    surveys of Dinkes), and a KRK request filed at the demo kiosk and approved by DPUPR."""
    session = app_session
    load_demo_history(session, pins=PINS, calendar=DEFAULT_CALENDAR, now=utcnow())
    kiosk = session.scalar(select(Kiosk).where(Kiosk.code == DEMO_KIOSK_CODE))
    # Its client online with paper; dated ahead so a slow run does not outlive the heartbeat.
    record_heartbeat(session, kiosk, printer_state="ready", now=utcnow() + timedelta(minutes=30))
    krk = submit_request(session, Submission(
        service_code="KRK", applicant=Applicant(nik="3578014506900001", name="Budi Santoso",
                                                phone="081298765432"),
        answers=KRK, channel=Channel.KIOSK, kiosk_id=kiosk.id,
        idempotency_key=f"kiosk:{DEMO_KIOSK_CODE}:krk"), pins=PINS)
    clerk = user(session, "clerk.pupr")
    task = open_task(session, krk.request, "DPUPR")
    claim_task(session, actor=clerk, task_id=task.id)
    approve_task(session, actor=clerk, task_id=task.id)
    session.commit()
    code = krk.request.tracking_code
    session.close()  # on SQLite an open read would hold the write lock against the server
    return code, krk.pin


def look_up_complaint(kiosk, code, pin):
    """From the attract screen, by touch: "Cek pengaduan", the code and the PIN."""
    look_up(kiosk, code, pin, start="#complaint-lookup")


def ikm_of(page, server, query):
    return page.request.get(f"{server.url}/api/v1/ikm?{query}").json()


def kinerja_row(page, server):
    page.goto(f"{server.url}/kinerja")
    row = page.locator("tbody tr").filter(has_text="Dinas Kesehatan")
    return {key: row.locator(f"[data-figure={key}]").inner_text()
            for key in ("ikm", "complaints", "answered")}


def command_row(page, server):
    """Dinkes's row in the command center's table of outcomes, cell by cell."""
    page.goto(f"{server.url}/command/")
    row = page.locator("#table-outcomes tbody tr").filter(has_text="Dinas Kesehatan")
    return [cell.inner_text() for cell in row.locator("td").all()]


def test_a_complaint_and_surveys_from_the_demo_kiosk_move_the_figures(
        browser, live_server, portrait_page, history, app_session, artifacts):
    krk_code, krk_pin = history
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    leader = desk.new_page()
    sign_in(leader, live_server, "pimpinan")
    leader.wait_for_url("**/command/")
    command_before = command_row(leader, live_server)
    kinerja_before = kinerja_row(leader, live_server)
    krk_before = ikm_of(leader, live_server, "service=KRK")
    dinkes_before = ikm_of(leader, live_server, "agency=DINKES")
    assert kinerja_before["complaints"] == str(EARLIER) and krk_before["respondents"] == 0

    # At the demo kiosk: the confidential complaint, WhatsApp news, the printed receipt.
    kiosk = portrait_page
    code, pin = file_at_the_kiosk(kiosk, live_server, artifacts, notify="whatsapp")
    kiosk.tap("#print")
    expect(kiosk.locator("#print")).to_be_disabled()
    kiosk.screenshot(path=str(artifacts / "voice-kiosk-receipt-printed.png"), full_page=True)
    complaint = app_session.scalar(select(Complaint).where(
        Complaint.tracking_code == code.replace("-", "")))
    assert complaint.complainant_name == NAME
    consent = app_session.scalar(select(NotificationConsent))
    assert consent.subject == f"complaint:{complaint.tracking_code}"
    job = app_session.scalar(select(PrintJob))
    assert job.complaint_id == complaint.id and "sealed_pin" in job.payload
    app_session.close()
    # The kiosk client fetches the job as it fetches a request's receipt, and prints it.
    fetched = kiosk.request.get(f"{live_server.url}/api/v1/kiosk/print-jobs",
                                headers={"Authorization": f"Bearer {KIOSK_TOKEN}"}).json()
    receipt = Receipt.from_dict(fetched["jobs"][0]["receipt"])
    assert (receipt.kind, receipt.pin, receipt.tracking_code) == ("complaint", pin, code)
    (artifacts / "voice-complaint-receipt.pdf").write_bytes(render_receipt(receipt))
    kiosk.tap("#finish")

    forward_publish_and_answer(browser, live_server, code, artifacts)
    # The answer at the kiosk: the rating form and the survey, by touch (rated on the phone).
    look_up_complaint(kiosk, code, pin)
    expect(kiosk.locator("#answer-DINKES")).to_have_text(ANSWER)
    expect(kiosk.locator("#rate")).to_be_visible()
    expect(kiosk.locator("#survey-offer")).to_be_visible()
    kiosk.screenshot(path=str(artifacts / "voice-kiosk-complaint-answered.png"), full_page=True)
    assert small_targets(kiosk) == []
    kiosk.tap("#finish")

    # On a phone: the public board without the name, then the answer, the rating, the survey.
    phone = browser.new_context(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/pengaduan?instansi=DINKES")
    expect(page.locator(".answer").get_by_text(ANSWER)).to_be_visible()
    for secret in (NAME, "Siti", PHONE):
        assert secret not in page.content()
    page.screenshot(path=str(artifacts / "voice-phone-board.png"), full_page=True)
    page.goto(f"{live_server.url}/pengaduan/cek?code={code}")
    page.fill("#pin", pin)
    page.tap("#lookup")
    expect(page.locator("#answer-DINKES")).to_have_text(ANSWER)
    expect(page.locator("#survey-offer")).to_be_visible()
    page.tap("label[for='rating-4']")  # 5 of 5
    page.tap("label[for='resolved-0']")  # yes, solved
    page.tap("#send-rating")
    expect(page.locator("#status-text")).to_have_text("Selesai (dikonfirmasi pelapor)")
    page.screenshot(path=str(artifacts / "voice-phone-rated.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    page.tap("#start-survey")
    answer_by_touch(page, artifacts / "voice-phone-complaint-survey.png")
    page.screenshot(path=str(artifacts / "voice-phone-survey-thanks.png"), full_page=True)
    phone.close()

    # Back at the kiosk: the complaint looked up by touch, then the finished KRK request's survey.
    look_up_complaint(kiosk, code, pin)
    expect(kiosk.locator("#status-text")).to_have_text("Selesai (dikonfirmasi pelapor)")
    expect(kiosk.locator("#survey-offer")).to_have_count(0)  # already answered, once only
    kiosk.screenshot(path=str(artifacts / "voice-kiosk-complaint-lookup.png"), full_page=True)
    kiosk.tap("#finish")
    look_up(kiosk, krk_code, krk_pin)
    kiosk.tap("#start-survey")
    answer_by_touch(kiosk, artifacts / "voice-kiosk-request-survey.png")
    kiosk.screenshot(path=str(artifacts / "voice-kiosk-survey-thanks.png"), full_page=True)

    stored = app_session.scalars(select(SurveyResponse.source)).all()
    assert sorted(s.value for s in stored).count("paper") == EARLIER and len(stored) == 12
    assert app_session.scalar(select(Complaint.status).where(
        Complaint.id == complaint.id)) is ComplaintStatus.RESOLVED
    app_session.close()

    # The figures have moved: the service's IKM, Dinkes on /command and on /kinerja.
    krk_after = ikm_of(leader, live_server, "service=KRK")
    assert krk_after["respondents"] == 1 and krk_after["ikm"] == 86.11
    dinkes_after = ikm_of(leader, live_server, "agency=DINKES")
    assert dinkes_after["respondents"] == dinkes_before["respondents"] + 1
    assert dinkes_after["ikm"] != dinkes_before["ikm"]
    command_after = command_row(leader, live_server)
    leader.screenshot(path=str(artifacts / "voice-command-after.png"), full_page=True)
    leader.locator("#table-outcomes").screenshot(
        path=str(artifacts / "voice-command-outcomes-after.png"))
    assert command_after != command_before
    # IKM, its target, respondents, complaints: 10 -> 11 respondents and complaints.
    assert (command_before[2], command_after[2]) == (str(EARLIER), str(EARLIER + 1))
    assert (command_before[3], command_after[3]) == (str(EARLIER), str(EARLIER + 1))
    kinerja_after = kinerja_row(leader, live_server)
    leader.screenshot(path=str(artifacts / "voice-kinerja-after.png"), full_page=True)
    assert kinerja_after["complaints"] == str(EARLIER + 1)
    assert kinerja_after["ikm"] != kinerja_before["ikm"]
    assert re.fullmatch(r"[ABCD] \(\d+,\d\d\)", kinerja_after["ikm"])
    desk.close()
