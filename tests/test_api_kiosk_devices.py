"""The endpoints the kiosk client calls: enrol, heartbeat, print jobs, acknowledgement."""

import pytest
from sqlalchemy import select

from services.codes import hash_token
from services.kiosks.devices import revoke_kiosk
from services.models import Kiosk, PrinterState, PrintJob, PrintJobState
from tests.builders.printing import enrolment_code, make_kiosk, queued_receipt


def enrolled(client, session, code="KIOSK-MPP-01"):
    kiosk = make_kiosk(session, code)
    answer = client.post("/api/v1/kiosk/enrol", json={"enrolment_code": enrolment_code(session,
                                                                                      kiosk)})
    assert answer.status_code == 201
    return kiosk, {"Authorization": f"Bearer {answer.json['device_token']}"}


def test_enrolment_swaps_the_one_time_code_for_a_token_kept_only_as_a_hash(client, app_session):
    kiosk = make_kiosk(app_session)
    code = enrolment_code(app_session, kiosk)
    answer = client.post("/api/v1/kiosk/enrol", json={"enrolment_code": code.lower()})
    assert answer.status_code == 201 and answer.json["kiosk_code"] == "KIOSK-MPP-01"
    token = answer.json["device_token"]
    app_session.expire_all()
    stored = app_session.scalar(select(Kiosk))
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    again = client.post("/api/v1/kiosk/enrol", json={"enrolment_code": code})
    assert again.status_code == 401
    assert again.json["error"]["code"] == "unauthenticated"


def test_enrolment_without_a_code_names_the_field(client):
    answer = client.post("/api/v1/kiosk/enrol", json={})
    assert answer.status_code == 422
    assert "enrolment_code" in answer.json["error"]["fields"]


def test_the_heartbeat_records_the_printer_and_answers_with_the_service_state(client,
                                                                             app_session):
    kiosk, auth = enrolled(client, app_session)
    answer = client.post("/api/v1/kiosk/heartbeat", headers=auth, json={
        "printer_state": "ready", "paper_low": True, "client_version": "0.1.0", "paper_mm": 58})
    assert answer.status_code == 200
    assert answer.json["in_service"] is True and answer.json["kiosk_code"] == kiosk.code
    app_session.expire_all()
    stored = app_session.scalar(select(Kiosk))
    assert stored.printer_state is PrinterState.PAPER_LOW
    assert stored.last_heartbeat_at is not None and stored.paper_width_mm == 58


def test_a_bad_printer_state_is_a_validation_error(client, app_session):
    _kiosk, auth = enrolled(client, app_session)
    answer = client.post("/api/v1/kiosk/heartbeat", headers=auth,
                         json={"printer_state": "melting"})
    assert answer.status_code == 422 and "printer_state" in answer.json["error"]["fields"]


def test_print_jobs_carry_the_receipt_and_the_ack_is_idempotent(client, app_session):
    kiosk, auth = enrolled(client, app_session)
    request, job = queued_receipt(app_session, kiosk)
    answer = client.get("/api/v1/kiosk/print-jobs", headers=auth)
    assert answer.status_code == 200
    [sent] = answer.json["jobs"]
    assert sent["id"] == job.id and len(sent["receipt"]["pin"]) == 6
    assert sent["receipt"]["status_url"].startswith("http://localhost/status?code=")
    for _ in range(2):
        ack = client.post(f"/api/v1/kiosk/print-jobs/{job.id}/ack", headers=auth,
                          json={"result": "printed"})
        assert ack.status_code == 200 and ack.json == {"id": job.id, "state": "printed"}
    app_session.expire_all()
    assert app_session.scalar(select(PrintJob.state)) is PrintJobState.PRINTED
    assert client.get("/api/v1/kiosk/print-jobs", headers=auth).json["jobs"] == []


def test_the_status_url_uses_the_public_base_url_when_set(app, client, app_session):
    app.config["PUBLIC_BASE_URL"] = "https://layanan.kotacontoh.go.id"
    kiosk, auth = enrolled(client, app_session)
    queued_receipt(app_session, kiosk)
    [sent] = client.get("/api/v1/kiosk/print-jobs", headers=auth).json["jobs"]
    assert sent["receipt"]["status_url"].startswith(
        "https://layanan.kotacontoh.go.id/status?code=")


