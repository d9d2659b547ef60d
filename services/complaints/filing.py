"""Filing a complaint: one function for the kiosk, the phone page and the API; and the
citizen's look-up by tracking code and PIN."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.berkas.evidence import checked_photos, link_to_complaint
from services.city_calendar import CityCalendar
from services.codes import PinKeyring, new_tracking_code
from services.complaints.categories import active_category
from services.complaints.history import record_complaint_event
from services.errors import Message, NotFound, ValidationFailed
from services.lookup import find_by_code_and_pin
from services.models import Channel, Complaint, ComplaintStatus, Privacy
from services.outbox.notices import citizen_channel, complaint_subject, record_consent
from services.tracking import (
    clean_identity,
    earlier_filing,
    filing_pin,
    insert_once,
    key_digest,
    payload_digest,
)
from services.validation import field_message

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
    given = {"nik": nik, "name": name, "phone": phone}
    if privacy is Privacy.ANONYMOUS:
        errors = {key: Message("complaint.anonymous_has_no_identity")
                  for key, value in given.items() if (value or "").strip()}
        return {"nik": None, "name": None, "phone": None}, errors
    return clean_identity(given, required=("name", "phone"))


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


def filing_digest(data: ComplaintInput) -> str:
    """What was filed, as a digest: the same key with other content is a conflict."""
    return payload_digest([data.category_code, data.description, data.location, data.privacy,
                           data.nik, data.name, data.phone, *data.photos])


def file_complaint(session: Session, data: ComplaintInput, *, pins: PinKeyring,
                   calendar: CityCalendar, now: datetime) -> FilingResult:
    """Record the complaint and its first event; the coordinator's forwarding deadline runs
    from now. A retry with the same idempotency key returns the first one. Not committed: the
    caller's unit of work commits it."""
    if data.photos and (earlier := earlier_filing(session, Complaint, data.idempotency_key,
                                                  filing_digest(data), pins)) is not None:
        return FilingResult(earlier.item, earlier.pin, False)  # its photos are linked already
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
    pin = filing_pin(key, pins)
    complaint = Complaint(
        tracking_code=new_tracking_code(), pin_hash=pins.hash_pin(pin), category=category,
        description=description, location=location, privacy=privacy,
        complainant_nik=identity["nik"], complainant_name=identity["name"],
        complainant_phone=identity["phone"], channel=data.channel, language=lang,
        kiosk_id=data.kiosk_id, status=ComplaintStatus.SUBMITTED,
        idempotency_digest=key_digest(key),
        payload_digest=filing_digest(data),
        created_at=now,
        forward_due_at=calendar.due_at(now, category.forward_days, calendar.days_off(session)),
    )

    def record() -> None:
        if photos:
            session.flush()
            link_to_complaint(complaint, photos, now)
        # Anonymous complainants give no number, so no consent is recorded for them.
        record_consent(session, subject=complaint_subject(complaint.tracking_code),
                       channel=notify_by, address=identity["phone"] or "", language=lang,
                       source=data.actor_label or data.channel.value, now=now)
        record_complaint_event(session, complaint, "submitted", now=now, from_status=None,
                               actor_label=data.actor_label or data.channel.value,
                               data={"channel": data.channel.value, "privacy": privacy.value,
                                     **({"photos": len(photos)} if photos else {})})

    filed = insert_once(session, complaint, pin, key=key, pins=pins, record=record)
    if not filed.created:
        return FilingResult(filed.item, filed.pin, False)
    log.info("complaint %s filed via %s (%s)", complaint.tracking_code, data.channel.value,
             privacy.value)
    return FilingResult(complaint, pin, True)


def find_complaint(session: Session, tracking_code: str, pin: str,
                   pins: PinKeyring) -> Complaint:
    """The complaint with this tracking code whose PIN matches; one NotFound otherwise (wrong
    PINs count towards the code's lockout, as for requests)."""
    return find_by_code_and_pin(session, Complaint, tracking_code, pin, pins,
                                message=NOT_FOUND_MESSAGE)
