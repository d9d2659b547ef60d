"""What administrators see of the outbox, and sending a dead message again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.clock import utcnow
from services.errors import InvalidTransition, NotFound
from services.models import OutboxChannel, OutboxMessage, OutboxState, User


def state_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(OutboxMessage.state, func.count())
                           .group_by(OutboxMessage.state)).all()
    counts = {state.value: 0 for state in OutboxState}
    counts.update({state.value: count for state, count in rows})
    return counts


def outbox_messages(session: Session, *, state: OutboxState | None = None,
                    channel: OutboxChannel | None = None, limit: int = 100) -> list[OutboxMessage]:
    """The latest messages, newest first, optionally of one state and channel."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    if channel is not None:
        query = query.where(OutboxMessage.channel == channel)
    return list(session.scalars(query))


def resend(session: Session, message_id: int, *, actor: User | None,
           now: datetime | None = None) -> OutboxMessage:
    """An administrator sends a dead (or cancelled) message again: a fresh set of attempts,
    due now; never to a citizen who opted out. Not committed."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound("outbox.message_not_found")
    if row.state not in (OutboxState.DEAD, OutboxState.CANCELLED):
        raise InvalidTransition("outbox.only_failed_resent")
    if row.consent is not None and row.consent.withdrawn_at is not None:
        raise InvalidTransition("outbox.consent_withdrawn")
    row.state, row.attempts, row.next_attempt_at = OutboxState.PENDING, 0, now or utcnow()
    row.last_error = ""
    record_audit(session, actor, "resend", "outbox_message", str(row.id),
                 {"channel": row.channel.value, "event_kind": row.event_kind})
    return row
