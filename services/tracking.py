"""The mechanics a service request and a complaint share as tracked items: filing once per
idempotency key, the payload digest, the PIN, the citizen's identity, and what every receipt
shows. Their lifecycles stay apart (services.submission, services.complaints); only these small
helpers are common."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.codes import PinKeyring, format_tracking_code, idempotency_digest, new_pin
from services.errors import Conflict, Message
from services.formatting import long_datetime, zone_name
from services.models import Complaint, ServiceRequest
from services.validation import FieldInvalid, clean_name, clean_nik, clean_phone, field_message

Tracked = TypeVar("Tracked", ServiceRequest, Complaint)

IDENTITY_CHECKS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("nik", clean_nik), ("name", clean_name), ("phone", clean_phone))


def payload_digest(body: Any) -> str:
    """What was filed, as a digest: the same idempotency key with other content is a conflict."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def filing_pin(key: str | None, pins: PinKeyring) -> str:
    """The PIN of a new tracked item: derived from the client-held idempotency key (so a retry
    gets it again without the database keeping it), else random."""
    return pins.derived_pins(key)[0] if key else new_pin()


def key_digest(key: str | None) -> str | None:
    """What the database keeps of an idempotency key: its digest, never the key."""
    return idempotency_digest(key) if key else None


@dataclass
class Filed(Generic[Tracked]):
    item: Tracked
    pin: str
    created: bool  # False when an earlier filing with the same key was returned


def earlier_filing(session: Session, model: type[Tracked], key: str | None, digest: str,
                   pins: PinKeyring) -> Filed[Tracked] | None:
    """The item filed earlier with this idempotency key, with its PIN again; a conflict when
    the key came with other content, or when its PIN cannot be derived under any PIN key."""
    if not key:
        return None
    earlier = session.scalar(select(model).where(
        model.idempotency_digest == idempotency_digest(key)))
    if earlier is None:
        return None
    if earlier.payload_digest != digest:
        raise Conflict("tracking.idempotency_key_reused")
    # The PIN was derived from the client-held key under one of the PIN keys, maybe an old one.
    for pin in pins.derived_pins(key):
        if pins.pin_matches(earlier.pin_hash, pin):
            return Filed(earlier, pin, False)
    raise Conflict("tracking.already_filed")


def insert_once(session: Session, item: Tracked, pin: str, *, key: str | None,
                pins: PinKeyring, record: Callable[[], None]) -> Filed[Tracked]:
    """Add the new item and what goes with it (``record``: its event, consent, outbox) in a
    savepoint. When another filing with the same key won the race, only the savepoint is
    rolled back and the first item comes back (on PostgreSQL the insert waited for it to
    commit, so it is there to find). Not committed: the caller's unit of work commits."""
    try:
        with session.begin_nested():
            session.add(item)
            record()
    except IntegrityError:
        if (earlier := earlier_filing(session, type(item), key, item.payload_digest,
                                      pins)) is not None:
            return earlier
        raise
    return Filed(item, pin, True)


def clean_identity(given: Mapping[str, str | None], *, required: Collection[str],
                   prefix: str = "") -> tuple[dict[str, str | None], dict[str, Message]]:
    """The citizen's NIK, name and phone, cleaned, and a message per problem (keyed
    ``prefix + name``); a value left blank is None, or "required" when it must be given."""
    cleaned: dict[str, str | None] = {}
    errors: dict[str, Message] = {}
    for key, check in IDENTITY_CHECKS:
        value = (given.get(key) or "").strip()
        cleaned[key] = None
        if not value:
            if key in required:
                errors[prefix + key] = field_message("required")
            continue
        try:
            cleaned[key] = check(value)
        except FieldInvalid as invalid:
            errors[prefix + key] = invalid.message
    return cleaned, errors


def receipt_language(item: ServiceRequest | Complaint) -> str:
    return "en" if item.language == "en" else "id"


def receipt_basics(item: ServiceRequest | Complaint, *, city: str, pin: str | None,
                   kiosk_code: str, status_url: str, tz: str) -> dict[str, Any]:
    """What every receipt shows, in the item's language: the city, the code and PIN, when it
    was filed, and the address of its status page (which never carries the PIN)."""
    lang = receipt_language(item)
    return {
        "language": lang,
        "city": city,
        "tracking_code": format_tracking_code(item.tracking_code),
        "pin": pin,
        "submitted_at": item.created_at.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes"),
        "timezone_label": zone_name(tz, item.created_at),
        "submitted_text": long_datetime(item.created_at, tz, lang),
        "kiosk_code": kiosk_code,
        "status_url": status_url,
    }


def local_date_text(moment: datetime, tz: str) -> str:
    """A deadline's day in the city, as ISO text."""
    return moment.astimezone(ZoneInfo(tz)).date().isoformat()
