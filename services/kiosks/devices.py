"""Kiosk devices: created by an administrator, enrolled once with a one-time code, then known
by a device token that the server keeps only as a hash."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.clock import utcnow
from services.codes import hash_token, new_device_token
from services.errors import NotFound, Unauthenticated, ValidationFailed
from services.models import Kiosk, User

ENROLMENT_CODE_LIFETIME = timedelta(hours=24)
ENROLMENT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class Enrolment:
    kiosk: Kiosk
    device_token: str  # shown once to the device, stored only as a hash


def get_kiosk(session: Session, code: str) -> Kiosk:
    kiosk = session.scalar(select(Kiosk).where(Kiosk.code == code))
    if kiosk is None:
        raise NotFound("kiosk.not_found", code=code)
    return kiosk


def create_kiosk(session: Session, *, code: str, name: str, location: str = "",
                 actor: User | None = None) -> Kiosk:
    if session.scalar(select(Kiosk).where(Kiosk.code == code)):
        raise ValidationFailed("kiosk.code_taken", fields={"code": "kiosk.already_in_use"})
    kiosk = Kiosk(code=code, name=name, location=location)
    session.add(kiosk)
    session.flush()
    record_audit(session, actor, "create", "kiosk", code, {"name": name, "location": location})
    return kiosk


def issue_enrolment_code(session: Session, code: str, *, actor: User | None,
                         now: datetime | None = None) -> str:
    """A one-time code (valid 24 h) that the kiosk PC exchanges for its device token."""
    kiosk = get_kiosk(session, code)
    enrolment_code = "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(12))
    kiosk.enrolment_code_hash = hash_token(enrolment_code)
    kiosk.enrolment_expires_at = (now or utcnow()) + ENROLMENT_CODE_LIFETIME
    record_audit(session, actor, "issue_enrolment_code", "kiosk", code, {})
    return enrolment_code


def enrol_device(session: Session, enrolment_code: str, *,
                 now: datetime | None = None) -> Enrolment:
    """Exchange a one-time enrolment code for a new device token; the code is then spent."""
    now = now or utcnow()
    cleaned = enrolment_code.strip().upper().replace("-", "").replace(" ", "")
    kiosk = session.scalar(select(Kiosk).where(Kiosk.enrolment_code_hash == hash_token(cleaned)))
    if kiosk is None or kiosk.enrolment_expires_at is None or kiosk.enrolment_expires_at < now:
        raise Unauthenticated("kiosk.enrolment_code_unknown")
    token = new_device_token()
    kiosk.token_hash = hash_token(token)
    kiosk.enrolment_code_hash = None
    kiosk.enrolment_expires_at = None
    kiosk.revoked_at = None
    record_audit(session, None, "enrol", "kiosk", kiosk.code, {})
    return Enrolment(kiosk, token)


def authenticate_device(session: Session, token: str | None) -> Kiosk:
    """The kiosk this device token belongs to; Unauthenticated for unknown or revoked tokens."""
    if not token:
        raise Unauthenticated("kiosk.token_required")
    kiosk = session.scalar(select(Kiosk).where(Kiosk.token_hash == hash_token(token)))
    if kiosk is None or kiosk.revoked_at is not None:
        raise Unauthenticated("kiosk.token_unknown")
    return kiosk


def revoke_kiosk(session: Session, code: str, *, actor: User | None) -> Kiosk:
    """Revoke a kiosk's device token: its client and its screens stop working at once."""
    kiosk = get_kiosk(session, code)
    kiosk.token_hash = None
    kiosk.enrolment_code_hash = None
    kiosk.revoked_at = utcnow()
    record_audit(session, actor, "revoke", "kiosk", code, {})
    return kiosk


def set_in_service(session: Session, code: str, in_service: bool, note: str = "", *,
                   actor: User | None) -> Kiosk:
    kiosk = get_kiosk(session, code)
    kiosk.in_service = in_service
    kiosk.out_of_service_note = "" if in_service else note
    record_audit(session, actor, "in_service" if in_service else "out_of_service", "kiosk", code,
                 {"note": note})
    return kiosk


def ensure_demo_kiosk(session: Session, *, code: str, name: str, location: str,
                      device_token: str | None) -> tuple[Kiosk, str | None]:
    """The demo kiosk, enrolled; returns a new token only when one was made (else None)."""
    kiosk = session.scalar(select(Kiosk).where(Kiosk.code == code))
    if kiosk is None:
        kiosk = create_kiosk(session, code=code, name=name, location=location)
    if device_token:
        kiosk.token_hash = hash_token(device_token)
        kiosk.revoked_at = None
        return kiosk, None
    if kiosk.token_hash is None:
        token = new_device_token()
        kiosk.token_hash = hash_token(token)
        kiosk.revoked_at = None
        return kiosk, token
    return kiosk, None


def next_session_generation(session: Session, kiosk: Kiosk) -> int:
    """Start a new citizen session generation on this kiosk ("Selesai", a wipe): one atomic
    increment, so every session cookie made before it is worth nothing from now on."""
    generation = session.execute(
        update(Kiosk).where(Kiosk.id == kiosk.id)
        .values(session_generation=Kiosk.session_generation + 1)
        .returning(Kiosk.session_generation)
        .execution_options(synchronize_session=False)).scalar_one()
    kiosk.session_generation = generation
    return int(generation)
