"""Complaint pages and API: the phone page, the coordinator's inbox, the agency's queue and
answer form, the citizen's rating, the public board; and above all, privacy: a confidential
or anonymous complainant never shows on anything a clerk can reach, nor in the logs."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from services.models import Complaint, ComplaintStatus, Privacy
from tests.builders import login
from tests.builders.complaints import (
    CLINIC,
    NAME,
    NIK,
    PHONE,
    make_complaint_city,
)
from tests.builders.kiosk import KIOSK_TOKEN, make_kiosk

AUTH = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
ANSWER = "Petugas loket sudah ditegur dan antrean kini memakai nomor urut elektronik."
SECRETS = (NIK, PHONE, NAME, *NAME.split(), "+6281234567890", "6281234567890")


@pytest.fixture
def staff(app, session):
    staff = make_complaint_city(session)
    make_kiosk(session)
    return staff


def file_by_api(client, privacy="confidential", key="c-1", description=CLINIC, **changes):
    complainant = {} if privacy == "anonymous" else {"nik": NIK, "name": NAME, "phone": PHONE}
    body = {"category": "kesehatan", "description": description, "privacy": privacy,
            "location": f"Puskesmas Sukamaju, dekat rumah {NAME}", "complainant": complainant,
            **changes}
    return client.post("/api/v1/complaints", json=body, headers={**AUTH, "Idempotency-Key": key})


def as_user(client, username):
    client.post("/auth/logout")
    assert login(client, username).status_code == 302


def coordinator_forwards(client, code, agency="DINKES", agency_text=""):
    as_user(client, "koordinator.pengaduan")
    return client.post(f"/koordinator/pengaduan/{code}/teruskan",
                       data={"agencies": [agency], "note": "Mohon ditindaklanjuti.",
                             "agency_text": agency_text})


def assert_no_identity(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} shown on {where}"
    # Not even masked fragments of the phone number or NIK.
    assert not re.search(r"0812\*+", text), where


def test_api_files_a_complaint_with_code_and_pin_and_replays_a_retry(client, staff, session):
    first = file_by_api(client)
    assert first.status_code == 201
    data = first.get_json()
    assert data["status"] == "submitted" and data["privacy"] == "confidential"
    assert len(data["pin"]) == 6 and data["forward_due_date"]
    again = file_by_api(client)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["pin"] == data["pin"]
    assert_no_identity(first.get_data(as_text=True), "the filing response")
    complaint = session.scalar(select(Complaint))
    assert complaint.channel.value == "api" and complaint.privacy is Privacy.CONFIDENTIAL


def test_api_refuses_bad_complaints_with_fields_and_without_a_device(client, staff, session):
    response = file_by_api(client, description="pendek", privacy="anonymous", key="c-2")
    assert response.status_code == 422
    assert "description" in response.get_json()["error"]["fields"]
    response = file_by_api(client, privacy="anonymous", key="c-3",
                           complainant={"name": NAME})
    assert response.status_code == 422
    assert "name" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/complaints", json={"category": "kesehatan"})
    assert response.status_code == 401
    assert session.scalars(select(Complaint)).all() == []


def test_whole_flow_on_the_web_confidential_complaint_about_a_clinic(client, staff, session):
    filed = file_by_api(client).get_json()
    code, pin = filed["tracking_code"], filed["pin"]
    assert coordinator_forwards(client, code).status_code == 302
    client.post(f"/koordinator/pengaduan/{code}/publikasi",
                data={"public_text": "Antrean lima jam dan petugas loket membentak pasien "
                                     "lansia di Puskesmas Sukamaju."})
    as_user(client, "clerk.dinkes")
    queue = client.get("/clerk/pengaduan")
    assert code[:4] in queue.get_data(as_text=True) and "Rahasia" in queue.get_data(as_text=True)
    page = client.get(f"/clerk/pengaduan/{code}")
    assert page.status_code == 200 and "Rahasia" in page.get_data(as_text=True)
    short = client.post(f"/clerk/pengaduan/{code}/jawab", data={"answer": "ok"})
    assert short.status_code == 422
    assert client.post(f"/clerk/pengaduan/{code}/jawab",
                       data={"answer": ANSWER}).status_code == 302
    board = client.get("/pengaduan?instansi=DINKES").get_data(as_text=True)
    assert ANSWER in board and "Antrean lima jam" in board
    assert_no_identity(board, "the public board")
    # The citizen, on a phone: code and PIN, the answer, then the rating.
    client.post("/auth/logout")
    result = client.post("/pengaduan/cek", data={"tracking_code": code, "pin": pin})
    assert ANSWER in result.get_data(as_text=True) and 'id="rate"' in result.get_data(as_text=True)
    rated = client.post("/pengaduan/nilai", data={"rating": "5", "resolved": "ya"})
    assert rated.status_code == 200
    complaint = session.scalar(select(Complaint))
    session.refresh(complaint)
    assert complaint.status is ComplaintStatus.RESOLVED and complaint.rating == 5


def test_phone_page_files_an_anonymous_complaint_ignoring_hidden_identity(client, staff,
                                                                          session):
    page = client.get("/pengaduan/baru")
    assert page.status_code == 200 and "UU 25/2009 Pasal 50" in page.get_data(as_text=True)
    response = client.post("/pengaduan/baru", data={
        "category": "kesehatan", "description": CLINIC, "privacy": "anonymous",
        "name": NAME, "phone": PHONE})
    assert response.status_code == 302
    filed = client.get("/pengaduan/terkirim").get_data(as_text=True)
    assert 'id="pin"' in filed
    complaint = session.scalar(select(Complaint))
    assert complaint.privacy is Privacy.ANONYMOUS and complaint.complainant_name is None


def test_phone_page_shows_each_problem_beside_its_field(client, staff, session):
    response = client.post("/pengaduan/baru", data={
        "category": "", "description": "pendek", "privacy": "public", "name": "", "phone": "1"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert text.count('class="error"') >= 4
    assert session.scalars(select(Complaint)).all() == []


def test_rating_not_resolved_reaches_the_coordinator_who_closes_it(client, staff, session):
    filed = file_by_api(client, privacy="public").get_json()
    code, pin = filed["tracking_code"], filed["pin"]
    coordinator_forwards(client, code)
    as_user(client, "clerk.dinkes")
    client.post(f"/clerk/pengaduan/{code}/jawab", data={"answer": ANSWER})
    response = client.post("/api/v1/complaints/rating", json={
        "tracking_code": code, "pin": pin, "rating": 1, "resolved": False,
        "reason": "Masih sama."})
    assert response.status_code == 200 and response.get_json()["status"] == "reopen_requested"
    as_user(client, "koordinator.pengaduan")
    inbox = client.get("/koordinator/?view=reopen").get_data(as_text=True)
    assert code[:4] in inbox
    client.post(f"/koordinator/pengaduan/{code}/putuskan",
                data={"decision": "close", "note": "Sudah sesuai standar pelayanan."})
    lookup = client.post("/api/v1/complaints/lookup", json={"tracking_code": code, "pin": pin})
    data = lookup.get_json()
    assert data["status"] == "closed"
    assert data["timeline"][-1]["note"] == "Sudah sesuai standar pelayanan."
    assert [e["kind"] for e in data["timeline"]][-2:] == ["reopen_requested", "closed"]


def test_lookup_answers_alike_for_a_wrong_code_and_a_wrong_pin(client, staff):
    filed = file_by_api(client).get_json()
    wrong_pin = client.post("/api/v1/complaints/lookup", json={
        "tracking_code": filed["tracking_code"], "pin": "999999" if filed["pin"] != "999999"
        else "111111"})
    wrong_code = client.post("/api/v1/complaints/lookup", json={
        "tracking_code": "ZZZZ-ZZZZ-Z", "pin": filed["pin"]})
    assert wrong_pin.status_code == wrong_code.status_code == 404
    assert wrong_pin.get_json() == wrong_code.get_json()


def test_other_agencies_cannot_see_the_complaint(client, staff):
    code = file_by_api(client).get_json()["tracking_code"]
    coordinator_forwards(client, code)
    as_user(client, "clerk.dlh")
    assert client.get(f"/clerk/pengaduan/{code}").status_code == 404
    assert client.post(f"/clerk/pengaduan/{code}/jawab", data={"answer": ANSWER}).status_code == 404
    assert client.get("/koordinator/").status_code == 403


@pytest.mark.parametrize("privacy", ["confidential", "anonymous"])
def test_no_page_or_response_a_clerk_can_reach_shows_the_complainant(client, staff, session,
                                                                    privacy, caplog):
    caplog.set_level(logging.DEBUG)
    # The citizen wrote their own name, NIK and phone into the text and the location. An
    # anonymous complainant gives no name, so the system cannot know one written in the text
    # (the coordinator's agency text guards that); NIK- and phone-shaped numbers it masks.
    if privacy == "anonymous":
        filed = file_by_api(client, privacy=privacy,
                            description=CLINIC.replace(NAME, "seorang warga"),
                            location="Puskesmas Sukamaju").get_json()
    else:
        filed = file_by_api(client, privacy=privacy).get_json()
    code = filed["tracking_code"]
    # The coordinator forwards with the default (redacted) agency text and publishes.
    coordinator_forwards(client, code)
    page = client.get(f"/koordinator/pengaduan/{code}").get_data(as_text=True)
    if privacy == "confidential":
        assert NAME in page  # the coordinator alone knows who it is
    client.post(f"/koordinator/pengaduan/{code}/publikasi",
                data={"public_text": "Antrean lima jam di Puskesmas Sukamaju."})
    pages: dict[str, str] = {}
    for clerk in ("clerk.dinkes", "spv.dinkes"):
        as_user(client, clerk)
        for url in ("/clerk/", "/clerk/pengaduan", "/clerk/pengaduan?view=overdue",
                    "/clerk/pengaduan?view=answered", f"/clerk/pengaduan/{code}",
                    "/pengaduan", "/api/v1/complaints", "/api/v1/complaints/categories",
                    "/clerk/supervisor" if clerk.startswith("spv") else "/clerk/"):
            response = client.get(url)
            assert response.status_code == 200, url
            pages[f"{clerk} {url}"] = response.get_data(as_text=True)
        refused = client.post(f"/clerk/pengaduan/{code}/jawab", data={"answer": "x"})
        pages[f"{clerk} refused answer"] = refused.get_data(as_text=True)
    answered = client.post(f"/clerk/pengaduan/{code}/jawab", data={"answer": ANSWER},
                           follow_redirects=True)
    pages["after answering"] = answered.get_data(as_text=True)
    pages["answered view"] = client.get("/clerk/pengaduan?view=answered").get_data(as_text=True)
    pages["board"] = client.get("/pengaduan").get_data(as_text=True)
    pages["board api"] = client.get("/api/v1/complaints").get_data(as_text=True)
    assert "Puskesmas Sukamaju" in pages[f"clerk.dinkes /clerk/pengaduan/{code}"]
    for where, text in pages.items():
        assert_no_identity(text, where)
    assert_no_identity("\n".join(r.getMessage() for r in caplog.records), "the logs")


def test_clerk_answer_form_needs_its_csrf_token(app, client, staff):
    code = file_by_api(client).get_json()["tracking_code"]
    coordinator_forwards(client, code)
    as_user(client, "clerk.dinkes")
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post(f"/clerk/pengaduan/{code}/jawab", data={"answer": ANSWER})
    assert refused.status_code == 400
    page = client.get(f"/clerk/pengaduan/{code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    accepted = client.post(f"/clerk/pengaduan/{code}/jawab",
                           data={"answer": ANSWER, "csrf_token": token.group(1)})
    assert accepted.status_code == 302


def test_board_filters_and_shows_only_published_complaints(client, staff):
    shown = file_by_api(client, key="a").get_json()["tracking_code"]
    hidden = file_by_api(client, key="b", description=CLINIC + " Kedua.").get_json()[
        "tracking_code"]
    coordinator_forwards(client, shown)
    coordinator_forwards(client, hidden, agency="DLH")
    client.post(f"/koordinator/pengaduan/{shown}/publikasi",
                data={"public_text": "Antrean lima jam di Puskesmas Sukamaju."})
    client.post("/auth/logout")
    board = client.get("/pengaduan").get_data(as_text=True)
    assert shown[:4] in board and hidden[:4] not in board
    assert shown[:4] not in client.get("/pengaduan?instansi=DLH").get_data(as_text=True)
    assert shown[:4] in client.get("/pengaduan?kategori=kesehatan&status=forwarded").get_data(
        as_text=True)
    assert shown[:4] not in client.get("/pengaduan?status=resolved").get_data(as_text=True)


def test_openapi_documents_the_complaint_endpoints_as_they_answer(client, staff):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/complaints", "/complaints/lookup", "/complaints/rating",
                 "/complaints/categories", "/complaints/figures"):
        assert path in document["paths"]
    summary = document["components"]["schemas"]["ComplaintSummary"]["properties"]
    filed = file_by_api(client).get_json()
    assert set(filed) == set(summary) | {"pin"}
    figures = client.get("/api/v1/complaints/figures").get_json()
    assert figures["submitted"] == 1 and figures["closed_unconfirmed"] == 0
