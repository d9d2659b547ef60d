"""The outbox worker: claims due rows, hands each to its provider, and records the outcome.

Claims are short transactions: on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED`` lets many
workers on many hosts take disjoint rows; on SQLite the claim runs under ``BEGIN IMMEDIATE``,
so one writer claims at a time (fine for a demo or one office). A claimed row carries a lease
and a claim token: a worker killed mid-send leaves it to be claimed again when the lease ends,
and only the holder of the token may mark it sent. The provider gets the row's dedup key as an
idempotency key, so a retry after a crash between hand-over and commit is not a second message
for a provider that honours it (the file provider does).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from threading import Event as StopFlag
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from services.city_calendar import DEFAULT_TIMEZONE
from services.clock import utcnow
from services.models import OutboxChannel, OutboxMessage, OutboxState
from services.outbox.policy import QuietHours, RetryPolicy, masked_address
from services.outbox.providers import DeliveryFailed, Outgoing, Provider
from services.outbox.signing import SIGNATURE_HEADER, signature_header
from services.outbox.webhooks import SecretBox
from services.outbox.wording import render_subject, render_text

log = logging.getLogger("ekiosk.outbox")
CITIZEN_CHANNELS = (OutboxChannel.WHATSAPP, OutboxChannel.SMS, OutboxChannel.EMAIL)


@dataclass(frozen=True)
class OutboxSettings:
    secret: str
    city: str = "Kota Contoh"
    base_url: str = "http://127.0.0.1:8000"
    timezone: str = DEFAULT_TIMEZONE
    quiet: QuietHours = field(default_factory=QuietHours)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    batch_size: int = 20
    lease_seconds: int = 300
    poll_seconds: float = 1.0


@dataclass(frozen=True)
class PeriodicJob:
    """Work the worker also runs every ``every_seconds`` (e.g. the SLA sweep), so that cron is
    optional; it gets a session and the time, and commits its own work."""

    name: str
    every_seconds: float
    run: Callable[[Session, datetime], str]


def optout_token(secret: str, consent_id: int) -> str:
    """The opt-out link's token for one consent: its id and a MAC, nothing guessable."""
    mac = hmac.new(secret.encode(), f"optout:{consent_id}".encode(), hashlib.sha256)
    return f"{consent_id}-{mac.hexdigest()[:32]}"


def consent_id_from_token(secret: str, token: str) -> int | None:
    head, _, _mac = (token or "").partition("-")
    if not head.isdigit():
        return None
    return int(head) if hmac.compare_digest(optout_token(secret, int(head)), token) else None


def claim_due(session: Session, *, now: datetime, settings: OutboxSettings) -> list[int]:
    """Take up to a batch of due rows (new, retry time come, or a dead worker's lease over) and
    commit the claim; citizens' messages wait while the city's quiet hours last."""
    channels = [OutboxChannel.WEBHOOK] if settings.quiet.is_quiet(now) else list(OutboxChannel)
    token = uuid.uuid4().hex
    rows = list(session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel.in_(channels),
               or_(and_(OutboxMessage.state == OutboxState.PENDING,
                        OutboxMessage.next_attempt_at <= now),
                   and_(OutboxMessage.state == OutboxState.SENDING,
                        OutboxMessage.lease_until < now)))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(settings.batch_size)
        .with_for_update(skip_locked=True)
    ))
    for row in rows:
        row.state, row.claim_token = OutboxState.SENDING, token
        row.lease_until = now + timedelta(seconds=settings.lease_seconds)
        row.attempts += 1
    ids = [row.id for row in rows]
    session.commit()
    return ids


def _local_date(value: str | None, tz: str, lang: str) -> str:
    if not value:
        return "-"
    day = datetime.fromisoformat(value).astimezone(ZoneInfo(tz)).date()
    return day.strftime("%d-%m-%Y") if lang != "en" else day.strftime("%d %b %Y")


