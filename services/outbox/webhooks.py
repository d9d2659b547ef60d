"""Webhook subscribers as administrators keep them: register, change, deactivate; the secret
is kept encrypted (signing needs it back) and shown only once, when it is made."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.errors import NotFound, ValidationFailed
from services.models import OutboxChannel, OutboxMessage, User, WebhookSubscriber
from services.outbound import REFUSED, UNKNOWN_HOST, UnsafeDestination, check_destination
from services.workflow.history import EVENT_KINDS

# Every kind a subscriber may ask for; "*" is all of them.
WEBHOOK_EVENT_KINDS = ("submitted", *sorted(EVENT_KINDS), "complaint_answered")


class SecretBox:
    """Encrypts subscribers' secrets with a key derived from the server's secret key."""

    def __init__(self, server_secret: str) -> None:
        key = hashlib.sha256(b"ekiosk-webhook-secret:" + server_secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as error:
            raise ValueError("the webhook secret was sealed with another server key") from error


@dataclass(frozen=True)
class SubscriberInput:
    name: str
    url: str
    event_kinds: list[str]
    active: bool = True


def _checked(data: SubscriberInput, allow: Iterable[str]) -> SubscriberInput:
    errors: dict[str, str] = {}
    name = " ".join((data.name or "").split())
    if not 2 <= len(name) <= 120:
        errors["name"] = "webhook.name"
    url = (data.url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 500:
        errors["url"] = "webhook.url"
    else:
        try:
            check_destination(url, allow=allow)
        except UnsafeDestination as refused:
            # A name that does not resolve from here may still be right: delivery decides.
            if refused.message.code != UNKNOWN_HOST:
                errors["url"] = REFUSED
    kinds = sorted(set(data.event_kinds))
    if not kinds or any(k != "*" and k not in WEBHOOK_EVENT_KINDS for k in kinds):
        errors["event_kinds"] = "webhook.event_kinds"
    if errors:
        raise ValidationFailed("webhook.invalid", fields=errors)
    return SubscriberInput(name=name, url=url, event_kinds=kinds, active=data.active)


def register_subscriber(session: Session, data: SubscriberInput, *, box: SecretBox,
                        actor: User | None,
                        allow: Iterable[str] = ()) -> tuple[WebhookSubscriber, str]:
    """A new subscriber with a fresh secret; returns it and the secret (shown once). Its URL
    must lead outside the network unless ``allow`` (the city's KIOSK_OUTBOUND_ALLOW) names it."""
    data = _checked(data, allow)
    secret = "whsec_" + secrets.token_urlsafe(32)
    subscriber = WebhookSubscriber(name=data.name, url=data.url, event_kinds=data.event_kinds,
                                   active=data.active, secret_encrypted=box.seal(secret))
    session.add(subscriber)
    session.flush()
    record_audit(session, actor, "create", "webhook_subscriber", str(subscriber.id),
                 {"name": data.name, "url": data.url, "event_kinds": data.event_kinds})
    return subscriber, secret


def update_subscriber(session: Session, subscriber_id: int, data: SubscriberInput, *,
                      actor: User | None, allow: Iterable[str] = ()) -> WebhookSubscriber:
    subscriber = get_subscriber(session, subscriber_id)
    data = _checked(data, allow)
    subscriber.name, subscriber.url = data.name, data.url
    subscriber.event_kinds, subscriber.active = data.event_kinds, data.active
    record_audit(session, actor, "update", "webhook_subscriber", str(subscriber.id),
                 {"name": data.name, "url": data.url, "event_kinds": data.event_kinds,
                  "active": data.active})
    return subscriber


def rotate_secret(session: Session, subscriber_id: int, *, box: SecretBox,
                  actor: User | None) -> str:
    """A new secret for the subscriber; deliveries from now on are signed with it."""
    subscriber = get_subscriber(session, subscriber_id)
    secret = "whsec_" + secrets.token_urlsafe(32)
    subscriber.secret_encrypted = box.seal(secret)
    record_audit(session, actor, "rotate_secret", "webhook_subscriber", str(subscriber.id), {})
    return secret


def get_subscriber(session: Session, subscriber_id: int) -> WebhookSubscriber:
    subscriber = session.get(WebhookSubscriber, subscriber_id)
    if subscriber is None:
        raise NotFound("webhook.not_found")
    return subscriber


def subscribers(session: Session) -> list[WebhookSubscriber]:
    return list(session.scalars(select(WebhookSubscriber).order_by(WebhookSubscriber.name)))


def delivery_log(session: Session, subscriber_id: int, limit: int = 100) -> list[OutboxMessage]:
    """The latest deliveries to one subscriber (the page shows status and time, not bodies)."""
    return list(session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel == OutboxChannel.WEBHOOK,
               OutboxMessage.subscriber_id == subscriber_id)
        .order_by(OutboxMessage.id.desc()).limit(limit)
    ))
