"""The outbox: messages to citizens and webhook deliveries, written in the same transaction as
the event behind them; the citizens' consent to be told; and the webhook subscribers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, enum_column, utcnow


class OutboxChannel(enum.Enum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"
    WEBHOOK = "webhook"


class OutboxState(enum.Enum):
    PENDING = "pending"      # waiting for its time (first try, a retry, or quiet hours)
    SENDING = "sending"      # claimed by a worker until lease_until
    SENT = "sent"
    DEAD = "dead"            # gave up after the last attempt; an administrator may resend
    CANCELLED = "cancelled"  # the citizen opted out before it went


class OutboxMessage(Base):
    """One message to one citizen on one channel, or one delivery to one webhook subscriber."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One message per event and channel (or subscriber), whatever the retries.
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[OutboxChannel] = mapped_column(enum_column(OutboxChannel))
    event_kind: Mapped[str] = mapped_column(String(40))
    # What it is about: "request:<tracking code>" or "complaint:<code>".
    subject: Mapped[str] = mapped_column(String(60), index=True)
    recipient: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="id")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("notification_consent.id"),
                                                   nullable=True)
    subscriber_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_subscriber.id"),
                                                      nullable=True, index=True)
    state: Mapped[OutboxState] = mapped_column(enum_column(OutboxState))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claim_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    consent: Mapped[NotificationConsent | None] = relationship()
    subscriber: Mapped[WebhookSubscriber | None] = relationship()


class NotificationConsent(Base):
    """A citizen's choice to be told about one request or complaint (UU PDP: what, when, on
    which channel, under which wording), and its withdrawal."""

    __tablename__ = "notification_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(60), index=True)
    channel: Mapped[OutboxChannel] = mapped_column(enum_column(OutboxChannel))
    address: Mapped[str] = mapped_column(String(200), index=True)
    language: Mapped[str] = mapped_column(String(5), default="id")
    purpose: Mapped[str] = mapped_column(String(200))
    wording_version: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(60))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_via: Mapped[str] = mapped_column(String(40), default="")


class WebhookSubscriber(Base):
    """Another system that wants to hear of events: where, which kinds, and how to sign."""

    __tablename__ = "webhook_subscriber"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(500))
    # Encrypted with a key derived from the server secret: signing needs the secret itself.
    secret_encrypted: Mapped[str] = mapped_column(Text)
    event_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
