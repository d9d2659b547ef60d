"""The requests API: submit as a kiosk device, idempotency, errors, look-up, rate limit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.codes import idempotency_digest
from services.kiosks.devices import revoke_kiosk
from services.models import Channel, ServiceRequest
from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE, make_business_catalog, make_kiosk

AUTH = {"Authorization": f"Bearer {KIOSK_TOKEN}"}


def body(**changes):
    return {"service_code": "IZIN-USAHA", "language": "en",
            "applicant": {"nik": NIK, "name": "Siti Aminah", "phone": PHONE},
            "answers": {"business_name": "Warung Siti", "sector": "jasa", "workers": 2,
                        "has_npwp": False},
            **changes}


@pytest.fixture
def kiosk(app, session):
    make_business_catalog(session)
    return make_kiosk(session)


def submit(client, payload=None, key="k-1", headers=AUTH):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post("/api/v1/requests", json=payload or body(), headers={**headers, **extra})


def test_a_kiosk_device_submits_a_request_and_gets_code_pin_and_date(client, kiosk, session):
    response = submit(client)
    assert response.status_code == 201
    data = response.get_json()
    assert data["status"] == "submitted" and len(data["pin"]) == 6
    assert len(data["tracking_code"]) == 9 and data["expected_completion"]
    assert data["service"] == {"code": "IZIN-USAHA", "name": "Service IZIN-USAHA (en)"}
    request = session.scalar(select(ServiceRequest))
    assert request.channel is Channel.API and request.kiosk_id == kiosk.id
    assert request.idempotency_digest == idempotency_digest("api:KIOSK-TEST-01:k-1")


def test_a_retried_key_returns_the_first_request_with_200(client, kiosk, session):
    first = submit(client)
    again = submit(client)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 1


def test_a_reused_key_with_other_content_is_a_conflict(client, kiosk):
    submit(client)
    changed = body(answers={"business_name": "Other", "sector": "jasa", "workers": 2,
                            "has_npwp": False})
    assert submit(client, changed).status_code == 409


def test_without_a_device_token_nothing_is_submitted(client, kiosk, session):
    assert submit(client, headers={}).status_code == 401
    assert submit(client, headers={"Authorization": "Bearer nope"}).status_code == 401
    revoke_kiosk(session, "KIOSK-TEST-01", actor=None)
    session.commit()
    response = submit(client)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_bad_input_answers_422_with_a_message_per_field(client, kiosk):
    payload = body(applicant={"nik": "9934567890123456", "name": "Siti", "phone": "0212345"},
                   answers={"business_name": "", "sector": "tambang", "workers": 0,
                            "has_npwp": True})
    response = submit(client, payload)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert fields == {
        "applicant.nik": "This NIK is not recognised. Check the 16 digits on your KTP-el or "
                         "family card (KK) again.",
        "applicant.phone": "The mobile number must start with 08 or +628 and have 10-13 digits.",
        "business_name": "This is required.",
        "sector": "Choose one of the options given.",
        "workers": "At least 1.",
        "npwp_number": "This is required.",
    }


def test_a_body_of_the_wrong_shape_is_refused(client, kiosk):
    assert client.post("/api/v1/requests", data="nope", headers=AUTH).status_code == 400
    response = submit(client, {"applicant": "x", "answers": []})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"service_code", "applicant", "answers"}
    assert submit(client, body(service_code="NOPE")).status_code == 404


def test_look_up_gives_status_and_timeline(client, kiosk):
    created = submit(client).get_json()
    response = client.post("/api/v1/requests/lookup?lang=en", json={
        "tracking_code": created["tracking_code_display"].lower(), "pin": created["pin"]})
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "submitted"
    assert [e["text"] for e in data["timeline"]] == ["Your request was received."]
    assert "pin" not in data


def test_a_wrong_code_and_a_wrong_pin_answer_alike(client, kiosk):
    created = submit(client).get_json()
    wrong_pin = "1" + created["pin"][1:] if created["pin"][0] != "1" else "2" + created["pin"][1:]
    by_pin = client.post("/api/v1/requests/lookup", json={
        "tracking_code": created["tracking_code"], "pin": wrong_pin})
    by_code = client.post("/api/v1/requests/lookup", json={
        "tracking_code": "2222-2222-2", "pin": created["pin"]})
    assert by_pin.status_code == by_code.status_code == 404
    assert by_pin.get_json() == by_code.get_json()


def test_look_ups_are_rate_limited(database_url, kiosk, tmp_path, monkeypatch):
    from kiosk import create_app
    from kiosk.extensions import db

    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "limited"))
    limited = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                          "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True,
                          "LOOKUP_RATE_LIMIT": "3 per minute"})
    client = limited.test_client()
    codes = [client.post("/api/v1/requests/lookup",
                         json={"tracking_code": "2222-2222-2", "pin": "123456"}).status_code
             for _ in range(4)]
    with limited.app_context():
        db.engine.dispose()
    assert codes == [404, 404, 404, 429]


def test_the_openapi_document_describes_what_the_endpoints_answer(client, kiosk):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert {"/requests", "/requests/lookup"} <= set(document["paths"])
    created = submit(client).get_json()
    summary = set(schemas["RequestSummary"]["required"])
    assert summary | {"pin"} <= set(created)
    assert set(created) <= set(schemas["RequestSummary"]["properties"]) | {"pin"}
    looked_up = client.post("/api/v1/requests/lookup", json={
        "tracking_code": created["tracking_code"], "pin": created["pin"]}).get_json()
    assert summary | {"timeline"} <= set(looked_up)


def test_an_out_of_service_kiosk_takes_no_requests(client, kiosk, session):
    from services.kiosks.devices import set_in_service

    set_in_service(session, "KIOSK-TEST-01", False, "maintenance", actor=None)
    session.commit()
    response = submit(client)
    assert response.status_code == 409
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


def test_look_up_limits_hold_across_app_hosts_sharing_redis(database_url, kiosk, tmp_path,
                                                            monkeypatch):
    import socket
    import uuid

    from kiosk import create_app
    from kiosk.extensions import db

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("!!! no Redis at 127.0.0.1:6379: shared rate-limit test SKIPPED")
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "hosts"))
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
              "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True,
              "LOOKUP_RATE_LIMIT": "3 per minute",
              "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
              "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    hosts = [create_app(dict(config)), create_app(dict(config))]
    codes = [hosts[i % 2].test_client().post(
        "/api/v1/requests/lookup", json={"tracking_code": "2222-2222-2", "pin": "123456"}
    ).status_code for i in range(4)]
    for host in hosts:
        with host.app_context():
            db.engine.dispose()
    assert codes == [404, 404, 404, 429]
