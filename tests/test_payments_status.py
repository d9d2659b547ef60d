"""The bill where the citizen sees it: the phone's status page (amount in figures and words,
breakdown, due date, VA number, QRIS) and the bill PDF, whose QRIS code zbarimg decodes to a
payload with the bill's amount and a CRC that verifies."""

from __future__ import annotations

import re

from services.demo import load_demo
from services.payments.qris import crc_verifies, payload_amount, payload_bill_number
from services.submission import Submission, submit_request
from tests.builders import PINS
from tests.builders.payments import pay_bill, standing_bill
from tests.builders.printing import decoded_codes, pdf_text, require_tools
from tests.builders.workflow import APPLICANT
from tests.test_payments_bank import PBG


def billed(session):
    from datetime import timedelta

    from sqlalchemy import select

    from services.db import utcnow
    from services.models import Channel, User
    from services.workflow.queues import claim_next_task
    from services.workflow.tasks import approve_task

    load_demo(session)
    session.commit()
    now = utcnow() - timedelta(hours=1)
    submitted = submit_request(session, Submission(service_code="PBG", applicant=APPLICANT,
                                                   answers=PBG, channel=Channel.KIOSK),
                               pins=PINS, now=now)
    session.commit()
    for username in ("clerk.dpmptsp", "clerk.pupr", "clerk.pupr"):  # check, TPA/TPT, levy
        clerk = session.scalar(select(User).where(User.username == username))
        task = claim_next_task(session, actor=clerk, now=now)
        approve_task(session, actor=clerk, task_id=task.id, now=now)
        session.commit()
    return submitted.request, submitted.pin


def test_the_status_page_shows_the_bill_and_how_to_pay_and_its_pdf_holds_a_qris_that_decodes(
        client, session, tmp_path):
    require_tools("pdftoppm", "zbarimg", "pdftotext")
    request, pin = billed(session)
    bill = standing_bill(session, request)
    page = client.post("/status", data={"tracking_code": request.tracking_code, "pin": pin})
    text = page.get_data(as_text=True)
    assert "Menunggu pembayaran" in text and 'id="how-to-pay"' in text
    assert "Rp1.080.000" in text and "Satu juta delapan puluh ribu rupiah" in text
    assert f"88810{bill.va_number}" in text and bill.number in text
    assert "120 m² × Rp5.000.000 × 0,45 × 0,004" in text
    assert 'id="bill-qris"' in text and "<svg" in text
    assert "berhenti sementara" in text  # the clock stands still while unpaid
    assert 'id="pay-simulated"' not in text  # not outside demo mode
    link = re.search(r'id="bill-pdf" href="([^"]+)"', text).group(1)
    pdf = client.get(link.replace("http://localhost", ""))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    words = pdf_text(pdf.data)
    assert "SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)" in words and "BELUM DIBAYAR" in words
    assert "Satu juta delapan puluh ribu rupiah" in words
    payload = decoded_codes(pdf.data, tmp_path)["QR-Code"]
    assert crc_verifies(payload) and payload_amount(payload) == 1_080_000
    assert payload_bill_number(payload) == bill.number


def test_once_paid_the_page_says_lunas_and_shows_no_code_to_pay(client, session):
    request, pin = billed(session)
    from services.db import utcnow

    pay_bill(session, request, utcnow())
    text = client.post("/status", data={"tracking_code": request.tracking_code,
                                        "pin": pin}).get_data(as_text=True)
    assert 'id="bill-paid"' in text and "LUNAS" in text and 'id="bill-qris"' not in text
    assert "Sedang diproses" in text


def test_the_api_look_up_gives_the_bill_in_whole_rupiah_with_its_qris(client, session):
    request, pin = billed(session)
    bill = standing_bill(session, request)
    answer = client.post("/api/v1/requests/lookup",
                         json={"tracking_code": request.tracking_code, "pin": pin})
    body = answer.get_json()
    assert answer.status_code == 200 and body["status"] == "awaiting_payment"
    assert body["bill"]["amount"] == 1_080_000 and body["bill"]["number"] == bill.number
    assert body["bill"]["lines"][0]["amount"] == 1_080_000
    assert crc_verifies(body["bill"]["qris"])
    assert payload_amount(body["bill"]["qris"]) == 1_080_000


def test_the_kiosk_prints_the_bill_with_the_same_renderer_as_its_pdf(client, session, tmp_path):
    from kiosk_client.runner import job_pdf
    from kiosk_client.spool import SpooledJob
    from services.kiosks.printing import fetch_print_jobs
    from services.kiosks.status import record_heartbeat
    from tests.builders.kiosk import enrol, make_kiosk

    require_tools("pdftoppm", "zbarimg", "pdftotext")
    request, pin = billed(session)
    bill = standing_bill(session, request)
    kiosk = make_kiosk(session)
    record_heartbeat(session, kiosk, printer_state="ready")
    session.commit()
    enrol(client)
    page = client.post("/kiosk/status", data={"tracking_code": request.tracking_code,
                                              "pin": pin}).get_data(as_text=True)
    assert 'id="bill-print"' in page and "Rp1.080.000" in page
    client.post("/kiosk/status/tagihan/cetak")
    [job] = fetch_print_jobs(session, kiosk, pins=PINS, city="Kota Contoh",
                             base_url="http://x")
    session.commit()
    assert job["kind"] == "bill" and job["bill"]["number"] == bill.number
    pdf, title = job_pdf(SpooledJob(job["id"], "bill", job, "waiting", 0, None), 80)
    assert title.endswith("-bill") and "Satu juta delapan puluh ribu rupiah" in pdf_text(pdf)
    payload = decoded_codes(pdf, tmp_path)["QR-Code"]
    assert crc_verifies(payload) and payload_amount(payload) == bill.amount
