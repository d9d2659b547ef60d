"""After filing, for a complaint as for a request: the kiosk's printed receipt (the same print
job), the look-up at the kiosk (the same limit and lockout), the choice of notification with
its consent, and the IKM survey once an agency has answered, stored without the complaint."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kiosk_client.receipt import Receipt, render_receipt
from services.db import utcnow
from services.ikm.survey import SurveySubject, complaint_subject, record_survey, survey_token
from services.kiosks.status import record_heartbeat
from services.models import (
    Agency,
    Channel,
    Complaint,
    ComplaintStatus,
    Kiosk,
    NotificationConsent,
    PrintJob,
    ServiceRequest,
    SurveyResponse,
    SurveySource,
    SurveyTaken,
)
from services.outbox.wording import COMPLAINT_CONSENT_VERSION, CONSENT_WORDING
from tests.complaints_support import CLINIC, NAME, NIK, PHONE, make_complaint_city
from tests.ikm_support import ANSWERS
from tests.kiosk_builders import KIOSK_TOKEN, enrol, make_kiosk
from tests.kiosk_printing_support import pdf_text, require_tools
from tests.test_complaints_web import ANSWER, as_user, coordinator_forwards

DEVICE = {"Authorization": f"Bearer {KIOSK_TOKEN}"}


@pytest.fixture
def city(app, session):
    staff = make_complaint_city(session)
    make_kiosk(session)
    return staff


def file_at_kiosk(client, *, privacy="confidential", notify="whatsapp"):
    """Walk the kiosk's complaint screens; the code and PIN from the receipt screen."""
    enrol(client)
    client.get("/kiosk/pengaduan")
    client.post("/kiosk/pengaduan/kategori/kesehatan")
    client.post("/kiosk/pengaduan/isi", data={"description": CLINIC,
                                              "location": "Puskesmas Sukamaju"})
    client.post("/kiosk/pengaduan/privasi", data={"privacy": privacy})
    if privacy != "anonymous":
        client.post("/kiosk/pengaduan/identitas", data={"name": NAME, "phone": PHONE,
                                                        "nik": NIK, "notify": notify})
    check = client.get("/kiosk/pengaduan/periksa").get_data(as_text=True)
    assert privacy == "anonymous" or {"whatsapp": "WhatsApp", "none": "Tidak usah"}[notify] in check
    done = client.post("/kiosk/pengaduan/kirim", follow_redirects=True)
    assert done.status_code == 200
    page = done.get_data(as_text=True)
    return page


def code_and_pin(session, page: str) -> tuple[str, str]:
    complaint = session.scalar(select(Complaint).order_by(Complaint.id.desc()))
    session.refresh(complaint)
    pin = re.search(r'id="pin"[^>]*>\s*([0-9 ]+)<', page)
    assert pin, page
    session.commit()  # the app writes next (SQLite locks the file for a reader)
    return complaint.tracking_code, pin.group(1).replace(" ", "")


def answered(client, code: str) -> None:
    coordinator_forwards(client, code)
    as_user(client, "clerk.dinkes")
    assert client.post(f"/clerk/pengaduan/{code}/jawab",
                       data={"answer": ANSWER}).status_code == 302
    client.post("/auth/logout")


def test_the_kiosk_asks_for_a_channel_and_records_the_complaint_consent(client, city, session):
    file_at_kiosk(client, notify="whatsapp")
    consent = session.scalar(select(NotificationConsent))
    complaint = session.scalar(select(Complaint))
    assert consent.subject == f"complaint:{complaint.tracking_code}"
    assert consent.wording_version == COMPLAINT_CONSENT_VERSION
    assert consent.channel.value == "whatsapp" and consent.address.endswith("81234567890")
    session.commit()  # the app writes next (SQLite locks the file for a reader)
    # The consent sentence was shown beside the choice.
    enrol(client)
    client.post("/kiosk/pengaduan/kategori/kesehatan")
    client.post("/kiosk/pengaduan/isi", data={"description": CLINIC})
    client.post("/kiosk/pengaduan/privasi", data={"privacy": "public"})
    identity = client.get("/kiosk/pengaduan/identitas").get_data(as_text=True)
    assert CONSENT_WORDING[COMPLAINT_CONSENT_VERSION]["id"][:40] in identity


