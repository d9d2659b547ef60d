"""The signing stage: the clerk's approval prepares the draft decision, the agency's official
signs it (one or a batch, with the passphrase the signing service checks) or sends it back to
the clerk with a note. Each use case works in the caller's transaction (not committed)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.db import utcnow
from services.documents import document_number
from services.documents.decision import Signatory, decision_content, missing_records
from services.documents.remote import PdfToSign, SigningRefused, SigningService, SigningUnavailable
from services.errors import Conflict, DomainError, NotFound, ValidationFailed
from services.models import (
    Agency,
    IssuedDocument,
    ServiceRequest,
    Task,
    TaskOutcome,
    TaskStatus,
    User,
    WorkflowStep,
)
from services.performance.outcomes import note_decision
from services.signing.access import lock_after_refusal, signing_refusal, signs_decisions
from services.workflow.history import record_event
from services.workflow.locks import lock_open_tasks, lock_request
from services.workflow.transitions import Action, move_task, status_after
from services.working_days import local_day

# Renders a decision: the document, who signs it, and whether it is the draft.
Render = Callable[[IssuedDocument, Signatory, bool], bytes]


class PassphraseRefused(DomainError):
    """The signing service refused the official's passphrase: nothing was signed, and the
    refusal counts toward the lockout (so the web layer keeps it)."""

    code = "validation_failed"
    keeps_changes = True


def signatory_of(official: User) -> Signatory:
    return Signatory(name=official.full_name, jabatan=official.jabatan, nip=official.nip)


def signing_stage(request: ServiceRequest, stage: int) -> bool:
    """Whether ``stage`` of the request is its signing stage."""
    return any(task.stage == stage and task.step.signs for task in request.tasks)


def decision_number(request: ServiceRequest, agency: Agency, now: datetime, tz: str) -> str:
    """Tata Naskah Dinas numbering: classification code / number / unit / year
    (e.g. 650/00012/DPUPR/2026)."""
    template = request.service_version.decision or {}
    if not template.get("classification"):
        return document_number(request, agency, now, tz)
    year = local_day(now, tz).year
    return f"{template['classification']}/{request.id:05d}/{agency.code}/{year}"


def prepare_decision(session: Session, request: ServiceRequest, *, signing_agency: Agency,
                     records: Mapping[str, str], now: datetime, tz: str,
                     city: str) -> IssuedDocument:
    """The draft decision the clerk's approval yields, fixed in what it says; the official of
    ``signing_agency`` signs it. Refuses when a fact the clerk must record is missing."""
    version = request.service_version
    template = version.decision or {"classification": "", "about": version.product_id}
    if missing := missing_records(template, records):
        raise ValidationFailed(next(iter(missing.values())), fields=missing)
    validity = version.product_validity_days
    valid_until = now + timedelta(days=validity) if validity else None
    number = decision_number(request, signing_agency, now, tz)
    labels = {field.key: {c["value"]: c["label_id"] for c in field.choices or []}
              for field in version.fields}
    content = decision_content(
        template=template, number=number, city=city,
        agency={"name": signing_agency.name_id, "address": signing_agency.address or "",
                "phone": signing_agency.phone or "", "email": signing_agency.email or ""},
        product=version.product_id, legal_basis=list(version.legal_basis_id or []),
        holder_name=request.applicant_name, holder_nik=request.applicant_nik,
        answers=request.answers or {}, choice_labels=labels,
        records={key: str(value) for key, value in records.items()},
        valid_until=local_day(valid_until, tz) if valid_until else None)
    document = session.scalar(select(IssuedDocument).where(
        IssuedDocument.request_id == request.id))
    if document is None:
        document = IssuedDocument(request=request, number=number, agency=signing_agency)
        session.add(document)
    document.number, document.agency, document.content = number, signing_agency, content
    document.issued_at, document.valid_until = now, valid_until
    return document


def signing_queue(session: Session, *, actor: User) -> list[Task]:
    """The decisions waiting for this official's signature, most urgent first."""
    if not signs_decisions(actor):
        return []
    return list(session.scalars(
        select(Task).join(WorkflowStep, Task.step_id == WorkflowStep.id)
        .where(Task.agency_id == actor.agency_id, WorkflowStep.signs,
               Task.status == TaskStatus.READY)
        .order_by(Task.due_at, Task.id)))


def draft_of(session: Session, request: ServiceRequest) -> IssuedDocument:
    document = session.scalar(select(IssuedDocument).where(
        IssuedDocument.request_id == request.id, IssuedDocument.signed_at.is_(None)))
    if document is None or document.content is None:
        raise NotFound("sign.no_draft")
    return document


def signing_task(session: Session, actor: User, task_id: int,
                 now: datetime) -> tuple[Task, ServiceRequest]:
    """Lock a signing task and its request, and check the actor may sign it now."""
    task = session.get(Task, task_id)
    if task is None or not signs_decisions(actor) or task.agency_id != actor.agency_id:
        # Another agency's decision is not even confirmed to exist.
        refused = None if task is None else signing_refusal(actor, task, task.request, now)
        raise refused or NotFound("sign.no_such_decision")
    lock_open_tasks(session, task.request_id)
    request = lock_request(session, task.request_id)
    session.refresh(task)
    if (refused := signing_refusal(actor, task, request, now)) is not None:
        raise refused
    return task, request


@dataclass(frozen=True)
class SignedDecision:
    document: IssuedDocument
    request: ServiceRequest