def test_an_ack_needs_a_result(client, app_session):
    kiosk, auth = enrolled(client, app_session)
    _request, job = queued_receipt(app_session, kiosk)
    answer = client.post(f"/api/v1/kiosk/print-jobs/{job.id}/ack", headers=auth,
                         json={"result": "maybe"})
    assert answer.status_code == 422


def test_another_kiosks_job_is_not_found(client, app_session):
    _kiosk, auth = enrolled(client, app_session)
    other = make_kiosk(app_session, "KIOSK-OTHER")
    _request, job = queued_receipt(app_session, other)
    answer = client.post(f"/api/v1/kiosk/print-jobs/{job.id}/ack", headers=auth,
                         json={"result": "printed"})
    assert answer.status_code == 404


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/v1/kiosk/heartbeat"),
    ("get", "/api/v1/kiosk/print-jobs"),
    ("post", "/api/v1/kiosk/print-jobs/1/ack"),
])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"},
                                     {"Authorization": "Basic abc"}])
def test_calls_without_a_valid_device_token_get_401(client, method, path, headers):
    answer = getattr(client, method)(path, headers=headers, json={"printer_state": "ready"})
    assert answer.status_code == 401
    assert answer.json["error"]["code"] == "unauthenticated"


def test_a_revoked_token_gets_401(client, app_session):
    kiosk, auth = enrolled(client, app_session)
    revoke_kiosk(app_session, kiosk.code, actor=None)
    app_session.commit()
    answer = client.get("/api/v1/kiosk/print-jobs", headers=auth)
    assert answer.status_code == 401
    assert "revoked" in answer.json["error"]["message"]


def schema_of(document, node):
    """Follow $ref pointers inside the OpenAPI document."""
    while isinstance(node, dict) and "$ref" in node:
        target = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_openapi_document_describes_the_kiosk_endpoints_as_they_answer(client, app,
                                                                           app_session):
    document = client.get("/api/v1/openapi.json").get_json()
    routes = {rule.rule.removeprefix("/api/v1").replace("<int:job_id>", "{job_id}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/kiosk/")}
    assert routes <= set(document["paths"])
    kiosk = make_kiosk(app_session)
    answers = {}
    enrol = client.post("/api/v1/kiosk/enrol",
                        json={"enrolment_code": enrolment_code(app_session, kiosk)})
    answers[("/kiosk/enrol", "post", "201")] = enrol.json
    auth = {"Authorization": f"Bearer {enrol.json['device_token']}"}
    _request, job = queued_receipt(app_session, kiosk)
    answers[("/kiosk/heartbeat", "post", "200")] = client.post(
        "/api/v1/kiosk/heartbeat", headers=auth, json={"printer_state": "ready"}).json
    jobs = client.get("/api/v1/kiosk/print-jobs", headers=auth).json
    answers[("/kiosk/print-jobs", "get", "200")] = jobs
    answers[("/kiosk/print-jobs/{job_id}/ack", "post", "200")] = client.post(
        f"/api/v1/kiosk/print-jobs/{job.id}/ack", headers=auth, json={"result": "printed"}).json
    for (path, method, status), body in answers.items():
        response = document["paths"][path][method]["responses"][status]
        schema = schema_of(document, response["content"]["application/json"]["schema"])
        assert set(schema["required"]) <= set(body), path
        assert set(body) <= set(schema["properties"]), path
    receipt_schema = schema_of(document, {"$ref": "#/components/schemas/Receipt"})
    [sent] = jobs["jobs"]
    assert set(receipt_schema["required"]) <= set(sent["receipt"])
    assert set(sent["receipt"]) <= set(receipt_schema["properties"])
    error = client.get("/api/v1/kiosk/print-jobs").json
    assert set(schema_of(document, {"$ref": "#/components/schemas/Error"})["required"]) <= set(
        error)