def test_no_channel_chosen_no_consent_and_the_phone_form_offers_it(client, city, session):
    file_at_kiosk(client, notify="none")
    assert session.scalar(select(func.count()).select_from(NotificationConsent)) == 0
    session.commit()
    form = client.get("/pengaduan/baru").get_data(as_text=True)
    assert 'name="notify"' in form and "tentang pengaduan ini" in form
    filed = client.post("/pengaduan/baru", data={
        "category": "kesehatan", "description": CLINIC, "privacy": "confidential",
        "name": NAME, "phone": PHONE, "notify": "sms"})
    assert filed.status_code == 302
    consent = session.scalar(select(NotificationConsent))
    assert consent.channel.value == "sms" and consent.subject.startswith("complaint:")


def test_a_complaint_filed_on_a_phone_offers_its_receipt_as_a_pdf_without_the_name(
        client, city, session):
    require_tools("pdftotext")
    filed = client.post("/pengaduan/baru", data={
        "category": "kesehatan", "description": CLINIC, "privacy": "confidential",
        "name": NAME, "phone": PHONE, "notify": "none"}, follow_redirects=True)
    page = filed.get_data(as_text=True)
    code = re.search(r'id="tracking-code">([^<]+)<', page).group(1)
    pin = re.search(r'id="pin">(\d{6})<', page).group(1)
    link = re.search(r'id="receipt-pdf" href="([^"]+)"', page).group(1)
    assert pin not in link  # the PIN rides sealed in the signed link
    answer = client.get(link)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    assert f"pengaduan-{code}" in answer.headers["Content-Disposition"]
    text = pdf_text(answer.data)
    assert code in text and f"PIN: {pin}" in text
    assert NAME not in text and PHONE not in text and NAME.split()[0] not in text


def test_a_bad_channel_is_refused_beside_its_field_and_files_nothing(client, city, session):
    refused = client.post("/pengaduan/baru", data={
        "category": "kesehatan", "description": CLINIC, "privacy": "confidential",
        "name": NAME, "phone": PHONE, "notify": "pigeon"})
    assert refused.status_code == 422
    assert session.scalar(select(func.count()).select_from(Complaint)) == 0


def client_online(session, printer_state: str = "ready") -> None:
    """The kiosk's client reports in (dated ahead so a slow run keeps it online)."""
    record_heartbeat(session, session.scalar(select(Kiosk)), printer_state=printer_state,
                     now=utcnow() + timedelta(minutes=30))
    session.commit()


def test_the_complaint_receipt_says_it_cannot_print_while_the_printer_has_no_paper(
        client, city, session):
    client_online(session, "out_of_paper")
    page = file_at_kiosk(client)
    assert "kertas printer habis" in page and 'data-print-state="unavailable"' in page
    assert "sedang dicetak" not in page and 'class="qr"' in page  # the QR code to scan instead
    client.post("/kiosk/pengaduan/cetak")
    assert session.scalar(select(func.count()).select_from(PrintJob)) == 0
    client_online(session)  # paper back: the screen offers to print
    back = client.get("/kiosk/pengaduan/selesai").get_data(as_text=True)
    assert 'data-print-state="ready"' in back and "Cetak tanda terima" in back


