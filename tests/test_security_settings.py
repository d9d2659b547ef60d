"""Low findings: Secure cookies and HSTS outside demo mode, no-store staff pages, absolute links
from PUBLIC_BASE_URL only (never the Host header), a private instance folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE, make_business_catalog, make_kiosk

BASE = "https://layanan.kota.example"


BUILT = []  # the apps a test built, whose connection pools it closes when it ends


@pytest.fixture(autouse=True)
def _close_built_apps():
    yield
    from kiosk.extensions import db

    while BUILT:
        with BUILT.pop().app_context():
            db.engine.dispose()


def build(tmp_path, monkeypatch, database_url=None, **config):
    from kiosk import create_app

    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "instance"))
    settings = {"SECRET_KEY": "test-secret", **config}
    if database_url:
        settings["SQLALCHEMY_DATABASE_URI"] = database_url
    BUILT.append(create_app(settings))
    return BUILT[-1]


def test_a_real_deployment_serves_and_notifies_nothing_without_its_public_address(
        tmp_path, monkeypatch, database_url, caplog):
    from kiosk.notifications.config import outbox_settings

    monkeypatch.delenv("KIOSK_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("KIOSK_DEMO_MODE", raising=False)
    app = build(tmp_path, monkeypatch, database_url)
    for path in ("/healthz", "/", "/api/v1/services", "/kiosk/"):
        refused = app.test_client().get(path)
        assert refused.status_code == 503
        assert "KIOSK_PUBLIC_BASE_URL must be set" in refused.get_data(as_text=True)
    assert "KIOSK_PUBLIC_BASE_URL must be set" in caplog.text  # and the log says why
    with pytest.raises(RuntimeError, match="KIOSK_PUBLIC_BASE_URL must be set"):
        outbox_settings(app.config)  # the outbox worker would link to nowhere
    demo = build(tmp_path, monkeypatch, database_url, DEMO_MODE=True)
    assert demo.test_client().get("/healthz").status_code == 200


def test_commands_that_make_no_links_run_without_the_public_address(tmp_path, monkeypatch,
                                                                      database_url):
    monkeypatch.delenv("KIOSK_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("KIOSK_DEMO_MODE", raising=False)
    survey = tmp_path / "survei.csv"
    survey.write_text("u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,4,4,4,4,4\n")
    app = build(tmp_path, monkeypatch, database_url)
    result = app.test_cli_runner().invoke(args=["ikm", "compute", str(survey), "--json"])
    assert result.exit_code == 0, result.output
    assert '"ikm": 100' in result.output


def test_gunicorn_will_not_boot_a_worker_without_the_public_address(tmp_path, monkeypatch,
                                                                     database_url):
    import runpy
    from types import SimpleNamespace

    from flask import Flask

    hooks = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    monkeypatch.delenv("KIOSK_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("KIOSK_DEMO_MODE", raising=False)
    with pytest.raises(RuntimeError, match="KIOSK_PUBLIC_BASE_URL must be set"):
        hooks["post_worker_init"](SimpleNamespace(wsgi=build(tmp_path, monkeypatch, database_url)))
    real = build(tmp_path, monkeypatch, database_url, PUBLIC_BASE_URL=BASE)
    hooks["post_worker_init"](SimpleNamespace(wsgi=real))  # starts
    hooks["post_worker_init"](SimpleNamespace(wsgi=Flask("bench-bare")))  # another app starts


def test_outside_demo_mode_cookies_are_secure_and_hsts_is_sent(tmp_path, monkeypatch,
                                                               database_url):
    monkeypatch.delenv("KIOSK_SECURE_COOKIES", raising=False)
    real = build(tmp_path, monkeypatch, database_url, PUBLIC_BASE_URL=BASE)
    assert real.config["SESSION_COOKIE_SECURE"] is True
    assert real.config["REMEMBER_COOKIE_SECURE"] is True
    hsts = real.test_client().get("/").headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"


def test_demo_mode_and_an_explicit_setting_keep_plain_cookies_and_no_hsts(tmp_path, monkeypatch,
                                                                         database_url):
    demo = build(tmp_path, monkeypatch, database_url, DEMO_MODE=True)
    assert demo.config["SESSION_COOKIE_SECURE"] is False
    assert "Strict-Transport-Security" not in demo.test_client().get("/").headers
    monkeypatch.setenv("KIOSK_SECURE_COOKIES", "0")
    forced = build(tmp_path, monkeypatch, database_url, PUBLIC_BASE_URL=BASE)
    assert forced.config["SESSION_COOKIE_SECURE"] is False


def test_staff_pages_are_never_cached_and_public_ones_may_be(admin_client, client):
    for url in ("/admin/", "/admin/users/"):
        assert admin_client.get(url).headers["Cache-Control"] == "no-store, max-age=0"
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store, max-age=0"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_links_use_the_public_base_url_whatever_host_the_client_names(app, client, session):
    make_business_catalog(session)
    make_kiosk(session)
    app.config["PUBLIC_BASE_URL"] = BASE + "/"
    evil = {"Host": "evil.example"}
    created = client.post("/api/v1/requests", headers={
        "Authorization": f"Bearer {KIOSK_TOKEN}", "Idempotency-Key": "k-1", **evil}, json={
        "service_code": "IZIN-USAHA", "language": "en",
        "applicant": {"nik": NIK, "name": "Siti Aminah", "phone": PHONE},
        "answers": {"business_name": "Warung", "sector": "jasa", "workers": 2,
                    "has_npwp": False}}).get_json()
    looked_up = client.post("/api/v1/requests/lookup", headers=evil, json={
        "tracking_code": created["tracking_code"], "pin": created["pin"]}).get_json()
    assert looked_up["receipt_url"].startswith(BASE + "/receipt/")
    assert "evil.example" not in looked_up["receipt_url"]


def test_the_instance_folder_and_sqlite_database_are_private(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = build(tmp_path, monkeypatch, TESTING=True)
    folder = tmp_path / "instance"
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(database).stat().st_mode) == 0o600
