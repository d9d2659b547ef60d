"""Print jobs on the server: the receipt's content, handing jobs to a kiosk, acknowledgements,
heartbeats and the kiosk's status as administrators see it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.codes import format_tracking_code
from services.db import utcnow
from services.errors import NotFound, ValidationFailed
from services.kiosks.devices import revoke_kiosk
from services.kiosks.printing import (
    acknowledge_print_job,
    fetch_print_jobs,
    receipt_data,
)
from services.kiosks.status import kiosk_statuses, record_heartbeat, reported_printer_state
from services.models import PrinterState, PrintJob, PrintJobState
from tests.builders import PINS
from tests.builders.printing import issued_pin, make_kiosk, queued_receipt

BASE = "https://layanan.kotacontoh.go.id"


def fetch(session, kiosk, **extra):
    jobs = fetch_print_jobs(session, kiosk, pins=PINS, city="Kota Contoh", base_url=BASE,
                            **extra)
    session.commit()
    return jobs


def test_the_receipt_carries_the_recovered_pin_but_the_status_url_does_not(session):
    kiosk = make_kiosk(session)
    request, _job = queued_receipt(session, kiosk, fee=25000)
    data = receipt_data(request, city="Kota Contoh", base_url=BASE + "/",
                        pin=issued_pin(request), kiosk_code=kiosk.code)
    pin = issued_pin(request)
    code = format_tracking_code(request.tracking_code)
    assert data["pin"] == pin
    assert data["status_url"] == f"{BASE}/status?code={code}"
    assert pin not in data["status_url"]
    assert data["tracking_code"] == code
    assert data["service_name"] == "Service SKTM"
    assert data["agency"] == "Agency DPMPTSP"
    assert data["fee"] == 25000
    assert data["requirements"] == ["Fotokopi KTP"]
    assert data["applicant"] == "S*** A*****"
    assert data["timezone_label"] == "WIB" and data["submitted_at"].endswith("+07:00")
    assert data["expected_completion"] > data["submitted_at"][:10]


def test_the_receipt_speaks_the_language_the_citizen_chose(session):
    kiosk = make_kiosk(session)
    request, _job = queued_receipt(session, kiosk, language="en")
    data = receipt_data(request, city="Kota Contoh", base_url=BASE, pin=None)
    assert data["language"] == "en"
    assert data["service_name"] == "Service SKTM (en)"
    assert data["requirements"] == ["Copy of identity card"]


def test_a_fetched_job_is_sent_with_its_receipt_and_sent_again_until_acknowledged(session):
    kiosk = make_kiosk(session)
    request, job = queued_receipt(session, kiosk)
    first = fetch(session, kiosk)
    assert [j["id"] for j in first] == [job.id]
    assert first[0]["receipt"]["pin"] == issued_pin(request)
    session.refresh(job)
    assert job.state is PrintJobState.SENT and job.attempts == 1
    second = fetch(session, kiosk)
    assert [j["id"] for j in second] == [job.id]
    acknowledge_print_job(session, kiosk, job.id, printed=True)
    session.commit()
    assert fetch(session, kiosk) == []
    session.refresh(job)
    assert job.state is PrintJobState.PRINTED and job.printed_at is not None
    assert job.attempts == 2


def test_the_pin_waits_in_the_job_only_sealed_and_is_wiped_once_printed(session):
    kiosk = make_kiosk(session)
    request, job = queued_receipt(session, kiosk)
    assert issued_pin(request) not in str(job.payload)
    assert fetch(session, kiosk)[0]["receipt"]["pin"] == issued_pin(request)
    acknowledge_print_job(session, kiosk, job.id, printed=True)
    session.commit()
    session.refresh(job)
    assert "sealed_pin" not in job.payload


def test_a_kiosk_gets_only_its_own_jobs(session):
    mine = make_kiosk(session, "KIOSK-A")
    other = make_kiosk(session, "KIOSK-B")
    queued_receipt(session, other)
    assert fetch(session, mine) == []


def test_acknowledging_is_idempotent_and_printed_stays_printed(session):
    kiosk = make_kiosk(session)
    _request, job = queued_receipt(session, kiosk)
    fetch(session, kiosk)
    acknowledge_print_job(session, kiosk, job.id, printed=True)
    acknowledge_print_job(session, kiosk, job.id, printed=True)
    acknowledge_print_job(session, kiosk, job.id, printed=False, error="late failure")
    session.commit()
    session.refresh(job)
    assert job.state is PrintJobState.PRINTED and job.last_error == ""


def test_a_failed_job_keeps_its_error_and_is_not_sent_again(session):
    kiosk = make_kiosk(session)
    _request, job = queued_receipt(session, kiosk)
    fetch(session, kiosk)
    acknowledge_print_job(session, kiosk, job.id, printed=False, error="paper jam")
    session.commit()
    session.refresh(job)
    assert (job.state, job.last_error) == (PrintJobState.FAILED, "paper jam")
    assert fetch(session, kiosk) == []


def test_another_kiosks_job_cannot_be_acknowledged(session):
    mine = make_kiosk(session, "KIOSK-A")
    other = make_kiosk(session, "KIOSK-B")
    _request, job = queued_receipt(session, other)
    with pytest.raises(NotFound):
        acknowledge_print_job(session, mine, job.id, printed=True)


@pytest.mark.parametrize(("state", "paper_low", "expected"), [
    ("ready", False, PrinterState.READY),
    ("ready", True, PrinterState.PAPER_LOW),
    ("out_of_paper", True, PrinterState.OUT_OF_PAPER),
    ("offline", False, PrinterState.OFFLINE),
])
def test_the_heartbeat_reports_the_printer(state, paper_low, expected):
    assert reported_printer_state(state, paper_low) is expected


def test_an_unknown_printer_state_is_refused():
    with pytest.raises(ValidationFailed):
        reported_printer_state("on fire", False)


def test_status_shows_online_printer_jobs_waiting_and_requests_today(session):
    now = utcnow()
    fresh = make_kiosk(session, "KIOSK-A")
    stale = make_kiosk(session, "KIOSK-B")
    queued_receipt(session, fresh)
    record_heartbeat(session, fresh, printer_state="out_of_paper", client_version="0.1.0",
                     paper_mm=58, now=now - timedelta(seconds=30))
    record_heartbeat(session, stale, printer_state="ready", paper_low=True,
                     now=now - timedelta(minutes=5))
    session.commit()
    statuses = {s.kiosk.code: s for s in kiosk_statuses(session, now=now)}
    a, b = statuses["KIOSK-A"], statuses["KIOSK-B"]
    assert (a.online, a.printer_state, a.printer_blocked, a.jobs_waiting, a.requests_today) == (
        True, PrinterState.OUT_OF_PAPER, True, 1, 1)
    assert a.kiosk.paper_width_mm == 58
    assert (b.online, b.paper_low, b.jobs_waiting, b.requests_today) == (False, True, 0, 0)


def test_a_revoked_kiosk_is_not_online(session):
    kiosk = make_kiosk(session)
    record_heartbeat(session, kiosk, printer_state="ready")
    revoke_kiosk(session, kiosk.code, actor=None)
    session.commit()
    [status] = kiosk_statuses(session)
    assert not status.online and status.revoked


def test_jobs_wait_while_the_printer_is_out_of_paper(session):
    kiosk = make_kiosk(session)
    record_heartbeat(session, kiosk, printer_state="out_of_paper")
    queued_receipt(session, kiosk)
    [status] = kiosk_statuses(session)
    assert status.printer_blocked and status.jobs_waiting == 1
    assert session.scalar(select(PrintJob.state)) is PrintJobState.PENDING