def test_the_complaint_receipt_prints_through_the_kiosk_print_jobs(client, city, session):
    require_tools("pdftotext")
    client_online(session)
    page = file_at_kiosk(client)
    code, pin = code_and_pin(session, page)
    assert 'id="print"' in page
    client.post("/kiosk/pengaduan/cetak")
    printing = client.get("/kiosk/pengaduan/selesai").get_data(as_text=True)
    assert 'data-print-state="printing"' in printing and "sedang dicetak" in printing
    assert client.get("/kiosk/pengaduan/cetak").get_json() == {"state": "printing"}
    client.post("/kiosk/pengaduan/cetak")  # a second tap prints nothing more
    jobs = session.scalars(select(PrintJob)).all()
    assert len(jobs) == 1 and jobs[0].kind == "receipt" and jobs[0].request_id is None
    session.commit()
    fetched = client.get("/api/v1/kiosk/print-jobs", headers=DEVICE).get_json()["jobs"]
    receipt = fetched[0]["receipt"]
    assert receipt["kind"] == "complaint" and receipt["pin"] == pin
    assert receipt["status_url"].endswith(f"/pengaduan/cek?code={receipt['tracking_code']}")
    text = pdf_text(render_receipt(Receipt.from_dict(receipt)))
    assert "TANDA TERIMA PENGADUAN" in text and "Kesehatan" in text
    assert f"PIN: {pin}" in text and "Diverifikasi paling lambat" in text
    assert code[:4] in text.replace("-", "")
    for secret in (NAME, *NAME.split(), NIK, PHONE, "Biaya"):
        assert secret not in text


def test_the_kiosk_looks_up_a_complaint_with_the_shared_lockout(client, city, session):
    page = file_at_kiosk(client)
    code, pin = code_and_pin(session, page)
    found = client.post("/kiosk/pengaduan/cek", data={"tracking_code": code, "pin": pin})
    assert found.status_code == 200 and "Kesehatan" in found.get_data(as_text=True)
    wrong = "000000" if pin != "000000" else "111111"
    for _ in range(5):
        refused = client.post("/kiosk/pengaduan/cek", data={"tracking_code": code, "pin": wrong},
                              follow_redirects=True).get_data(as_text=True)
        assert "Kode pengaduan atau PIN tidak cocok" in refused
    refused = client.post("/kiosk/pengaduan/cek", data={"tracking_code": code, "pin": pin},
                          follow_redirects=True).get_data(as_text=True)
    assert "Terlalu banyak PIN salah" in refused
    # Locked on the phone page too: one lockout per code, whichever page is used.
    locked = client.post("/pengaduan/cek", data={"tracking_code": code, "pin": pin},
                         follow_redirects=True).get_data(as_text=True)
    assert "Terlalu banyak PIN salah" in locked and "Kesehatan</dd>" not in locked


def test_the_answered_complaint_offers_rating_and_survey_at_the_kiosk(client, city, session):
    page = file_at_kiosk(client)
    code, pin = code_and_pin(session, page)
    before = client.post("/kiosk/pengaduan/cek", data={"tracking_code": code, "pin": pin})
    assert 'id="survey-offer"' not in before.get_data(as_text=True)  # not yet answered
    answered(client, code)
    enrol(client)
    result = client.post("/kiosk/pengaduan/cek", data={"tracking_code": code, "pin": pin})
    text = result.get_data(as_text=True)
    assert ANSWER in text and 'id="rate"' in text and 'id="survey-offer"' in text
    rated = client.post("/kiosk/pengaduan/nilai", data={"rating": "4", "resolved": "ya"})
    assert rated.status_code == 200 and 'id="survey-offer"' in rated.get_data(as_text=True)
    thanks = client.post("/kiosk/status/survey", data=ANSWERS)
    assert 'id="survey-thanks"' in thanks.get_data(as_text=True)
    response = session.scalar(select(SurveyResponse))
    dinkes = session.scalar(select(Agency.id).where(Agency.code == "DINKES"))
    assert response.agency_id == dinkes and response.service_id is None
    assert response.source is SurveySource.KIOSK
    # The survey is stored apart from the complaint: nothing in the response names it.
    columns = set(SurveyResponse.__table__.columns.keys())
    assert not columns & {"complaint_id", "request_id", "subject", "tracking_code"}
    complaint_id = session.scalar(select(Complaint.id))
    assert session.scalar(select(SurveyTaken.subject)) == f"complaint:{complaint_id}"
    session.commit()
    again = client.post("/kiosk/pengaduan/cek", data={"tracking_code": code, "pin": pin})
    assert 'id="survey-offer"' not in again.get_data(as_text=True)  # once per complaint


