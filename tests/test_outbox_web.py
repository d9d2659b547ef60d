"""Notifications through the app: the citizen's choice at the kiosk and in the API, the worker
command, STOP replies from the SMS gateway and WhatsApp, the opt-out link page, and the admin
pages for the outbox and webhook subscribers."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from services.codes import format_tracking_code
from services.models import (
    NotificationConsent,
    OutboxChannel,
    OutboxMessage,
    OutboxState,
    Role,
    ServiceRequest,
    Task,
    WebhookSubscriber,
)
from services.outbox.worker import optout_token
from services.workflow.tasks import return_for_information
from tests.builders import login, make_user
from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE, enrol, make_business_catalog, make_kiosk


@pytest.fixture
def kiosk(app, session):
    app.config.update(NOTIFY_QUIET_HOURS="none", SMS_INBOUND_TOKEN="inbound-token",
                      WHATSAPP_APP_SECRET="meta-app-secret", WHATSAPP_VERIFY_TOKEN="verify-me")
    make_business_catalog(session)
    return make_kiosk(session)


def apply_at_kiosk(client, notify: str, lang: str = "id") -> str:
    """Walk the kiosk flow choosing ``notify``; return the check page."""
    assert enrol(client).status_code == 302
    client.get(f"/kiosk/?lang={lang}")
    client.post("/kiosk/service/IZIN-USAHA/start")
    identity = client.get("/kiosk/apply/identity").get_data(as_text=True)
    assert "WhatsApp" in identity and "SMS" in identity
    client.post("/kiosk/apply/identity", data={"nik": NIK, "name": "Siti Aminah",
                                               "phone": PHONE, "notify": notify})
    client.post("/kiosk/apply/page/1", data={"business_name": "Warung Siti", "sector": "jasa"})
    client.post("/kiosk/apply/page/2", data={"workers": "3", "has_npwp": "tidak"})
    check = client.get("/kiosk/apply/check").get_data(as_text=True)
    assert client.post("/kiosk/apply/submit").status_code == 302
    return check


def messages_in(folder: Path) -> list[dict]:
    return sorted((json.loads(p.read_text()) for p in folder.glob("*.json")),
                  key=lambda m: m["written_at"])


def work(runner, session) -> None:
    session.commit()  # end the test's read: on SQLite every transaction takes the write lock
    result = runner.invoke(args=["outbox", "work", "--once", "--no-sla-sweep"])
    assert result.exit_code == 0, result.output


@pytest.mark.committing  # `flask outbox work` opens sessions of its own
def test_a_citizen_chooses_whatsapp_and_gets_received_then_needs_information(
        client, kiosk, session, runner, app):
    check = apply_at_kiosk(client, "whatsapp")
    assert "Kirim kabar lewat" in check and "WhatsApp" in check
    request = session.scalar(select(ServiceRequest))
    consent = session.scalar(select(NotificationConsent))
    assert (consent.channel, consent.source) == (OutboxChannel.WHATSAPP, "e-Kios KIOSK-TEST-01")
    work(runner, session)
    folder = Path(app.config["NOTIFY_FOLDER"])
    [received] = messages_in(folder)
    assert received["channel"] == "whatsapp"
    assert format_tracking_code(request.tracking_code) in received["text"]
    assert "diterima" in received["text"]

    clerk = make_user(session, "clerk.dpmptsp", Role.CLERK, agency="DPMPTSP")
    task = session.scalar(select(Task).where(Task.request_id == request.id))
    return_for_information(session, actor=clerk, task_id=task.id, note="Foto KTP kabur")
    session.commit()
    work(runner, session)
    assert "keterangan tambahan" in messages_in(folder)[-1]["text"]
    assert len(messages_in(folder)) == 2


@pytest.mark.committing  # `flask outbox work` opens sessions of its own
def test_the_choice_is_offered_in_english_and_no_thanks_sends_nothing(client, kiosk, session,
                                                                      runner, app):
    check = apply_at_kiosk(client, "none", lang="en")
    assert "Send me news by" in check and "No, thanks" in check
    assert session.scalar(select(NotificationConsent)) is None
    work(runner, session)
    assert messages_in(Path(app.config["NOTIFY_FOLDER"])) == []


def test_the_api_takes_the_same_choice_and_refuses_others(client, kiosk, session):
    body = {"service_code": "IZIN-USAHA", "language": "en",
            "applicant": {"nik": NIK, "name": "Siti Aminah", "phone": PHONE},
            "answers": {"business_name": "Warung Siti", "sector": "jasa", "workers": 2,
                        "has_npwp": False}}
    auth = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
    refused = client.post("/api/v1/requests", json={**body, "notify": "pigeon"}, headers=auth)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"]["notify"] == "Choose WhatsApp, SMS or no messages."
    assert client.post("/api/v1/requests", json={**body, "notify": 5},
                       headers=auth).status_code == 422
    assert session.scalar(select(ServiceRequest)) is None
    session.commit()
    assert client.post("/api/v1/requests", json={**body, "notify": "sms"},
                       headers=auth).status_code == 201
    consent = session.scalar(select(NotificationConsent))
    assert (consent.channel, consent.language, consent.source) == (
        OutboxChannel.SMS, "en", "API KIOSK-TEST-01")


def test_a_stop_reply_by_sms_opts_the_number_out(client, kiosk, session):
    apply_at_kiosk(client, "sms")
    assert client.post("/hooks/sms", json={"from": "6281234567890", "text": "STOP"},
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = client.post("/hooks/sms", json={"from": "6281234567890", "text": "STOP"},
                           headers={"Authorization": "Bearer inbound-token"})
    assert response.get_json() == {"opted_out": 1}
    session.expire_all()
    assert session.scalar(select(NotificationConsent)).withdrawn_via == "sms-stop"
    assert session.scalar(select(OutboxMessage)).state is OutboxState.CANCELLED


def test_a_stop_reply_on_whatsapp_opts_out_when_meta_signed_it(client, kiosk, session):
    apply_at_kiosk(client, "whatsapp")
    assert client.get("/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me"
                      "&hub.challenge=1158201444").get_data(as_text=True) == "1158201444"
    assert client.get("/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=no"
                      "&hub.challenge=1").status_code == 403
    payload = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp", "messages": [
            {"from": "6281234567890", "id": "wamid.1", "timestamp": "1764400000",
             "type": "text", "text": {"body": "Stop"}}]}}]}]}).encode()
    signature = "sha256=" + hmac.new(b"meta-app-secret", payload, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json"}
    assert client.post("/hooks/whatsapp", data=payload, headers={
        **headers, "X-Hub-Signature-256": "sha256=00"}).status_code == 401
    response = client.post("/hooks/whatsapp", data=payload,
                           headers={**headers, "X-Hub-Signature-256": signature})
    assert response.get_json() == {"opted_out": 1}


def test_the_opt_out_link_page_confirms_and_stops_messages(client, kiosk, session, app):
    apply_at_kiosk(client, "whatsapp")
    consent = session.scalar(select(NotificationConsent))
    url = f"/kabar/berhenti/{optout_token(app.config['SECRET_KEY'], consent.id)}"
    session.commit()
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Stop receiving news" in page and "WhatsApp" in page
    assert client.post(url).status_code == 200
    session.expire_all()
    assert session.scalar(select(NotificationConsent)).withdrawn_via == "link"
    session.commit()
    assert "tidak akan menerima kabar lagi" in client.get(url + "?lang=id").get_data(
        as_text=True)
    assert client.get(f"/kabar/berhenti/{consent.id}-forged").status_code == 404


@pytest.fixture
def admin(client, app_session):
    make_user(app_session, "boss", Role.ADMIN)
    login(client, "boss")
    return client


def test_administrators_see_dead_letters_masked_and_send_them_again(admin, app_session):
    app_session.add(OutboxMessage(
        dedup_key="event:1:sms", channel=OutboxChannel.SMS, event_kind="submitted",
        subject="request:K7QM4XNAP", recipient="081234567890", language="id",
        payload={"template": "received", "params": {}}, state=OutboxState.DEAD, attempts=8,
        last_error="HTTP 500"))
    app_session.commit()
    page = admin.get("/admin/outbox/?state=dead").get_data(as_text=True)
    assert "0812*****890" in page and "081234567890" not in page and "HTTP 500" in page
    message = app_session.scalar(select(OutboxMessage))
    app_session.commit()
    admin.post(f"/admin/outbox/{message.id}/resend")
    app_session.expire_all()
    assert (message.state, message.attempts) == (OutboxState.PENDING, 0)


def test_administrators_register_a_subscriber_see_its_secret_once_and_its_log(admin,
                                                                             app_session):
    assert admin.post("/admin/webhooks/new", data={
        "name": "Dasbor", "url": "ftp://x", "event_kinds": []}).status_code == 200
    assert app_session.scalar(select(WebhookSubscriber)) is None
    app_session.commit()
    page = admin.post("/admin/webhooks/new", data={
        "name": "Dasbor Kota", "url": "https://dasbor.kotacontoh.go.id/hook",
        "event_kinds": ["submitted", "request_approved"], "active": "y"}).get_data(as_text=True)
    subscriber = app_session.scalar(select(WebhookSubscriber))
    assert "whsec_" in page and "whsec_" not in subscriber.secret_encrypted
    assert "whsec_" not in admin.get("/admin/webhooks/").get_data(as_text=True)
    app_session.add(OutboxMessage(
        dedup_key="event:1:webhook:1", channel=OutboxChannel.WEBHOOK, event_kind="submitted",
        subject="request:K7QM4XNAP", subscriber_id=subscriber.id,
        payload={"body": '{"secret_marker": 1}'}, state=OutboxState.SENT, attempts=1,
        response_status=200, response_ms=37, last_error=""))
    app_session.commit()
    log = admin.get(f"/admin/webhooks/{subscriber.id}").get_data(as_text=True)
    assert "37 ms" in log and "200" in log and "secret_marker" not in log
