"""Documents through the API: POST /api/v1/uploads answers an upload id (or a JSON refusal
naming why, with nothing stored), and POST /api/v1/requests names the ids among the answers;
the request and its documents are linked in one transaction, and a retry links nothing twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.models import ServiceRequest, StoredBlob, Upload
from tests.builders import NIK, PHONE, field_def, make_catalog, service_def
from tests.builders.berkas import CALCULATION, DRAWING, HOSTILE, KK, KTP, jpeg, multipart, pdf
from tests.builders.kiosk import KIOSK_TOKEN, make_kiosk

AUTH = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
PBG = service_def("PBG", requirements=[DRAWING, KTP, CALCULATION, KK],
                  fields=[field_def("purpose"), field_def("floors", "number")])


@pytest.fixture
def kiosk(app, session, berkas):
    app.extensions["berkas"] = berkas
    make_catalog(session, PBG)
    return make_kiosk(session)


def upload(client, data, name, path="/api/v1/uploads", headers=AUTH, **form):
    body, content_type = multipart(data, name, **form)
    return client.post(path, headers=headers, data=body, content_type=content_type)


def submit(client, answers, key="k-1"):
    return client.post("/api/v1/requests", headers={**AUTH, "Idempotency-Key": key}, json={
        "service_code": "PBG", "language": "en",
        "applicant": {"nik": NIK, "name": "Siti Aminah", "phone": PHONE},
        "answers": {"purpose": "Rumah", "floors": 1, **answers}})


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_documents_uploaded_then_named_are_linked_to_the_request(client, kiosk, session):
    drawing = upload(client, pdf(2), "gambar.pdf", service_code="PBG",
                     requirement="gambar_rencana")
    assert drawing.status_code == 201, drawing.get_json()
    body = drawing.get_json()
    assert body["media_type"] == "application/pdf" and body["pages"] == 2
    assert body["requirement"] == "gambar_rencana" and body["upload_id"].startswith("upl_")
    photo = upload(client, jpeg(gps=True), "ktp.jpg").get_json()["upload_id"]
    response = submit(client, {"gambar_rencana": [body["upload_id"]], "ktp": photo})
    assert response.status_code == 201, response.get_json()
    request = session.scalar(select(ServiceRequest))
    linked = {u.requirement_key: u for u in session.scalars(
        select(Upload).where(Upload.request_id == request.id))}
    assert set(linked) == {"gambar_rencana", "ktp"}
    assert "ktp" not in request.answers and "gambar_rencana" not in request.answers
    assert request.events[0].data["documents"] == {"gambar_rencana": 1, "ktp": 1}
    again = submit(client, {"gambar_rencana": [body["upload_id"]], "ktp": photo})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    other = submit(client, {"ktp": photo}, key="k-2")
    assert other.status_code == 422
    assert other.get_json()["error"]["fields"] == {
        "documents.ktp": "The uploaded file was not found or has expired. Upload it again."}


def test_documents_the_answers_do_not_ask_for_are_refused(client, kiosk, session):
    calculation = upload(client, pdf(1), "hitung.pdf").get_json()["upload_id"]
    photo = upload(client, jpeg(), "gambar.jpg").get_json()["upload_id"]
    response = submit(client, {"perhitungan": calculation, "gambar_rencana": photo})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "documents.perhitungan": "This service does not ask for that document.",
        "documents.gambar_rencana": "This format is not accepted for this requirement."}
    assert count(session, ServiceRequest) == 0
    assert count(session, Upload) == 2 and not session.scalar(
        select(func.count()).select_from(Upload).where(Upload.request_id.is_not(None)))
    assert submit(client, {"perhitungan": calculation, "ktp": photo},
                  key="k-3").status_code == 422  # floors 1: no calculation asked
    tall = client.post("/api/v1/requests", headers={**AUTH, "Idempotency-Key": "k-4"}, json={
        "service_code": "PBG", "applicant": {"nik": NIK, "name": "Siti", "phone": PHONE},
        "answers": {"purpose": "Ruko", "floors": 3, "perhitungan": calculation}})
    assert tall.status_code == 201, tall.get_json()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_upload_is_a_json_refusal_and_nothing_is_stored(client, kiosk, session,
                                                                  berkas, name):
    response = upload(client, HOSTILE[name](), name)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and set(error["fields"]) == {"file"}
    assert count(session, Upload) == 0 and count(session, StoredBlob) == 0
    assert list(berkas.store.names()) == []


def test_an_upload_needs_a_device_or_a_key_and_a_known_requirement(client, kiosk):
    anonymous = upload(client, pdf(), "a.pdf", headers={})
    assert anonymous.status_code == 401
    unknown = upload(client, pdf(), "a.pdf", service_code="PBG", requirement="kk_asli")
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["fields"] == {
        "requirement": "This service does not ask for that document."}
    indonesian = upload(client, b"", "a.pdf", path="/api/v1/uploads?lang=id")
    assert indonesian.get_json()["error"]["fields"]["file"].startswith("Berkas kosong")


def test_an_upload_may_be_larger_than_other_bodies_but_not_unbounded(client, kiosk, app):
    big = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)
    response = upload(client, big, "big.pdf")
    assert response.status_code == 422  # read, then refused for what it is, not 413
    app.config["BERKAS_MAX_UPLOAD"] = 1024 * 1024
    assert upload(client, big, "big.pdf").status_code == 413
