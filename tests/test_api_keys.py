"""API keys: issued and revoked in the admin UI (shown once, CSRF, audited), checked on every
call, each held to its own rate limit, and a revoked key refused at once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from services.apikeys import check_rate_limit, revoke_api_key
from services.codes import hash_token
from services.errors import ValidationFailed
from services.models import ApiKey, ApiKeyCall
from tests.builders.admin import audit_records
from tests.builders.kiosk import make_business_catalog
from tests.builders.open311 import make_key, post_form


@pytest.mark.parametrize(("text", "ok"), [("60 per minute", True), ("1000/day", True),
                                          ("10/second;500/hour", True), ("", False),
                                          ("lots", False), ("-1 per minute", False)])
def test_rate_limits_are_written_in_flask_limiter_notation(text, ok):
    if ok:
        assert check_rate_limit(text)
    else:
        with pytest.raises(ValidationFailed):
            check_rate_limit(text)


def test_an_administrator_issues_a_key_shown_once_and_stored_hashed(admin_client,
                                                                   app_session):
    page = admin_client.post("/admin/api-keys/new", data={
        "name": "Aplikasi Warga", "owner_system": "Diskominfo", "rate_limit": "30 per minute",
        "scopes": ["catalog:read", "requests:submit"]})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    secret = re.search(r"<code>(ek_[^<]+)</code>", page.get_data(as_text=True)).group(1)
    key = app_session.scalar(select(ApiKey))
    assert key.key_hash == hash_token(secret) and secret not in (key.prefix, key.key_hash)
    assert secret.startswith(key.prefix)
    assert key.scopes == ["catalog:read", "requests:submit"]
    listing = admin_client.get("/admin/api-keys").get_data(as_text=True)
    assert key.prefix in listing and secret not in listing
    assert [r.action for r in audit_records(app_session, "api_key")] == ["issue"]


def test_a_key_needs_a_scope_and_a_readable_limit(admin_client, app_session):
    page = admin_client.post("/admin/api-keys/new", data={
        "name": "X", "owner_system": "Y", "rate_limit": "often", "scopes": []})
    assert page.status_code == 200
    assert app_session.scalar(select(ApiKey)) is None


def test_an_administrator_revokes_a_key_and_its_next_call_is_refused(admin_client,
                                                                     app_session):
    make_business_catalog(app_session)
    secret = make_key(app_session)
    key_id = app_session.scalar(select(ApiKey.id))
    assert admin_client.post("/open311/v2/requests.json",
                             data=post_form(secret)).status_code == 201
    admin_client.post(f"/admin/api-keys/{key_id}/revoke")
    refused = admin_client.post("/open311/v2/requests.json", data=post_form(secret))
    assert refused.status_code == 403
    assert admin_client.get("/api/v1/services", headers={"X-API-Key": secret}).status_code == 401
    assert [r.action for r in audit_records(app_session, "api_key")] == ["issue", "revoke"]
    log = admin_client.get(f"/admin/api-keys/calls?key={key_id}").get_data(as_text=True)
    assert "/open311/v2/requests" in log and "403" in log


def test_revoking_needs_a_csrf_token(app, admin_client, app_session):
    make_key(app_session)
    app.config["WTF_CSRF_ENABLED"] = True
    key_id = app_session.scalar(select(ApiKey.id))
    assert admin_client.post(f"/admin/api-keys/{key_id}/revoke").status_code == 400
    app_session.expire_all()
    assert app_session.scalar(select(ApiKey.revoked_at)) is None


def test_a_key_without_the_scope_is_403(client, session):
    make_business_catalog(session)
    reader = make_key(session, scopes=["catalog:read"])
    response = client.post("/open311/v2/requests.json", data=post_form(reader))
    assert response.status_code == 403
    assert "requests:submit" in response.get_json()[0]["description"]
    assert client.get("/api/v1/services", headers={"X-API-Key": reader}).status_code == 200


def test_revoking_in_the_domain_takes_effect_on_the_next_call(client, session):
    make_business_catalog(session)
    secret = make_key(session)
    assert client.get(f"/open311/v2/services.json?api_key={secret}").status_code == 200
    revoke_api_key(session, session.scalar(select(ApiKey.id)), actor=None)
    session.commit()
    response = client.get(f"/open311/v2/services.json?api_key={secret}")
    assert response.status_code == 403
    assert response.get_json()[0]["code"] == 403


@pytest.fixture
def limited_app(database_url, tmp_path, monkeypatch):
    from kiosk import create_app
    from kiosk.extensions import db

    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "limited"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_each_key_has_its_own_limit_and_429s_in_each_protocols_format(limited_app, session):
    make_business_catalog(session)
    tight = make_key(session, rate_limit="2 per minute", name="tight")
    other = make_key(session, rate_limit="100 per minute", name="other")
    client = limited_app.test_client()
    codes = [client.get(f"/open311/v2/services.json?api_key={tight}").status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    over = client.get(f"/open311/v2/services.xml?api_key={tight}")
    assert over.status_code == 429
    assert b"<errors><error><code>429</code>" in over.data
    assert int(over.headers["Retry-After"]) >= 1
    json_api = client.get("/api/v1/services", headers={"X-API-Key": tight})
    assert json_api.status_code == 429
    assert json_api.get_json()["error"]["code"] == "rate_limited"
    # Another key, and callers without a key, are not held back by this one.
    assert client.get(f"/open311/v2/services.json?api_key={other}").status_code == 200
    assert client.get("/open311/v2/services.json").status_code == 200
    statuses = session.scalars(select(ApiKeyCall.status).order_by(ApiKeyCall.id)).all()
    assert statuses.count(429) == 3


def test_the_demo_key_has_every_scope_and_loading_twice_keeps_one(runner, app_session, app):
    app.config["DEMO_API_KEY"] = "demo-open311-key"
    for _ in range(2):
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
    keys = app_session.scalars(select(ApiKey)).all()
    assert len(keys) == 1 and keys[0].key_hash == hash_token("demo-open311-key")
    assert set(keys[0].scopes) == {"catalog:read", "requests:submit", "requests:read-own"}
