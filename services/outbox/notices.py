"""Queueing what must be told, in the caller's transaction: citizens' messages (only with their
consent, one per event and channel) and webhook deliveries. Nothing here sends or commits; the
worker delivers what a committed transaction left behind."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.clock import utcnow
from services.codes import format_tracking_code
from services.errors import NotFound, ValidationFailed
from services.formatting import rupiah
from services.models import (
    Event,
    NotificationConsent,
    OutboxChannel,
    OutboxMessage,
    OutboxState,
    ServiceRequest,
    WebhookSubscriber,
)
from services.outbox.wording import CONSENT_OF_KIND, TEMPLATE_OF_EVENT
from services.validation import FieldInvalid, clean_phone

# What a citizen may choose at the kiosk or in the API ("tidak usah" is "none").
CITIZEN_CHOICES = ("whatsapp", "sms", "none")


def request_subject(tracking_code: str) -> str:
    return f"request:{tracking_code}"


def complaint_subject(code: str) -> str:
    return f"complaint:{code}"


def citizen_channel(choice: str | None) -> OutboxChannel | None:
    """The channel a citizen chose, None for "tidak usah"; anything else is refused."""
    choice = (choice or "none").strip().lower()
    if choice not in CITIZEN_CHOICES:
        raise ValidationFailed("notify.choice_invalid", fields={"notify": "notify.choice_invalid"})
    return None if choice == "none" else OutboxChannel(choice)


def record_consent(session: Session, *, subject: str, channel: OutboxChannel | None,
                   address: str, language: str, source: str,
                   now: datetime | None = None) -> NotificationConsent | None:
    """Record the citizen's choice to be told about ``subject`` on ``channel``: what, when, on
    which channel and under which wording. No channel, no consent and no messages."""
    if channel is None or not address:
        return None
    version, purpose = CONSENT_OF_KIND[subject.partition(":")[0]]
    consent = NotificationConsent(
        subject=subject, channel=channel, address=address, language=language,
        purpose=purpose, wording_version=version, source=source,
        given_at=now or utcnow(), withdrawn_via="",
    )
    session.add(consent)
    return consent


def active_consents(session: Session, subject: str) -> list[NotificationConsent]:
    return list(session.scalars(
        select(NotificationConsent)
        .where(NotificationConsent.subject == subject, NotificationConsent.withdrawn_at.is_(None))
        .order_by(NotificationConsent.id)
    ))


def withdraw_consent(session: Session, consent_id: int, *, via: str,
                     now: datetime | None = None) -> NotificationConsent:
    """The opt-out link: stop this consent and every message still waiting under it."""
    consent = session.get(NotificationConsent, consent_id)
    if consent is None:
        raise NotFound("notify.no_such_consent")
    _withdraw(session, [consent], via, now or utcnow())
    return consent


def withdraw_by_address(session: Session, address: str, *, via: str,
                        now: datetime | None = None) -> int:
    """A "STOP" reply: stop every consent given for this phone number; return how many."""
    consents = list(session.scalars(
        select(NotificationConsent)
        .where(NotificationConsent.address == address, NotificationConsent.withdrawn_at.is_(None))
    ))
    _withdraw(session, consents, via, now or utcnow())
    return len(consents)


def withdraw_subject(session: Session, subject: str, *, via: str,
                     now: datetime | None = None) -> None:
    """Stop every consent for ``subject`` and its waiting messages (a booking cancelled)."""
    _withdraw(session, active_consents(session, subject), via, now or utcnow())


def _withdraw(session: Session, consents: list[NotificationConsent], via: str,
              now: datetime) -> None:
    for consent in consents:
        if consent.withdrawn_at is None:
            consent.withdrawn_at, consent.withdrawn_via = now, via
    ids = [c.id for c in consents]
    if ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.consent_id.in_(ids),
                   OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.DEAD)))
            .values(state=OutboxState.CANCELLED, last_error="opted out")
        )


def notify_citizen(session: Session, *, subject: str, event_key: str, event_kind: str,
                   template: str, params: dict[str, Any],
                   now: datetime | None = None) -> list[OutboxMessage]:
    """Queue one message per channel the citizen consented to for ``subject``. ``event_key``
    names the event once and for all (e.g. "event:42", "complaint:K7:answer:3"): a second call
    with the same key queues nothing more."""
    now = now or utcnow()
    queued = []
    for consent in active_consents(session, subject):
        key = f"{event_key}:{consent.channel.value}"
        if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == key)):
            continue
        message = OutboxMessage(
            dedup_key=key, channel=consent.channel, event_kind=event_kind, subject=subject,
            recipient=consent.address, language=consent.language, consent=consent,
            payload={"template": template, "params": params}, state=OutboxState.PENDING,
            attempts=0, next_attempt_at=now, created_at=now, last_error="",
        )
        session.add(message)
        queued.append(message)
    return queued


def notify_subscribers(session: Session, *, event_key: str, event_kind: str, subject: str,
                       body: dict[str, Any], now: datetime | None = None) -> list[OutboxMessage]:
    """Queue one signed delivery per active subscriber that wants ``event_kind``."""
    now = now or utcnow()
    queued = []
    for subscriber in session.scalars(select(WebhookSubscriber)
                                      .where(WebhookSubscriber.active)
                                      .order_by(WebhookSubscriber.id)):
        if event_kind not in subscriber.event_kinds and "*" not in subscriber.event_kinds:
            continue
        message = OutboxMessage(
            dedup_key=f"{event_key}:webhook:{subscriber.id}", channel=OutboxChannel.WEBHOOK,
            event_kind=event_kind, subject=subject, recipient="", language="",
            subscriber=subscriber, payload={"body": json.dumps(body, sort_keys=True)},
            state=OutboxState.PENDING, attempts=0, next_attempt_at=now, created_at=now,
            last_error="",
        )
        session.add(message)
        queued.append(message)
    return queued


def _request_params(request: ServiceRequest, event: Event) -> dict[str, Any]:
    data = event.data or {}
    lang = request.language
    return {
        "code": format_tracking_code(request.tracking_code),  # as printed on the receipt
        "service": request.service_version.text("name", lang),
        "date_at": data.get("expected_at") or data.get("bill_due_at")
        or (request.due_at.isoformat() if request.due_at else None),
        "path": f"/status?code={request.tracking_code}",
        **bill_params(data),
    }


def bill_params(data: dict[str, Any]) -> dict[str, Any]:
    """A bill's amount for the payment messages (the payment code itself is on the status
    page the message links to, with the bank's prefix)."""
    if "bill_number" not in data:
        return {}
    return {"amount": rupiah(int(data.get("assessed_fee") or 0))}


