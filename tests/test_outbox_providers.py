"""The providers against real counterparts: an SMTP server (aiosmtpd), local HTTP servers that
behave like the SMS gateway and the WhatsApp Cloud API (timeouts, 429, 500), and a webhook
receiver that checks the signature."""

from __future__ import annotations

import json
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from services.models import OutboxChannel, OutboxMessage, OutboxState
from services.outbox.providers import (
    DeliveryFailed,
    Outgoing,
    SmsGateway,
    SmtpEmail,
    SmtpSettings,
    WebhookPoster,
    WhatsAppCloud,
)
from services.outbox.signing import SIGNATURE_HEADER, verify_signature
from services.outbox.webhooks import SecretBox, SubscriberInput, register_subscriber
from services.outbox.worker import work_once
from tests.builders.outbox import LOOPBACK, fake_provider, settings, submit_notified
from tests.builders.workflow import WEDNESDAY, make_city

MESSAGE = Outgoing(key="event:7:sms", channel="sms", recipient="081234567890",
                   subject="Kabar layanan Kota Contoh", text="Permohonan K7QM4XNAP diterima.",
                   template="received", language="id", template_params=("K7QM4XNAP", "02-12-2026"))


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def test_email_goes_through_a_real_smtp_server() -> None:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        email = SmtpEmail(SmtpSettings(host="127.0.0.1", port=port,
                                       sender="layanan@kotacontoh.go.id", starttls=False,
                                       timeout=5))
        result = email.send(Outgoing(**{**MESSAGE.__dict__, "recipient": "siti@example.id",
                                        "channel": "email"}))
    finally:
        controller.stop()
    assert result.status == 250
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["siti@example.id"]
    assert envelope.mail_from == "layanan@kotacontoh.go.id"
    content = envelope.content.decode()
    assert "Subject: Kabar layanan Kota Contoh" in content and "K7QM4XNAP" in content
    assert "Message-ID: <event.7.sms@kotacontoh.go.id>" in content


def test_email_to_an_unreachable_server_is_a_retry() -> None:
    email = SmtpEmail(SmtpSettings(host="127.0.0.1", port=9, starttls=False, timeout=2))
    with pytest.raises(DeliveryFailed) as failed:
        email.send(MESSAGE)
    assert not failed.value.permanent


def test_the_sms_gateway_gets_json_a_bearer_token_and_an_idempotency_key() -> None:
    with fake_provider() as provider:
        result = SmsGateway(provider.url + "/v1/sms", "sms-secret", sender="KOTACONTOH",
                            allow=LOOPBACK).send(MESSAGE)
    [received] = provider.received
    assert result.status == 200 and received.path == "/v1/sms"
    assert received.headers["Authorization"] == "Bearer sms-secret"
    assert received.headers["Idempotency-Key"] == "event:7:sms"
    assert received.json() == {"to": "6281234567890", "text": MESSAGE.text,
                               "sender": "KOTACONTOH", "reference": "event:7:sms"}


@pytest.mark.parametrize(("reply", "permanent", "reason"), [
    (500, False, "HTTP 500"), (503, False, "HTTP 503"), ((429, {"Retry-After": "30"}), False,
                                                         "HTTP 429"),
    (400, True, "HTTP 400"), (401, True, "HTTP 401"), ("hang", False, "timeout"),
])
@pytest.mark.parametrize("adapter", ["sms", "whatsapp"])
def test_provider_failures_are_classified_for_retry(reply, permanent, reason, adapter) -> None:
    with fake_provider([reply]) as provider:
        provider.hang_seconds = 1.0
        sender = (SmsGateway(provider.url, "t", timeout=0.4, allow=LOOPBACK) if adapter == "sms"
                  else WhatsAppCloud("1234", "wa-token", base_url=provider.url, allow=LOOPBACK,
                                     timeout=0.4))
        with pytest.raises(DeliveryFailed) as failed:
            sender.send(MESSAGE)
    assert (failed.value.permanent, failed.value.reason) == (permanent, reason)
    if isinstance(reply, tuple):
        assert failed.value.retry_after == 30


