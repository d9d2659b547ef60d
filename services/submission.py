"""Submitting a service request: one function for the kiosk, the API and every other channel."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.catalog.queries import active_service
from services.codes import derived_pin, hash_pin, new_pin, new_tracking_code
from services.db import utcnow
from services.errors import Conflict, ValidationFailed
from services.models import Channel, Event, RequestStatus, ServiceRequest
from services.outbox.notices import citizen_channel, notify_event, record_consent, request_subject
from services.validation import FieldInvalid, clean_answers, clean_name, clean_nik, clean_phone
from services.workflow.routing import holidays, route_request
from services.working_days import due_at


@dataclass(frozen=True)
class Applicant:
    nik: str
    name: str
    phone: str


@dataclass(frozen=True)
class Submission:
    service_code: str
    applicant: Applicant
    answers: dict[str, Any]
    channel: Channel
    language: str = "id"
    kiosk_id: int | None = None
    officer_id: int | None = None
    # Scoped by the caller to its device or client, e.g. "kiosk:KIOSK-MPP-01:<uuid>".
    idempotency_key: str | None = None
    actor_label: str = ""
    # "whatsapp", "sms" or "none": how the citizen agreed to be told of progress (UU PDP).
    notify: str = "none"


@dataclass
class SubmissionResult:
    request: ServiceRequest
    pin: str
    created: bool  # False when an earlier submission with the same key was returned
    warnings: list[str] = field(default_factory=list)


def clean_applicant(applicant: Applicant, lang: str) -> Applicant:
    """Check the applicant's NIK, name and phone; raise ValidationFailed naming each problem."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for key, check in (("nik", clean_nik), ("name", clean_name), ("phone", clean_phone)):
        value = getattr(applicant, key) or ""
        if not value.strip():
            errors[f"applicant.{key}"] = FieldInvalid("required").message(lang)
            continue
        try:
            cleaned[key] = check(value)
        except FieldInvalid as invalid:
            errors[f"applicant.{key}"] = invalid.message(lang)
    if errors:
        raise ValidationFailed(
            "Some answers need fixing." if lang == "en" else "Beberapa isian perlu diperbaiki.",
            fields=errors,
        )
    return Applicant(**cleaned)


def payload_digest(submission: Submission) -> str:
    """What was submitted, as a digest: the same key with other content is a conflict."""
    body = {
        "service": submission.service_code,
        "applicant": [submission.applicant.nik, submission.applicant.name,
                      submission.applicant.phone],
        "answers": submission.answers,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _earlier(session: Session, submission: Submission, secret: str) -> SubmissionResult | None:
    if not submission.idempotency_key:
        return None
    earlier = session.scalar(
        select(ServiceRequest).where(ServiceRequest.idempotency_key == submission.idempotency_key)
    )
    if earlier is None:
        return None
    if earlier.payload_digest != payload_digest(submission):
        raise Conflict("This idempotency key was already used for a different request.")
    return SubmissionResult(earlier, derived_pin(secret, submission.idempotency_key), False)


def submit_request(session: Session, submission: Submission, *, secret: str,
                   tz: str = "Asia/Jakarta", now: datetime | None = None) -> SubmissionResult:
    """Create the request, its first event and its routing in one transaction; a retry with the
    same idempotency key returns the first request instead of making a second. Commits."""
    if (earlier := _earlier(session, submission, secret)) is not None:
        return earlier
    now = now or utcnow()
    lang = "en" if submission.language == "en" else "id"
    service = active_service(session, submission.service_code)
    version = service.current_version
    assert version is not None
    errors: dict[str, str] = {}
    applicant = answers = None
    try:
        applicant = clean_applicant(submission.applicant, lang)
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    try:
        answers = clean_answers(version.fields, submission.answers, lang=lang,
                                today=now.astimezone(ZoneInfo(tz)).date())
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    notify_by = None
    try:
        notify_by = citizen_channel(submission.notify, lang)
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    if errors:
        raise ValidationFailed(
            "Some answers need fixing." if lang == "en" else "Beberapa isian perlu diperbaiki.",
            fields=errors,
        )
    assert applicant is not None and answers is not None
    pin = derived_pin(secret, submission.idempotency_key) if submission.idempotency_key else new_pin()
    holiday_days = holidays(session)
    request = ServiceRequest(
        tracking_code=new_tracking_code(),
        pin_hash=hash_pin(pin),
        service_version=version,
        status=RequestStatus.SUBMITTED,
        channel=submission.channel,
        language=lang,
        applicant_nik=applicant.nik,
        applicant_name=applicant.name,
        applicant_phone=applicant.phone,
        answers=answers,
        kiosk_id=submission.kiosk_id,
        officer_id=submission.officer_id,
        idempotency_key=submission.idempotency_key,
        payload_digest=payload_digest(submission),
        created_at=now,
        due_at=due_at(now, version.duration_days, holiday_days, tz),
    )
    try:
        # Routing flushes, so a duplicate key may surface there as well as at the commit.
        session.add(request)
        route_request(session, request, now=now, tz=tz, holiday_days=holiday_days)
        record_consent(session, subject=request_subject(request.tracking_code),
                       channel=notify_by, address=applicant.phone, language=lang,
                       source=submission.actor_label or submission.channel.value, now=now)
        event = Event(
            request=request,
            kind="submitted",
            actor_id=submission.officer_id,
            actor_label=submission.actor_label,
            to_status=RequestStatus.SUBMITTED,
            data={"channel": submission.channel.value, "version": version.number},
            created_at=now,
        )
        session.add(event)
        notify_event(session, event)
        session.commit()
    except IntegrityError:
        # Another submission with this key (or, very rarely, this tracking code) won the race.
        session.rollback()
        if (earlier := _earlier(session, submission, secret)) is not None:
            return earlier
        raise
    return SubmissionResult(request, pin, True)
