"""Unknown API keys and kiosk device tokens are throttled by the caller's address (429) and the
refused keys are counted in the API key log (issue 28, item 10: 500 random keys, no 429)."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import select

from services.models import ApiKeyCall, Role
from tests.builders import FAST_PASSWORD_HASH, login, make_user
from tests.builders.kiosk import make_business_catalog, make_kiosk
from tests.test_api_keys import make_key

BUDGET = 5
GUESSER = {"REMOTE_ADDR": "203.0.113.7"}
NEIGHBOUR = {"REMOTE_ADDR": "203.0.113.8"}


@pytest.fixture
def guarded_app(database_url, tmp_path, monkeypatch):
    from kiosk import create_app
    from kiosk.extensions import db

    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "guarded"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
                      "REFUSED_CREDENTIAL_RATE_LIMIT": f"{BUDGET} per minute"})
    yield app
    with app.app_context():
        db.engine.dispose()


def guess(client, environ=GUESSER):
    return client.get("/api/v1/services", environ_base=environ,
                      headers={"X-API-Key": "ek_" + secrets.token_urlsafe(24)})


def test_an_address_guessing_api_keys_gets_429_and_the_log_counts_them(guarded_app, session):
    make_business_catalog(session)
    real = make_key(session, rate_limit="100 per minute", name="dasbor")
    session.commit()
    client = guarded_app.test_client()
    assert [guess(client).status_code for _ in range(BUDGET + 2)] == [401] * BUDGET + [429] * 2
    # Now even a real key from that address waits; another address is not held back.
    held = client.get("/api/v1/services", environ_base=GUESSER, headers={"X-API-Key": real})
    assert held.status_code == 429 and int(held.headers["Retry-After"]) >= 1
    assert held.get_json()["error"]["code"] == "rate_limited"
    assert guess(client, NEIGHBOUR).status_code == 401
    assert client.get("/api/v1/services", environ_base=NEIGHBOUR,
                      headers={"X-API-Key": real}).status_code == 200
    session.expire_all()
    calls = session.execute(select(ApiKeyCall.api_key_id, ApiKeyCall.status)
                            .order_by(ApiKeyCall.id)).all()
    refused = [status for key_id, status in calls if key_id is None]
    assert refused == [401] * BUDGET + [429] * 2 + [401]
    page_client = guarded_app.test_client()
    make_user(session, "boss", Role.ADMIN)
    session.commit()
    login(page_client, "boss")
    page = page_client.get("/admin/api-keys/calls").get_data(as_text=True)
    assert f"dalam 24 jam terakhir: {len(refused)}" in page and "Kunci tidak dikenal" in page


def test_an_address_guessing_device_tokens_gets_429(guarded_app, session):
    make_kiosk(session)
    session.commit()
    client = guarded_app.test_client()

    def heartbeat(token, environ=GUESSER):
        return client.post("/api/v1/kiosk/heartbeat", json={"printer_state": "ready"},
                           environ_base=environ, headers={"Authorization": f"Bearer {token}"})

    codes = [heartbeat(secrets.token_urlsafe(24)).status_code for _ in range(BUDGET + 1)]
    assert codes == [401] * BUDGET + [429]
    assert heartbeat(secrets.token_urlsafe(24), NEIGHBOUR).status_code == 401
    # The kiosk enrolment page counts against the same budget.
    page = client.post("/kiosk/enrol", data={"token": "nope"}, environ_base=GUESSER)
    assert page.status_code == 429
