"""The citizen kiosk through the test client: enrolment, the flow, validation, privacy."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from services.kiosks.devices import revoke_kiosk, set_in_service
from services.kiosks.status import record_heartbeat
from services.models import Agency, Channel, PrintJob, Role, ServiceRequest
from tests.builders import make_user
from tests.builders.kiosk import NIK, PHONE, enrol, make_business_catalog, make_kiosk


@pytest.fixture
def kiosk(app, session):
    make_business_catalog(session)
    return make_kiosk(session)


@pytest.fixture
def enrolled(client, kiosk):
    assert enrol(client).status_code == 302
    return client


def fill_in(client, lang="id"):
    client.get(f"/kiosk/?lang={lang}")
    client.post("/kiosk/service/IZIN-USAHA/start")
    assert client.post("/kiosk/apply/identity",
                       data={"nik": NIK, "name": "Siti Aminah", "phone": PHONE}
                       ).headers["Location"].endswith("/kiosk/apply/page/1")
    assert client.post("/kiosk/apply/page/1", data={"business_name": "Warung Siti",
                                                    "sector": "dagang"}).status_code == 302
    response = client.post("/kiosk/apply/page/2", data={"workers": "3", "has_npwp": "ya",
                                                        "npwp_number": "123456789012345"})
    assert response.headers["Location"].endswith("/kiosk/apply/check")


def test_a_browser_that_is_not_an_enrolled_kiosk_is_sent_to_enrolment(client, kiosk):
    response = client.get("/kiosk/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/enrol")
    assert enrol(client, "wrong-token").status_code == 401
    assert client.get("/kiosk/").status_code == 302


def test_enrolment_takes_the_token_once_and_never_in_a_url(client, kiosk):
    response = enrol(client)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "kiosk_device=" in cookie and "HttpOnly" in cookie
    assert "test-kiosk-device-token" not in cookie
    assert client.get("/kiosk/").status_code == 200


def test_a_revoked_kiosk_stops_working_at_once(enrolled, session):
    revoke_kiosk(session, "KIOSK-TEST-01", actor=None)
    session.commit()
    assert enrolled.get("/kiosk/").headers["Location"].endswith("/kiosk/enrol")


def test_an_out_of_service_kiosk_says_so_in_both_languages(enrolled, session):
    set_in_service(session, "KIOSK-TEST-01", False, "Printer diganti", actor=None)
    session.commit()
    response = enrolled.get("/kiosk/service/IZIN-USAHA")
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "sedang tidak melayani" in text and "out of service" in text
    assert "Printer diganti" in text
    assert enrolled.post("/kiosk/service/IZIN-USAHA/start").status_code == 503


def test_the_home_screen_shows_categories_and_finds_services_by_name(enrolled):
    assert "Sosial" in enrolled.get("/kiosk/").get_data(as_text=True)
    found = enrolled.get("/kiosk/?q=izin-usaha").get_data(as_text=True)
    assert "Service IZIN-USAHA" in found
    english = enrolled.get("/kiosk/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english


def test_the_service_page_shows_its_standard_before_the_citizen_starts(enrolled):
    text = enrolled.get("/kiosk/service/IZIN-USAHA").get_data(as_text=True)
    for expected in ("Fotokopi KTP", "5 hari kerja", "Gratis", "Surat keterangan"):
        assert expected in text


def test_a_citizen_applies_and_gets_a_tracking_code_and_pin(enrolled, session):
    fill_in(enrolled)
    check = enrolled.get("/kiosk/apply/check").get_data(as_text=True)
    assert "Warung Siti" in check and "Perdagangan" in check and NIK in check
    assert enrolled.post("/kiosk/apply/submit").headers["Location"].endswith("/kiosk/apply/done")
    done = enrolled.get("/kiosk/apply/done").get_data(as_text=True)
    request = session.scalar(select(ServiceRequest))
    assert request.channel is Channel.KIOSK and request.kiosk_id is not None
    assert request.answers == {"business_name": "Warung Siti", "sector": "dagang", "workers": 3,
                               "has_npwp": True, "npwp_number": "123456789012345"}
    assert len(request.idempotency_digest) == 64  # the key itself stays in the kiosk session
    code = f"{request.tracking_code[:4]}-{request.tracking_code[4:8]}-{request.tracking_code[8:]}"
    assert code in done
    assert re.search(r'id="pin">\d{6}<', done)


def test_a_double_tap_on_submit_makes_one_request(enrolled, session):
    fill_in(enrolled)
    enrolled.get("/kiosk/apply/check")
    with enrolled.session_transaction() as saved:
        cookie_state = dict(saved)
    enrolled.post("/kiosk/apply/submit")
    with enrolled.session_transaction() as replay:  # the second tap carries the old cookie
        replay.clear()
        replay.update(cookie_state)
    assert enrolled.post("/kiosk/apply/submit").headers["Location"].endswith("/apply/done")
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 1


def test_errors_show_beside_the_field_in_the_citizens_language(enrolled):
    enrolled.get("/kiosk/?lang=en")
    enrolled.post("/kiosk/service/IZIN-USAHA/start")
    response = enrolled.post("/kiosk/apply/identity",
                             data={"nik": "3578014506900000", "name": "", "phone": "0712"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This NIK is not recognised. Check the 16 digits" in text and "This is required." in text and "start with 08" in text
    assert 'aria-describedby="nik-error nik-count"' in text


def test_a_field_hidden_by_its_condition_is_neither_required_nor_kept(enrolled):
    enrolled.post("/kiosk/service/IZIN-USAHA/start")
    enrolled.post("/kiosk/apply/identity", data={"nik": NIK, "name": "Siti", "phone": PHONE})
    enrolled.post("/kiosk/apply/page/1", data={"business_name": "W", "sector": "jasa"})
    required = enrolled.post("/kiosk/apply/page/2", data={"workers": "3", "has_npwp": "ya"})
    assert "Wajib diisi." in required.get_data(as_text=True)
    hidden = enrolled.post("/kiosk/apply/page/2", data={"workers": "3", "has_npwp": "tidak",
                                                       "npwp_number": "99"})
    assert hidden.status_code == 302
    assert "npwp_number" not in enrolled.get("/kiosk/apply/check").get_data(as_text=True)


def test_numbers_outside_their_limits_are_refused(enrolled):
    enrolled.post("/kiosk/service/IZIN-USAHA/start")
    enrolled.post("/kiosk/apply/identity", data={"nik": NIK, "name": "Siti", "phone": PHONE})
    enrolled.post("/kiosk/apply/page/1", data={"business_name": "W", "sector": "jasa"})
    text = enrolled.post("/kiosk/apply/page/2", data={"workers": "900", "has_npwp": "tidak",
                                                     "start_date": "31-02-2026"}
                         ).get_data(as_text=True)
    assert "Maksimal 500." in text and "Tanggal tidak valid" in text


def test_a_choice_not_in_the_list_is_refused(enrolled):
    enrolled.post("/kiosk/service/IZIN-USAHA/start")
    enrolled.post("/kiosk/apply/identity", data={"nik": NIK, "name": "Siti", "phone": PHONE})
    text = enrolled.post("/kiosk/apply/page/1", data={"business_name": "W", "sector": "tambang"}
                         ).get_data(as_text=True)
    assert "Pilih salah satu pilihan yang tersedia." in text


def test_kiosk_pages_are_never_stored_and_carry_no_personal_data_in_urls(enrolled):
    fill_in(enrolled)
    response = enrolled.get("/kiosk/apply/check")
    assert "no-store" in response.headers["Cache-Control"]
    assert NIK not in response.request.url
    for link in re.findall(r'(?:href|action)="([^"]+)"', response.get_data(as_text=True)):
        assert NIK not in link and PHONE not in link


def test_the_wipe_removes_the_draft_so_back_shows_nothing(enrolled):
    fill_in(enrolled)
    assert enrolled.post("/kiosk/wipe").headers["Location"].endswith("/kiosk/")
    for url in ("/kiosk/apply/check", "/kiosk/apply/page/2", "/kiosk/apply/identity"):
        response = enrolled.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/")


def test_an_idle_session_is_wiped_on_the_server_too(enrolled, app):
    fill_in(enrolled)
    with enrolled.session_transaction() as saved:
        saved["kiosk_seen"] -= app.config["IDLE_TIMEOUT_SECONDS"] + 1
    assert enrolled.get("/kiosk/apply/check").status_code == 302


def heartbeat(session, kiosk, printer_state="ready"):
    record_heartbeat(session, kiosk, printer_state=printer_state)
    session.commit()


def test_the_receipt_is_queued_once_at_this_kiosk(enrolled, session, kiosk):
    heartbeat(session, kiosk)
    fill_in(enrolled)
    enrolled.get("/kiosk/apply/check")
    enrolled.post("/kiosk/apply/submit")
    enrolled.post("/kiosk/apply/print")
    enrolled.post("/kiosk/apply/print")
    jobs = session.scalars(select(PrintJob)).all()
    assert len(jobs) == 1 and jobs[0].kiosk.code == "KIOSK-TEST-01"


def test_finishing_forgets_the_citizen(enrolled):
    fill_in(enrolled)
    enrolled.get("/kiosk/apply/check")
    enrolled.post("/kiosk/apply/submit")
    enrolled.post("/kiosk/finish")
    assert enrolled.get("/kiosk/apply/done").status_code == 302


def test_an_officer_assists_and_is_recorded_then_signed_out_by_the_wipe(enrolled, session):
    officer = make_user(session, "officer.test", role=Role.OFFICER, agency=None)
    response = enrolled.post("/kiosk/officer", data={"username": "officer.test",
                                                     "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert "Officer.Test" in enrolled.get("/kiosk/").get_data(as_text=True)
    fill_in(enrolled)
    enrolled.get("/kiosk/apply/check")
    enrolled.post("/kiosk/apply/submit")
    request = session.scalar(select(ServiceRequest))
    assert request.officer_id == officer.id and request.applicant_name == "Siti Aminah"
    session.rollback()  # end the read, so the app may write on SQLite
    enrolled.post("/kiosk/wipe")
    assert "Officer.Test" not in enrolled.get("/kiosk/").get_data(as_text=True)


def test_a_clerk_cannot_sign_in_as_a_kiosk_officer(enrolled, session):
    make_user(session, "clerk.test")
    enrolled.post("/kiosk/officer", data={"username": "clerk.test",
                                          "password": "correct-horse-battery"})
    assert "Clerk.Test" not in enrolled.get("/kiosk/").get_data(as_text=True)


def test_status_look_up_answers_alike_for_a_wrong_code_and_a_wrong_pin(enrolled, session):
    fill_in(enrolled)
    enrolled.get("/kiosk/apply/check")
    enrolled.post("/kiosk/apply/submit")
    done = enrolled.get("/kiosk/apply/done").get_data(as_text=True)
    code = re.search(r'id="tracking-code">([^<]+)<', done).group(1)
    pin = re.search(r'id="pin">(\d{6})<', done).group(1)
    found = enrolled.post("/kiosk/status", data={"tracking_code": code.lower(), "pin": pin})
    assert "Permohonan diterima." in found.get_data(as_text=True)
    wrong_pin = enrolled.post("/kiosk/status", data={"tracking_code": code,
                                                     "pin": "000000" if pin != "000000" else "1"})
    wrong_code = enrolled.post("/kiosk/status", data={"tracking_code": "2222-2222-2",
                                                      "pin": pin})
    assert wrong_pin.status_code == wrong_code.status_code == 200
    # Both pages are the same but for the code the citizen typed, which the form keeps, and
    # the form tokens, which carry the second they were made in.
    def page(response, typed):
        text = response.get_data(as_text=True).replace(typed, "CODE")
        return re.sub(r'(data-csrf|value)="[\w.-]{40,}"', "TOKEN", text)

    assert page(wrong_pin, code) == page(wrong_code, "2222-2222-2")
    assert "tidak cocok" in wrong_pin.get_data(as_text=True)


def test_the_flow_logs_no_nik_phone_or_pin(enrolled, caplog):
    caplog.set_level("DEBUG")
    fill_in(enrolled)
    enrolled.get("/kiosk/apply/check")
    enrolled.post("/kiosk/apply/submit")
    done = enrolled.get("/kiosk/apply/done").get_data(as_text=True)
    pin = re.search(r'id="pin">(\d{6})<', done).group(1)
    assert NIK not in caplog.text and PHONE not in caplog.text and pin not in caplog.text


def test_kiosk_forms_need_their_csrf_token(enrolled, app):
    app.config["WTF_CSRF_ENABLED"] = True
    assert enrolled.post("/kiosk/service/IZIN-USAHA/start", data={}).status_code == 400
    assert enrolled.post("/kiosk/wipe", data={}).status_code == 400
    page = enrolled.get("/kiosk/service/IZIN-USAHA").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)  # what the idle timer posts
    assert enrolled.post("/kiosk/wipe", data={"csrf_token": token}).status_code == 302


def test_opening_the_enrolment_page_does_not_unenrol_a_kiosk(enrolled):
    enrolled.get("/kiosk/enrol")
    assert enrolled.get("/kiosk/").status_code == 200


def test_a_citizen_adds_the_information_a_clerk_asked_for(client, app, session):
    from tests.builders.workflow import returned_for_information

    make_kiosk(session)
    request, pin = returned_for_information(session)
    enrol(client)
    shown = client.post("/kiosk/status", data={"tracking_code": request.tracking_code,
                                               "pin": pin}).get_data(as_text=True)
    assert 'id="needs-info"' in shown and "Kirim luas lantai 2." in shown
    assert pin not in shown  # the PIN stays out of the page
    assert "Wajib diisi." in client.post("/kiosk/status/information",
                                         data={"note": " "}).get_data(as_text=True)
    answered = client.post("/kiosk/status/information", data={"note": "Lantai 2: 120 m2"})
    assert answered.status_code == 302  # post, redirect, get: a refresh sends nothing again
    text = client.get(answered.headers["Location"]).get_data(as_text=True)
    assert 'id="needs-info"' not in text and 'id="sent-notice"' in text
    assert "Lantai 2: 120 m2" in text
    session.expire_all()
    assert session.get(ServiceRequest, request.id).status.value == "in_progress"
    session.rollback()  # end the read, so the app may write on SQLite
    # The code and PIN kept for the answer are gone: a second answer needs a new look-up.
    assert client.post("/kiosk/status/information", data={"note": "x"}).status_code == 302


@pytest.mark.parametrize(("printer_state", "beat", "said"), [
    ("out_of_paper", True, "kertas printer habis"),
    ("ready", False, "tidak tersambung ke printer"),
])
def test_a_receipt_that_cannot_print_is_not_called_printing(enrolled, session, kiosk,
                                                            printer_state, beat, said):
    if beat:
        heartbeat(session, kiosk, printer_state)
    fill_in(enrolled)
    enrolled.get("/kiosk/apply/check")
    enrolled.post("/kiosk/apply/submit")
    enrolled.post("/kiosk/apply/print")
    assert session.scalar(select(func.count()).select_from(PrintJob)) == 0
    page = enrolled.get("/kiosk/apply/done").get_data(as_text=True)
    assert said in page and "sedang dicetak" not in page
    assert "<svg" in page and "Printer belum siap" in page
    assert enrolled.get("/kiosk/apply/print").json == {"state": "unavailable"}
    heartbeat(session, kiosk)  # paper back, client online: "Cetak" works again
    assert enrolled.get("/kiosk/apply/print").json == {"state": "ready"}
    enrolled.post("/kiosk/apply/print")
    assert enrolled.get("/kiosk/apply/print").json == {"state": "printing"}


def test_the_attract_screen_shows_the_host_units_maklumat_pelayanan(enrolled, session):
    assert "Maklumat Pelayanan" not in enrolled.get("/kiosk/").get_data(as_text=True)
    agency = session.scalar(select(Agency).where(Agency.code == "DPMPTSP"))
    agency.maklumat_id, agency.maklumat_en = "Kami sanggup melayani.", "We undertake to serve."
    agency.maklumat_signer, agency.maklumat_date = "Kepala DPMPTSP", date(2026, 1, 15)
    session.commit()
    page = enrolled.get("/kiosk/").get_data(as_text=True)
    assert "Kami sanggup melayani." in page and "Kepala DPMPTSP, 15 Januari 2026" in page
    assert "We undertake to serve." in enrolled.get("/kiosk/?lang=en").get_data(as_text=True)
