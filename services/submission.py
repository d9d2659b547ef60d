"""Submitting a service request: one function for the kiosk, the API and every other channel."""

from __future__ import annotations

from dataclasses import asdict, astuple, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.berkas.files import check_documents, link_to_request, loose_uploads, split_documents
from services.catalog.cache import CatalogCache, PublishedVersion, published_catalog
from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.clock import utcnow
from services.codes import PinKeyring, new_tracking_code
from services.errors import Message, ValidationFailed
from services.models import (
    Channel,
    ClockStart,
    Event,
    RequestStatus,
    ServiceRequest,
    Task,
    Upload,
)
from services.outbox.notices import citizen_channel, notify_event, record_consent, request_subject
from services.privacy import keep_out_of_logs
from services.tracking import (
    clean_identity,
    earlier_filing,
    filing_pin,
    insert_once,
    key_digest,
    payload_digest,
)
from services.validation import clean_answers
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
    cleaned, errors = clean_identity(asdict(applicant), required=("nik", "name", "phone"),
                                     prefix="applicant.")
    if errors:
        raise ValidationFailed("answers.need_fixing", fields=errors)
    return Applicant(**cleaned)  # type: ignore[arg-type]  (every one required, so none is None)


def submission_digest(submission: Submission) -> str:
    """What was submitted, as a digest: the same key with other content is a conflict."""
    return payload_digest({
        "service": submission.service_code,
        "applicant": [submission.applicant.nik, submission.applicant.name,
                      submission.applicant.phone],
        "answers": submission.answers,
    })


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
    plain, documents = split_documents(version.requirements, submission.answers)
    if documents and (earlier := earlier_filing(
            session, ServiceRequest, submission.idempotency_key, submission_digest(submission),
            pins)) is not None:
        # a retry: its uploads are linked to the first request already
        return SubmissionResult(earlier.item, earlier.pin, False, None)
    try:
        applicant = clean_applicant(submission.applicant)
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    try:
        answers = clean_answers(list(version.fields), plain, today=calendar.local_day(now))
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    uploads: dict[str, list[Upload]] = {}
    try:
        uploads = loose_uploads(session, documents, now=now)
    except ValidationFailed as invalid:
        errors.update(invalid.fields)
    if answers is not None:
        errors.update(check_documents(version.requirements, answers, uploads))
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
    city_days_off = published.days_off_of(None, calendar.week)
    plans = plan_tasks(version.steps, answers, now=now, tz=calendar.timezone,
                       holiday_days=city_days_off,
                       days_off_of=lambda code: published.days_off_of(code, calendar.week))
    key = submission.idempotency_key
    pin = filing_pin(key, pins)
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
        idempotency_digest=key_digest(key),
        payload_digest=submission_digest(submission),
        created_at=now,
        # Counted from "berkas lengkap": set when the step that declares the file complete acts.
        due_at=(None if version.clock_start is ClockStart.COMPLETE_FILE
                else calendar.due_at(now, version.duration_days, city_days_off)),
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
        data={"channel": submission.channel.value, "version": version.number,
              **({"documents": {key: len(items) for key, items in uploads.items()}}
                 if uploads else {})},
        created_at=now,
    )
    request.events = [submitted]

    def record() -> None:
        link_to_request(request, uploads, now)
        consent = record_consent(
            session, subject=request_subject(request.tracking_code), channel=notify_by,
            address=applicant.phone, language=lang,
            source=submission.actor_label or submission.channel.value, now=now)
        notify_event(session, submitted, consented=consent is not None)

    filed = insert_once(session, request, pin, key=key, pins=pins, record=record)
    return SubmissionResult(filed.item, filed.pin, filed.created,
                            version if filed.created else None)