def timestamp_expiry(pdf: bytes) -> datetime | None:
    """When the TSA certificate of the file's last document time-stamp expires."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        stamps = [s for s in PdfFileReader(io.BytesIO(pdf)).embedded_signatures
                  if s.sig_object.get("/Type") == "/DocTimeStamp"]
    except Exception:  # an unreadable file has no time-stamp to renew
        return None
    if not stamps:
        return None
    return stamps[-1].signer_cert.not_valid_after


def sign_decisions(session: Session, *, actor: User, task_ids: Sequence[int], passphrase: str,
                   signing: SigningService, render: Render, location: str,
                   now: datetime | None = None,
                   calendar: CityCalendar = DEFAULT_CALENDAR) -> list[SignedDecision]:
    """Sign the drafts of these signing tasks with the official's key through the signing
    service, all or none. Each signed request is approved (issued: "terbit") with its own
    event. A refused passphrase signs nothing and counts toward the lockout."""
    now = now or utcnow()
    if not task_ids:
        raise ValidationFailed("sign.nothing_chosen", fields={"tasks": "sign.nothing_chosen"})
    if not passphrase:
        needed = "sign.passphrase_needed"  # nosec B105: a message code, not a password
        raise ValidationFailed(needed, fields={"passphrase": needed})
    chosen = sorted(set(task_ids))
    work = [signing_task(session, actor, task_id, now) for task_id in chosen]
    documents = [draft_of(session, request) for _, request in work]
    signatory = signatory_of(actor)
    to_sign = [PdfToSign(render(document, signatory, False),
                         reason=f"{document.content['title']} Nomor {document.number}"[:200],
                         location=location) for document in documents]
    try:
        signed = signing.sign(to_sign, credential=actor.signing_credential,
                              passphrase=passphrase)
    except SigningRefused:
        actor.signing_failures = (actor.signing_failures or 0) + 1
        actor.signing_locked_until = lock_after_refusal(actor.signing_failures, now)
        record_audit(session, actor, "signing_refused", "user", actor.username,
                     {"failures": actor.signing_failures, "tasks": chosen})
        refused = "sign.passphrase_refused"  # nosec B105: a message code, not a password
        raise PassphraseRefused(refused, fields={"passphrase": refused}) from None
    except SigningUnavailable:
        raise Conflict("sign.service_unavailable") from None
    actor.signing_failures, actor.signing_locked_until = 0, None
    results = []
    for (task, request), document, pdf in zip(work, documents, signed, strict=True):
        _issue(session, actor, task, request, document, pdf, now, calendar)
        results.append(SignedDecision(document, request))
    return results


def _issue(session: Session, actor: User, task: Task, request: ServiceRequest,
           document: IssuedDocument, pdf: bytes, now: datetime, calendar: CityCalendar) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from services.documents.signing import display_name

    before = request.status
    move_task(task, TaskStatus.DONE)
    task.outcome, task.done_at = TaskOutcome.APPROVED, now
    task.claimed_by_id, task.claimed_at = actor.id, task.claimed_at or now
    certificate = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signer_cert
    document.signed_pdf, document.signed_at, document.issued_at = pdf, now, now
    document.signed_by_id = actor.id
    document.signer = display_name(certificate.subject)[:300]
    document.signer_jabatan, document.signer_nip = actor.jabatan, actor.nip
    document.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    document.timestamped_at, document.timestamp_expires_at = now, timestamp_expiry(pdf)
    request.status = status_after(before, Action.APPROVE, request_finished=True)
    request.closed_at = now
    note_decision(request, now=now, holidays=calendar.days_off(session), tz=calendar.timezone)
    record_event(session, request, "request_approved", now=now, from_status=before, actor=actor,
                 task=task, data={"product_kind": request.service_version.product_kind.value,
                                  "document_number": document.number, "signed": True,
                                  "jabatan": actor.jabatan})


def return_to_clerk(session: Session, *, actor: User, task_id: int, note: str,
                    now: datetime | None = None,
                    calendar: CityCalendar = DEFAULT_CALENDAR) -> Task:
    """Send the draft back to the clerks whose approval prepared it, with the official's note;
    their new task is due within the step's SLA, and the decision comes back for signing when
    they approve again."""
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("sign.return_note_needed",
                               fields={"note": "sign.return_note_needed"})
    now = now or utcnow()
    task, request = signing_task(session, actor, task_id, now)
    before = request.status
    previous = [t for t in request.tasks if t.stage < task.stage
                and t.status is TaskStatus.DONE and t.outcome is TaskOutcome.APPROVED]
    last_stage = max(t.stage for t in previous)
    move_task(task, TaskStatus.SKIPPED)
    task.note, task.done_at = note, now
    holidays = calendar.holidays(session)
    reopened = []
    for approved in [t for t in previous if t.stage == last_stage]:
        again = Task(request=request, step=approved.step, agency=approved.agency,
                     stage=approved.stage, status=TaskStatus.READY, ready_at=now,
                     due_at=calendar.due_at(now, approved.step.sla_days, holidays), note=note)
        session.add(again)
        reopened.append(again)
    session.add(Task(request=request, step=task.step, agency=task.agency, stage=task.stage,
                     status=TaskStatus.PENDING))
    session.delete(draft_of(session, request))
    session.flush()
    record_event(session, request, "signing_returned", now=now, from_status=before, actor=actor,
                 task=reopened[0], note=note, internal=True,
                 data={"to_tasks": [t.id for t in reopened]})
    return reopened[0]