def outgoing(row: OutboxMessage, settings: OutboxSettings, box: SecretBox,
             now: datetime) -> Outgoing | None:
    """What the provider is given for a row, or None when it must not go (opted out,
    subscriber gone)."""
    if row.channel is OutboxChannel.WEBHOOK:
        subscriber = row.subscriber
        if subscriber is None or not subscriber.active:
            return None
        body = row.payload["body"].encode()
        header = signature_header(box.open(subscriber.secret_encrypted), body,
                                  int(now.timestamp()))
        return Outgoing(key=row.dedup_key, channel="webhook", url=subscriber.url, body=body,
                        headers={SIGNATURE_HEADER: header, "X-EKiosk-Event": row.event_kind,
                                 "X-EKiosk-Delivery": row.dedup_key})
    if row.consent is None or row.consent.withdrawn_at is not None:
        return None
    base = settings.base_url.rstrip("/")
    params = dict(row.payload.get("params", {}))
    params.update(city=settings.city, status_url=base + params.get("path", "/status"),
                  date=_local_date(params.get("date_at"), settings.timezone, row.language))
    template = row.payload["template"]
    optout = f"{base}/kabar/berhenti/{optout_token(settings.secret, row.consent.id)}"
    return Outgoing(key=row.dedup_key, channel=row.channel.value, recipient=row.recipient,
                    subject=render_subject(row.language, params),
                    text=render_text(template, row.language, params, optout),
                    template=template, language=row.language,
                    template_params=(str(params.get("code", "")), str(params["date"])))


def _finish(session: Session, row_id: int, token: str, **values: object) -> bool:
    """Record an outcome only if this worker still holds the claim; commit."""
    done = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.claim_token == token,
               OutboxMessage.state == OutboxState.SENDING)
        .values(lease_until=None, claim_token=None, **values)
    ).rowcount
    session.commit()
    return bool(done)


def deliver_one(session: Session, row_id: int, *, providers: Mapping[OutboxChannel, Provider],
                settings: OutboxSettings, box: SecretBox,
                clock: Callable[[], datetime] = utcnow) -> OutboxState | None:
    """Send one claimed row and record what happened; returns its new state."""
    row = session.get(OutboxMessage, row_id, populate_existing=True)
    if row is None or row.state is not OutboxState.SENDING or row.claim_token is None:
        return None
    token, attempts = row.claim_token, row.attempts
    message = outgoing(row, settings, box, clock())
    if message is None:
        _finish(session, row_id, token, state=OutboxState.CANCELLED, last_error="opted out")
        return OutboxState.CANCELLED
    provider = providers.get(row.channel)
    if provider is None:
        failure = DeliveryFailed(f"no provider for {row.channel.value}", permanent=True)
    else:
        try:
            result = provider.send(message)
        except DeliveryFailed as failed:
            failure = failed
        else:
            _finish(session, row_id, token, state=OutboxState.SENT, sent_at=clock(),
                    response_status=result.status, response_ms=result.ms, last_error="")
            return OutboxState.SENT
    dead = failure.permanent or settings.retry.gives_up(attempts)
    delay = settings.retry.delay_after(attempts)
    if failure.retry_after:
        delay = max(delay, timedelta(seconds=failure.retry_after))
    log.info("outbox %s to %s failed (attempt %d): %s", row.channel.value,
             masked_address(row.recipient) if row.recipient else "subscriber", attempts,
             failure.reason)
    state = OutboxState.DEAD if dead else OutboxState.PENDING
    _finish(session, row_id, token, state=state, next_attempt_at=clock() + delay,
            last_error=failure.reason[:300], response_status=failure.status,
            response_ms=failure.ms)
    return state


def work_once(session: Session, *, providers: Mapping[OutboxChannel, Provider],
              settings: OutboxSettings, box: SecretBox,
              clock: Callable[[], datetime] = utcnow) -> int:
    """Claim one batch and deliver it; return how many rows were handled."""
    ids = claim_due(session, now=clock(), settings=settings)
    for row_id in ids:
        deliver_one(session, row_id, providers=providers, settings=settings, box=box,
                    clock=clock)
    return len(ids)


def run_worker(session_factory: Callable[[], Session], *,
               providers: Mapping[OutboxChannel, Provider], settings: OutboxSettings,
               periodic: list[PeriodicJob] | None = None, once: bool = False,
               stop: StopFlag | None = None, clock: Callable[[], datetime] = utcnow) -> int:
    """Deliver until stopped (or, with ``once``, until nothing is due); also run the periodic
    jobs when their time comes. Returns the number of rows handled."""
    stop = stop or StopFlag()
    box = SecretBox(settings.secret)
    last_run: dict[str, float] = {}
    handled = 0
    while not stop.is_set():
        for job in periodic or []:
            if time.monotonic() - last_run.get(job.name, -1e18) >= job.every_seconds:
                last_run[job.name] = time.monotonic()
                with session_factory() as session:
                    try:
                        log.info("periodic %s: %s", job.name, job.run(session, clock()))
                    except Exception:  # a failing job must not stop the deliveries
                        session.rollback()
                        log.exception("periodic job %s failed", job.name)
        with session_factory() as session:
            count = work_once(session, providers=providers, settings=settings, box=box,
                              clock=clock)
        handled += count
        if once and count == 0:
            break
        if count == 0:
            stop.wait(settings.poll_seconds)
    return handled

