"""Filing a complaint: one function for the kiosk, the phone page and the API; and the
citizen's look-up by tracking code and PIN."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.berkas.evidence import checked_photos, link_to_complaint
from services.codes import PinKeyring, idempotency_digest, new_pin, new_tracking_code
from services.complaints.categories import active_category
from services.complaints.history import record_complaint_event
from services.db import utcnow
from services.errors import Conflict, Message, NotFound, ValidationFailed
from services.lookup import find_by_code_and_pin
from services.models import Channel, Complaint, ComplaintStatus, Privacy
from services.outbox.notices import citizen_channel, complaint_subject, record_consent
from services.validation import FieldInvalid, clean_name, clean_nik, clean_phone, field_message
from services.workflow.routing import holidays
from services.working_days import due_at

log = logging.getLogger(__name__)

MIN_DESCRIPTION, MAX_DESCRIPTION, MAX_LOCATION = 20, 2000, 300
NOT_FOUND_MESSAGE = "complaint.wrong_code_or_pin"


@dataclass(frozen=True)
class ComplaintInput:
    category_code: str
    description: str
    privacy: str  # a Privacy value
    channel: Channel
    location: str = ""
    nik: str = ""
    name: str = ""
    phone: str = ""
    language: str = "id"
    kiosk_id: int | None = None
    # Scoped by the caller to its device, e.g. "kiosk:KIOSK-MPP-01:<uuid>".
    idempotency_key: str | None = None
    # Upload ids of photos as evidence (services.berkas.evidence).
    photos: tuple[str, ...] = ()
    actor_label: str = ""
    # "whatsapp", "sms" or "none": whether the complainant wants to be told of the answer.
    notify: str = "none"


@dataclass
class FilingResult:
    complaint: Complaint
    pin: str
    created: bool  # False when an earlier filing with the same key was returned


def check_identity(privacy: Privacy, nik: str, name: str,
                   phone: str) -> tuple[dict[str, str | None], dict[str, Message]]:
    """The complainant's identity for this privacy choice, and a message per problem: an
    anonymous complaint carries none; otherwise name and phone are needed, the NIK is optional."""
    given = {"nik": (nik or "").strip(), "name": (name or "").strip(),
             "phone": (phone or "").strip()}
    if privacy is Privacy.ANONYMOUS:
        errors = {key: Message("complaint.anonymous_has_no_identity")
                  for key, value in given.items() if value}
        return {"nik": None, "name": None, "phone": None}, errors
    cleaned: dict[str, str | None] = {"nik": None}
    errors: dict[str, Message] = {}
    for key, check, required in (("nik", clean_nik, False), ("name", clean_name, True),
                                 ("phone", clean_phone, True)):
        if not given[key]:
            if required:
                errors[key] = field_message("required")
            continue
        try:
            cleaned[key] = check(given[key])
        except FieldInvalid as invalid:
            errors[key] = invalid.message
    return cleaned, errors


def check_text(description: str, location: str) -> dict[str, Message]:
    errors: dict[str, Message] = {}
    if len(description) < MIN_DESCRIPTION:
        errors["description"] = (field_message("required") if not description
                                 else field_message("min_length", MIN_DESCRIPTION))
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = field_message("max_length", MAX_DESCRIPTION)
    if len(location) > MAX_LOCATION:
        errors["location"] = field_message("max_length", MAX_LOCATION)
    return errors


def parse_privacy(value: str) -> Privacy:
    try:
        return Privacy(value)
    except ValueError:
        raise ValidationFailed("answers.need_fixing",
                               fields={"privacy": field_message("choice")}) from None


def payload_digest(data: ComplaintInput) -> str:
    body = [data.category_code, data.description, data.location, data.privacy, data.nik,
            data.name, data.phone, *data.photos]
    return hashlib.sha256(json.dumps(body).encode()).hexdigest()


def _earlier(session: Session, data: ComplaintInput, pins: PinKeyring) -> FilingResult | None:
    """The complaint filed earlier with this idempotency key, with its PIN again (derived from
    the client-held key, as for requests: the database keeps only the key's digest)."""
    if not data.idempotency_key:
        return None
    earlier = session.scalar(select(Complaint).where(
        Complaint.idempotency_key == idempotency_digest(data.idempotency_key)))
    if earlier is None:
        return None
    if earlier.payload_digest != payload_digest(data):
        raise Conflict("complaint.idempotency_key_reused")
    for pin in pins.derived_pins(data.idempotency_key):
        if pins.pin_matches(earlier.pin_hash, pin):
            return FilingResult(earlier, pin, False)
    raise Conflict("complaint.already_filed")


def file_complaint(session: Session, data: ComplaintInput, *, pins: PinKeyring,
                   tz: str = "Asia/Jakarta", now: datetime | None = None) -> FilingResult:
    """Record the complaint and its first event; the coordinator's forwarding deadline runs
    from now. A retry with the same idempotency key returns the first one. Commits."""
    if (earlier := _earlier(session, data, pins)) is not None:
        return earlier
    now = now or utcnow()
    lang = "en" if data.language == "en" else "id"
    privacy = parse_privacy(data.privacy)
    description, location = (data.description or "").strip(), (data.location or "").strip()
    errors = check_text(description, location)
    try:
        category = active_category(session, data.category_code)
    except NotFound:
        errors["category"] = field_message("choice")
    identity, identity_errors = check_identity(privacy, data.nik, data.name, data.phone)
    errors.update(identity_errors)
    notify_by = None
    try:
        notify_by = citizen_channel(data.notify)
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    photos, photo_errors = checked_photos(session, data.photos, now=now)
    errors.update(photo_errors)
    if errors:
        raise ValidationFailed("answers.need_fixing", fields=errors)
    key = data.idempotency_key
    pin = pins.derived_pins(key)[0] if key else new_pin()
    complaint = Complaint(
        tracking_code=new_tracking_code(), pin_hash=pins.hash_pin(pin), category=category,
        description=description, location=location, privacy=privacy,
        complainant_nik=identity["nik"], complainant_name=identity["name"],
        complainant_phone=identity["phone"], channel=data.channel, language=lang,
        kiosk_id=data.kiosk_id, status=ComplaintStatus.SUBMITTED,
        idempotency_key=idempotency_digest(key) if key else None,
        payload_digest=payload_digest(data),
        created_at=now,
        forward_due_at=due_at(now, category.forward_days, holidays(session), tz),
    )
    try:
        # In a savepoint: a retry that lost the race rolls back only this insert, and finds
        # the first filing. The caller's unit of work commits.
        with session.begin_nested():
            session.add(complaint)
            if photos:
                session.flush()
                link_to_complaint(complaint, photos, now)
            # Anonymous complainants give no number, so no consent is recorded for them.
            record_consent(session, subject=complaint_subject(complaint.tracking_code),
                           channel=notify_by, address=identity["phone"] or "", language=lang,
                           source=data.actor_label or data.channel.value, now=now)
            record_complaint_event(session, complaint, "submitted", now=now, from_status=None,
                                   actor_label=data.actor_label or data.channel.value,
                                   data={"channel": data.channel.value,
                                         "privacy": privacy.value,
                                         **({"photos": len(photos)} if photos else {})})
    except IntegrityError:
        if (earlier := _earlier(session, data, pins)) is not None:
            return earlier
        raise
    log.info("complaint %s filed via %s (%s)", complaint.tracking_code, data.channel.value,
             privacy.value)
    return FilingResult(complaint, pin, True)


def find_complaint(session: Session, tracking_code: str, pin: str,
                   pins: PinKeyring) -> Complaint:
    """The complaint with this tracking code whose PIN matches; one NotFound otherwise (wrong
    PINs count towards the code's lockout, as for requests)."""
    return find_by_code_and_pin(session, Complaint, tracking_code, pin, pins,
                                message=NOT_FOUND_MESSAGE)