def test_a_survey_after_a_phone_rating_moves_the_agency_ikm(client, city, session):
    filed = client.post("/pengaduan/baru", data={
        "category": "kesehatan", "description": CLINIC, "privacy": "anonymous"},
        follow_redirects=True).get_data(as_text=True)
    code, pin = code_and_pin(session, filed)
    answered(client, code)
    assert client.get("/api/v1/ikm?agency=DINKES").get_json()["respondents"] == 0
    page = client.post("/pengaduan/cek", data={"tracking_code": code, "pin": pin})
    assert 'id="survey-offer"' in page.get_data(as_text=True)
    client.post("/pengaduan/nilai", data={"rating": "5", "resolved": "ya"})
    client.post("/status/survey", data=ANSWERS)
    after = client.get("/api/v1/ikm?agency=DINKES").get_json()
    assert after["respondents"] == 1 and after["ikm"] == 94.44  # (8 x 4 + 2) / 9 x 25
    complaint = session.scalar(select(Complaint))
    session.refresh(complaint)
    assert complaint.status is ComplaintStatus.RESOLVED


def test_kinerja_shows_the_ikm_value_only_from_ten_respondents(client, city, session):
    dinkes = session.scalar(select(Agency.id).where(Agency.code == "DINKES"))

    def dinkes_ikm_cell() -> str:
        page = client.get("/kinerja").get_data(as_text=True)
        row = page[page.index("Agency DINKES"):]
        return re.search(r'data-figure="ikm">(.*?)</td>', row, re.S).group(1)

    for number in range(10):
        record_survey(session, SurveySubject(f"paper:{number}", dinkes, None, None, None, None),
                      (4,) * 8 + (3,), source=SurveySource.PAPER, tz="Asia/Jakarta")
        session.commit()
        if number == 8:
            assert dinkes_ikm_cell() == "–"  # nine respondents: withheld
    assert dinkes_ikm_cell() == "A (97,22)"  # (8 x 4 + 3) / 9 x 25


def test_a_signed_survey_link_for_a_complaint_opens_only_once_it_is_answered(client, city,
                                                                             session):
    page = file_at_kiosk(client)
    code, _pin = code_and_pin(session, page)
    complaint_id = session.scalar(select(Complaint.id))
    session.commit()
    link = f"/survey/{survey_token('test-secret', complaint_subject(complaint_id))}"
    client.get(link)
    refused = client.post("/status/survey", data=ANSWERS, follow_redirects=True)
    assert "Survei ini tidak dapat diisi" in refused.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
    session.commit()
    answered(client, code)
    client.get(link)
    thanks = client.post("/status/survey", data=ANSWERS).get_data(as_text=True)
    assert 'id="survey-thanks"' in thanks and 'href="/pengaduan/cek"' in thanks  # back to it
    assert session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_demo_history_gives_kinerja_its_cases_once(app, runner, client, session):
    from services.demo import load_demo

    load_demo(session)
    session.commit()
    first = runner.invoke(args=["demo", "history"])
    again = runner.invoke(args=["demo", "history"])
    assert "DINKES: 10 answered complaints and 10 paper surveys added." in first.output
    assert "KTP-EL-GANTI: 12 decided requests added." in first.output
    assert "KRK: 12 decided requests added." in first.output
    assert "DINKES: 0 answered complaints and 0 paper surveys added." in again.output
    assert "KRK: 0 decided requests added." in again.output
    assert session.scalar(select(func.count()).select_from(Complaint)) == 10
    channels = session.scalars(select(ServiceRequest.channel)).all()
    # 24 decided requests, and the paid PBG and unpaid reklame of the demo's bills
    assert len(channels) == 26 and set(channels) == {Channel.KIOSK, Channel.WEB}
    assert runner.invoke(args=["figures", "refresh"]).exit_code == 0
    page = client.get("/kinerja").get_data(as_text=True)
    row = page[page.index("Dinas Kesehatan"):]
    assert re.search(r'data-figure="complaints">10<', row)
    assert re.search(r'data-figure="ikm">[ABCD] \(\d+,\d\d\)<', row)
    civil = page[page.index("Kependudukan"):]  # Disdukcapil: KTP-el, some decided late
    assert re.search(r'data-figure="decided">12<', civil)
    on_time = re.search(r'data-figure="on_time">(\d+)', civil)
    assert on_time and 0 < int(on_time.group(1)) < 100
