"""Administrators manage kiosks: create, enrolment code, revoke, in and out of service, and
the status page that shows each kiosk's health."""

import re
from datetime import timedelta

from sqlalchemy import select

from services.db import utcnow
from services.kiosks.status import record_heartbeat
from services.models import AuditRecord, Kiosk, Role
from tests.builders import login, make_user
from tests.builders.printing import make_kiosk, queued_receipt


def admin(client, session):
    make_user(session, "admin", Role.ADMIN)
    login(client, "admin")


def test_only_administrators_see_the_kiosks(client, app_session):
    assert client.get("/admin/kiosks").status_code == 302
    make_user(app_session, "clerk1", Role.CLERK)
    login(client, "clerk1")
    assert client.get("/admin/kiosks").status_code == 403


def test_an_administrator_creates_a_kiosk(client, app_session):
    admin(client, app_session)
    answer = client.post("/admin/kiosks/new", data={"code": "kiosk-kec-utara",
                                                    "name": "Kios Kecamatan Utara",
                                                    "location": "Kantor Kecamatan Utara"})
    assert answer.status_code == 302
    app_session.expire_all()
    kiosk = app_session.scalar(select(Kiosk))
    assert (kiosk.code, kiosk.name) == ("KIOSK-KEC-UTARA", "Kios Kecamatan Utara")
    page = client.get("/admin/kiosks").get_data(as_text=True)
    assert "KIOSK-KEC-UTARA" in page and "Belum terdaftar" in page


def test_a_taken_code_is_refused_on_the_form(client, app_session):
    make_kiosk(app_session, "KIOSK-A")
    admin(client, app_session)
    answer = client.post("/admin/kiosks/new", data={"code": "KIOSK-A", "name": "Lagi"})
    assert answer.status_code == 200 and "Kode ini sudah dipakai." in answer.get_data(as_text=True)


def test_the_enrolment_code_is_shown_once_and_enrols_the_kiosk(client, app_session):
    make_kiosk(app_session)
    admin(client, app_session)
    answer = client.post("/admin/kiosks/KIOSK-MPP-01/enrolment-code")
    assert answer.headers["Cache-Control"] == "no-store"
    code = re.search(r'class="enrolment-code"[^>]*>([A-Z0-9]+)<',
                     answer.get_data(as_text=True)).group(1)
    assert code not in client.get("/admin/kiosks").get_data(as_text=True)
    enrolled = client.post("/api/v1/kiosk/enrol", json={"enrolment_code": code})
    assert enrolled.status_code == 201
    app_session.expire_all()
    actions = set(app_session.scalars(select(AuditRecord.action)))
    assert {"issue_enrolment_code", "enrol"} <= actions


def test_revoking_stops_the_kiosks_token(client, app_session):
    make_kiosk(app_session)
    admin(client, app_session)
    page = client.post("/admin/kiosks/KIOSK-MPP-01/enrolment-code").get_data(as_text=True)
    code = re.search(r'class="enrolment-code"[^>]*>([A-Z0-9]+)<', page).group(1)
    token = client.post("/api/v1/kiosk/enrol", json={"enrolment_code": code}).json["device_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/kiosk/print-jobs", headers=auth).status_code == 200
    assert client.post("/admin/kiosks/KIOSK-MPP-01/revoke").status_code == 302
    assert client.get("/api/v1/kiosk/print-jobs", headers=auth).status_code == 401
    assert "Dicabut" in client.get("/admin/kiosks").get_data(as_text=True)


def test_an_administrator_takes_a_kiosk_out_of_service_with_a_note_and_back(client,
                                                                          app_session):
    make_kiosk(app_session)
    admin(client, app_session)
    client.post("/admin/kiosks/KIOSK-MPP-01/out-of-service",
                data={"note": "Sedang perawatan printer"})
    app_session.expire_all()
    kiosk = app_session.scalar(select(Kiosk))
    assert (kiosk.in_service, kiosk.out_of_service_note) == (False, "Sedang perawatan printer")
    assert "Sedang perawatan printer" in client.get("/admin/kiosks").get_data(as_text=True)
    client.post("/admin/kiosks/KIOSK-MPP-01/in-service")
    app_session.expire_all()
    assert app_session.scalar(select(Kiosk.in_service)) is True


def test_the_status_page_shows_heartbeat_printer_jobs_and_todays_requests(client,
                                                                          app_session):
    online = make_kiosk(app_session, "KIOSK-A")
    offline = make_kiosk(app_session, "KIOSK-B")
    for kiosk in (online, offline):
        kiosk.token_hash = f"hash-{kiosk.code}"
    queued_receipt(app_session, online)
    record_heartbeat(app_session, online, printer_state="out_of_paper")
    record_heartbeat(app_session, offline, printer_state="ready", paper_low=True,
                     now=utcnow() - timedelta(minutes=10))
    app_session.commit()
    admin(client, app_session)
    page = client.get("/admin/kiosks").get_data(as_text=True)
    row_a = page[page.index('id="kiosk-KIOSK-A"'):page.index('id="kiosk-KIOSK-B"')]
    row_b = page[page.index('id="kiosk-KIOSK-B"'):]
    assert "Daring" in row_a and "Kertas habis" in row_a and "Menunggu printer" in row_a
    assert re.search(r"<td>\s*1\s*<br>", row_a)  # one job waiting
    assert re.search(r"<td>1</td>", row_a)  # one request today
    assert "Luring" in row_b and "Kertas hampir habis" in row_b


def test_the_status_page_speaks_english(client, app_session):
    make_kiosk(app_session)
    admin(client, app_session)
    page = client.get("/admin/kiosks?lang=en").get_data(as_text=True)
    assert "Issue enrolment code" in page and "Not enrolled" in page


def test_kiosk_forms_need_a_csrf_token(app, client, app_session):
    make_kiosk(app_session)
    admin(client, app_session)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/admin/kiosks/KIOSK-MPP-01/revoke").status_code == 400
    app_session.expire_all()
    assert app_session.scalar(select(Kiosk.revoked_at)) is None