def webhook_body(request: ServiceRequest, event: Event, event_id: str) -> dict[str, Any]:
    """What a subscriber receives: the event and the request's public facts, nothing personal."""
    agency = (event.data or {}).get("agency_name", {}).get("code")
    return {
        "id": event_id,
        "type": event.kind,
        "created_at": event.created_at.isoformat(),
        "data": {
            "tracking_code": request.tracking_code,
            "service": request.service_version.service.code,
            "status": request.status.value,
            "from_status": event.from_status.value if event.from_status else None,
            "agency": agency,
            "due_at": request.due_at.isoformat() if request.due_at else None,
        },
    }


def notify_event(session: Session, event: Event, *, consented: bool | None = None) -> None:
    """The outbox hook for a request's event, called where the event is recorded: the citizen
    (if they agreed and the event concerns them) and the subscribers, in this transaction.
    ``consented`` says whether the citizen agreed, when the caller has just recorded it (a
    submission), so it is not read back."""
    request = event.request
    subject = request_subject(request.tracking_code)
    template = TEMPLATE_OF_EVENT.get(event.kind)
    if consented is None:
        consented = template is not None and bool(active_consents(session, subject))
    wants_citizen = template is not None and consented
    wants_hooks = session.scalar(select(WebhookSubscriber.id).where(WebhookSubscriber.active)
                                 .limit(1)) is not None
    if not (wants_citizen or wants_hooks):
        return
    session.flush()  # the event's id names its messages
    key = f"event:{event.id}"
    now = event.created_at
    if wants_citizen and template is not None:
        notify_citizen(session, subject=subject, event_key=key, event_kind=event.kind,
                       template=template, params=_request_params(request, event), now=now)
    if wants_hooks:
        notify_subscribers(session, event_key=key, event_kind=event.kind, subject=subject,
                           body=webhook_body(request, event, key), now=now)


def notify_complaint_answered(session: Session, *, complaint_code: str, answer_id: int | str,
                              agency_code: str | None = None,
                              now: datetime | None = None) -> list[OutboxMessage]:
    """The outbox hook for complaints: call it in the transaction that records an agency's
    answer. The complainant is told if they agreed (``record_consent`` with
    ``complaint_subject(code)`` when the complaint was filed); subscribers get the event."""
    now = now or utcnow()
    subject = complaint_subject(complaint_code)
    key = f"complaint:{complaint_code}:answer:{answer_id}"
    queued = notify_citizen(session, subject=subject, event_key=key,
                            event_kind="complaint_answered", template="complaint_answered",
                            params={"code": complaint_code,
                                    "path": f"/pengaduan/cek?code={complaint_code}"}, now=now)
    body = {"id": key, "type": "complaint_answered", "created_at": now.isoformat(),
            "data": {"complaint_code": complaint_code, "agency": agency_code}}
    return queued + notify_subscribers(session, event_key=key, event_kind="complaint_answered",
                                       subject=subject, body=body, now=now)


STOP_WORDS = frozenset({"STOP", "BERHENTI", "UNREG", "UNSUBSCRIBE"})


def is_stop_reply(text: str) -> bool:
    """A citizen's reply that asks for no more messages ("STOP", "berhenti", ...)."""
    words = (text or "").strip().upper().split()
    return bool(words) and words[0].strip(".!") in STOP_WORDS


def opt_out_by_reply(session: Session, *, phone: str, text: str, via: str,
                     now: datetime | None = None) -> int:
    """An inbound SMS or WhatsApp message: a STOP reply withdraws every consent given for the
    number; anything else changes nothing. Returns how many consents stopped. Not committed."""
    if not is_stop_reply(text):
        return 0
    try:
        address = clean_phone(phone)
    except FieldInvalid:
        return 0
    return withdraw_by_address(session, address, via=via, now=now)