def test_whatsapp_cloud_api_text_message_format() -> None:
    with fake_provider() as provider:
        WhatsAppCloud("106540352242922", "wa-token", base_url=provider.url + "/v21.0",
                      allow=LOOPBACK).send(MESSAGE)
    [received] = provider.received
    assert received.path == "/v21.0/106540352242922/messages"
    assert received.headers["Authorization"] == "Bearer wa-token"
    assert received.json() == {
        "messaging_product": "whatsapp", "recipient_type": "individual",
        "to": "6281234567890", "biz_opaque_callback_data": "event:7:sms",
        "type": "text", "text": {"preview_url": False, "body": MESSAGE.text},
    }


def test_whatsapp_cloud_api_template_message_format() -> None:
    with fake_provider() as provider:
        WhatsAppCloud("106540352242922", "wa-token", base_url=provider.url, allow=LOOPBACK,
                      template_prefix="ekiosk_").send(MESSAGE)
    body = provider.received[0].json()
    assert body["type"] == "template"
    assert body["template"] == {
        "name": "ekiosk_received", "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [
            {"type": "text", "text": "K7QM4XNAP"}, {"type": "text", "text": "02-12-2026"}]}],
    }


def test_webhooks_arrive_signed_and_the_receiver_verifies_them(session, monkeypatch) -> None:
    make_city(session)
    box = SecretBox("test-secret")
    verified: list[bool] = []

    def receiver_checks(received) -> int:
        ok = verify_signature(secret, received.headers[SIGNATURE_HEADER], received.body)
        verified.append(ok)
        return 200 if ok else 401

    with fake_provider(check=receiver_checks) as provider:
        _, secret = register_subscriber(
            session, SubscriberInput("Dashboard", provider.url + "/hooks/ekiosk", ["submitted"]),
            box=box, actor=None, allow=LOOPBACK)
        session.commit()
        request, pin = submit_notified(session, "none", now=WEDNESDAY)
        # Signed at the real time of sending: the receiver checks it against its own clock.
        work_once(session,
                  providers={OutboxChannel.WEBHOOK: WebhookPoster(timeout=5, allow=LOOPBACK)},
                  settings=settings(), box=box)
    [received] = provider.received
    assert verified == [True]
    body = received.json()
    assert (body["type"], body["data"]["tracking_code"]) == ("submitted", request.tracking_code)
    assert pin not in received.body.decode()
    assert received.headers["X-EKiosk-Event"] == "submitted"
    # The same delivery replayed later than five minutes after its timestamp is refused.
    timestamp = int(received.headers[SIGNATURE_HEADER].split(",")[0][2:])
    assert not verify_signature(secret, received.headers[SIGNATURE_HEADER], received.body,
                                now=timestamp + 301)
    message = session.scalar(select(OutboxMessage))
    assert (message.state, message.response_status) == (OutboxState.SENT, 200)
    assert message.response_ms is not None


def test_a_receiver_that_refuses_the_signature_gets_retries_not_silence(session,
                                                                        monkeypatch) -> None:
    make_city(session)
    with fake_provider(check=lambda received: 401) as provider:
        register_subscriber(session, SubscriberInput("Dash", provider.url, ["*"]),
                            box=SecretBox("another-server-key"), actor=None, allow=LOOPBACK)
        session.commit()
        submit_notified(session, "none", now=WEDNESDAY)
        box = SecretBox("another-server-key")
        work_once(session,
                  providers={OutboxChannel.WEBHOOK: WebhookPoster(timeout=5, allow=LOOPBACK)},
                  settings=settings(), box=box, clock=lambda: WEDNESDAY)
    message = session.scalar(select(OutboxMessage))
    assert (message.state, message.last_error) == (OutboxState.PENDING, "HTTP 401")


def test_webhook_deliveries_do_not_follow_redirects() -> None:
    with (fake_provider([(302, {"Location": "http://169.254.169.254/"})]) as provider,
          pytest.raises(DeliveryFailed) as failed):
        WebhookPoster(timeout=2, allow=LOOPBACK).send(
            Outgoing(key="k", channel="webhook", url=provider.url, body=b"{}"))
    assert failed.value.status == 302 and len(provider.received) == 1
    assert json.loads(provider.received[0].body) == {}
