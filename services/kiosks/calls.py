"""Calling the officer: a citizen at a kiosk taps "Panggil petugas", the MPP officer sees the
call at once with how long the citizen has waited, acknowledges it, and the kiosk says help is
on its way."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.clock import utcnow
from services.errors import NotAllowed, NotFound
from services.models import Kiosk, OfficerCall, Role, User

# How long the kiosk keeps saying "the officer is coming" after the call was answered.
COMING_FOR = timedelta(minutes=10)
ANSWERING_ROLES = (Role.OFFICER, Role.ADMIN)


class CallState(enum.Enum):
    NONE = "none"
    WAITING = "waiting"  # raised, nobody has answered yet
    COMING = "coming"  # an officer answered and is on the way


def call_state(call: OfficerCall | None, now: datetime) -> CallState:
    """What the kiosk says about its latest call."""
    if call is None:
        return CallState.NONE
    if call.acknowledged_at is None:
        return CallState.WAITING
    return CallState.COMING if now - call.acknowledged_at < COMING_FOR else CallState.NONE


def may_answer_calls(actor: User | None) -> bool:
    """Kiosk officers (petugas pendamping) and administrators answer calls."""
    return actor is not None and actor.active and actor.role in ANSWERING_ROLES


def _require_answerer(actor: User | None) -> User:
    if actor is None or not may_answer_calls(actor):
        raise NotAllowed("kiosk.calls_officers_only")
    return actor


def latest_call(session: Session, kiosk: Kiosk) -> OfficerCall | None:
    return session.scalar(select(OfficerCall).where(OfficerCall.kiosk_id == kiosk.id)
                          .order_by(OfficerCall.raised_at.desc(), OfficerCall.id.desc())
                          .limit(1))


def kiosk_call_state(session: Session, kiosk: Kiosk, *, now: datetime | None = None) -> CallState:
    return call_state(latest_call(session, kiosk), now or utcnow())


def raise_officer_call(session: Session, kiosk: Kiosk, *,
                       now: datetime | None = None) -> OfficerCall:
    """Call the officer to this kiosk; a second tap while the call is open changes nothing."""
    latest = latest_call(session, kiosk)
    if latest is not None and latest.acknowledged_at is None:
        return latest
    call = OfficerCall(kiosk_id=kiosk.id, raised_at=now or utcnow())
    session.add(call)
    session.flush()
    return call


@dataclass(frozen=True)
class OpenCall:
    id: int
    kiosk_code: str
    kiosk_name: str
    location: str
    raised_at: datetime
    waited_seconds: int


def open_calls(session: Session, actor: User | None, *,
               now: datetime | None = None) -> list[OpenCall]:
    """The calls nobody has answered yet, longest waiting first, for an officer's screen."""
    _require_answerer(actor)
    now = now or utcnow()
    rows = session.execute(
        select(OfficerCall, Kiosk).join(Kiosk, Kiosk.id == OfficerCall.kiosk_id)
        .where(OfficerCall.acknowledged_at.is_(None))
        .order_by(OfficerCall.raised_at, OfficerCall.id)
    ).all()
    return [OpenCall(id=call.id, kiosk_code=kiosk.code, kiosk_name=kiosk.name,
                     location=kiosk.location, raised_at=call.raised_at,
                     waited_seconds=max(0, int((now - call.raised_at).total_seconds())))
            for call, kiosk in rows]


def acknowledge_officer_call(session: Session, call_id: int, actor: User | None, *,
                             now: datetime | None = None) -> OfficerCall:
    """An officer takes the call; answering it twice keeps the first answer."""
    answerer = _require_answerer(actor)
    call = session.get(OfficerCall, call_id) if 0 < call_id < 2**31 else None
    if call is None:
        raise NotFound("kiosk.no_such_call")
    if call.acknowledged_at is None:
        call.acknowledged_at = now or utcnow()
        call.acknowledged_by_id = answerer.id
        record_audit(session, answerer, "acknowledge_officer_call", "officer_call", str(call.id),
                     {"kiosk_id": call.kiosk_id})
    return call
