"""Submitting a service request: one function for the kiosk, the API and every other channel."""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.catalog.cache import CatalogCache, PublishedVersion, published_catalog
from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.clock import utcnow
from services.codes import PinKeyring, idempotency_digest, new_pin, new_tracking_code
from services.errors import Conflict, Message, ValidationFailed
from services.models import Channel, ClockStart, Event, RequestStatus, ServiceRequest, Task
from services.outbox.notices import citizen_channel, notify_event, record_consent, request_subject
from services.privacy import keep_out_of_logs
from services.validation import (
    FieldInvalid,
    clean_answers,
    clean_name,
    clean_nik,
    clean_phone,
    field_message,
)
from services.workflow.routing import plan_tasks


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
    api_key_id: int | None = None  # the other system's key (JSON API, Open311)
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
    # The published version it was made under, as cached: answers need no further look-up.
    version: PublishedVersion | None = None
    warnings: list[str] = field(default_factory=list)


def clean_applicant(applicant: Applicant) -> Applicant:
    """Check the applicant's NIK, name and phone; raise ValidationFailed naming each problem."""
    errors: dict[str, Message] = {}
    cleaned: dict[str, str] = {}
    for key, check in (("nik", clean_nik), ("name", clean_name), ("phone", clean_phone)):
        value = getattr(applicant, key) or ""
        if not value.strip():
            errors[f"applicant.{key}"] = field_message("required")
            continue
        try:
            cleaned[key] = check(value)
        except FieldInvalid as invalid:
            errors[f"applicant.{key}"] = invalid.message
    if errors:
        raise ValidationFailed("answers.need_fixing", fields=errors)
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


def _earlier(session: Session, submission: Submission, digest: str,
             pins: PinKeyring) -> SubmissionResult | None:
    if not submission.idempotency_key:
        return None
    earlier = session.scalar(
        select(ServiceRequest)
        .where(ServiceRequest.idempotency_digest == idempotency_digest(submission.idempotency_key))
    )
    if earlier is None:
        return None
    if earlier.payload_digest != digest:
        raise Conflict("request.idempotency_key_reused")
    # The PIN was derived from the client-held key under one of the PIN keys, maybe an old one.
    for pin in pins.derived_pins(submission.idempotency_key):
        if pins.pin_matches(earlier.pin_hash, pin):
            return SubmissionResult(earlier, pin, False)
    raise Conflict("request.already_submitted")


def submit_request(session: Session, submission: Submission, *, pins: PinKeyring,
                   calendar: CityCalendar = DEFAULT_CALENDAR, now: datetime | None = None,
                   catalog: CatalogCache = published_catalog) -> SubmissionResult:
    """Create the request, its routing and its first event in one transaction; a retry with
    the same idempotency key returns the first request instead of making a second. Not
    committed: the caller's unit of work commits it (services.unit_of_work).

    The hot path: the published catalog comes from the process's cache (one read of the
    generation), and the unique idempotency digest finds a retry only when the insert, made
    in a savepoint, collides; the savepoint alone is then rolled back."""
    keep_out_of_logs(*astuple(submission.applicant), submission.idempotency_key,
                     (submission.idempotency_key or "").rpartition(":")[2])
    now = now or utcnow()
    published = catalog.for_submission(session, submission.service_code)
    version = published.version
    errors: dict[str, Message] = {}
    applicant = answers = None
    try:
        applicant = clean_applicant(submission.applicant)
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    try:
        answers = clean_answers(list(version.fields), submission.answers,
                                today=calendar.local_day(now))
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    notify_by = None
    try:
        notify_by = citizen_channel(submission.notify)
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    if errors:
        raise ValidationFailed("answers.need_fixing", fields=errors)
    assert applicant is not None and answers is not None
    lang = "en" if submission.language == "en" else "id"  # the citizen's language, kept
    # The holidays come with the cached catalog, read in the same generation as its services.
    plans = plan_tasks(version.steps, answers, now=now, tz=calendar.timezone,
                       holiday_days=published.holidays)
    digest = payload_digest(submission)
    key = submission.idempotency_key
    pin = pins.derived_pins(key)[0] if key else new_pin()
    request = ServiceRequest(
        tracking_code=new_tracking_code(),
        pin_hash=pins.hash_pin(pin),
        service_version_id=version.version_id,
        status=RequestStatus.SUBMITTED,
        channel=submission.channel,
        language=lang,
        applicant_nik=applicant.nik,
        applicant_name=applicant.name,
        applicant_phone=applicant.phone,
        answers=answers,
        kiosk_id=submission.kiosk_id,
        officer_id=submission.officer_id,
        api_key_id=submission.api_key_id,
        idempotency_digest=idempotency_digest(key) if key else None,
        payload_digest=digest,
        created_at=now,
        # Counted from "berkas lengkap": set when the step that declares the file complete acts.
        due_at=(None if version.clock_start is ClockStart.COMPLETE_FILE
                else calendar.due_at(now, version.duration_days, published.holidays)),
        clock_stopped_at=None,
        closed_at=None,
    )
    request.tasks = [
        Task(step_id=plan.step_id, agency_id=published.agency_ids[plan.agency_code],
             stage=plan.stage, status=plan.status, ready_at=plan.ready_at, due_at=plan.due_at)
        for plan in plans
    ]
    submitted = Event(
        kind="submitted",
        actor_id=submission.officer_id,
        actor_label=submission.actor_label,
        to_status=RequestStatus.SUBMITTED,
        data={"channel": submission.channel.value, "version": version.number},
        created_at=now,
    )
    request.events = [submitted]
    try:
        with session.begin_nested():
            session.add(request)
            consent = record_consent(
                session, subject=request_subject(request.tracking_code), channel=notify_by,
                address=applicant.phone, language=lang,
                source=submission.actor_label or submission.channel.value, now=now)
            notify_event(session, submitted, consented=consent is not None)
    except IntegrityError:
        # Another submission with this key (or, very rarely, this tracking code) won the race;
        # on PostgreSQL the insert waited for it to commit, so it is there to find now.
        if (earlier := _earlier(session, submission, digest, pins)) is not None:
            return earlier
        raise
    return SubmissionResult(request, pin, True, version)
