"""What a clerk does with a task: approve, reject, return for information, forward; and the
hand-over of the product. Each use case changes the task and its request, opens the next stage
or closes the request, and writes one event, all in the caller's transaction (not committed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.db import utcnow
from services.documents import issue_document
from services.errors import NotAllowed, ValidationFailed
from services.models import (
    Agency,
    ClockStart,
    FeeKind,
    ProductKind,
    RequestStatus,
    ServiceRequest,
    Task,
    TaskOutcome,
    TaskStatus,
    User,
)
from services.performance.outcomes import note_decision
from services.signing.decisions import prepare_decision, signing_stage
from services.workflow.access import request_for_staff, task_for_staff
from services.workflow.actions import forward_targets, require_action
from services.workflow.history import record_event
from services.workflow.locks import lock_open_tasks, lock_request
from services.workflow.transitions import (
    UNFINISHED_TASK_STATUSES,
    Action,
    move_task,
    next_stage,
    stage_finished,
    status_after,
)


def _required(text: str, field: str, message: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationFailed(message, fields={field: message})
    return cleaned


def workable_task(session: Session, actor: User, task_id: int,
                  action: Action) -> tuple[Task, ServiceRequest]:
    """Lock a task of the actor's agency and its request, and check the actor may take
    ``action`` on it now (see services.workflow.actions)."""
    task = task_for_staff(session, actor, task_id)
    lock_open_tasks(session, task.request_id)
    request = lock_request(session, task.request_id)
    require_action(task, request, actor, action)
    return task, request


def _finish(task: Task, actor: User, outcome: TaskOutcome, note: str, now: datetime) -> None:
    move_task(task, TaskStatus.DONE)
    task.outcome = outcome
    task.claimed_by_id = task.claimed_by_id or actor.id
    task.claimed_at = task.claimed_at or now
    task.done_at = now
    task.note = note


def _open_stage(session: Session, request: ServiceRequest, stage: int, now: datetime,
                calendar: CityCalendar) -> None:
    days = calendar.holidays(session)
    for task in request.tasks:
        if task.stage == stage and task.status is TaskStatus.PENDING:
            move_task(task, TaskStatus.READY)
            task.ready_at = now
            task.due_at = calendar.due_at(now, task.step.sla_days, days)


def _stages(request: ServiceRequest) -> dict[int, list[TaskStatus]]:
    stages: dict[int, list[TaskStatus]] = defaultdict(list)
    for task in request.tasks:
        stages[task.stage].append(task.status)
    return stages


@dataclass(frozen=True)
class StepRecord:
    """What a clerk records when approving: the assessed fee (SKRD/SKPD) at the step that
    assesses it, the external product's number and date at the last step of an external one."""

    assessed_fee: int | None = None
    fee_reference: str = ""
    external_number: str = ""
    external_date: date | None = None
    # The facts of the decision the clerk records when their approval prepares it (KDB, ...).
    decision_records: Mapping[str, str] = field(default_factory=dict)


FEE_NEEDED = "task.fee_needed"
FEE_REFERENCE_NEEDED = "task.fee_reference_needed"
EXTERNAL_NUMBER_NEEDED = "task.external_number_needed"
EXTERNAL_DATE_NEEDED = "task.external_date_needed"


def _record_fee(session: Session, actor: User, task: Task, request: ServiceRequest,
                record: StepRecord, now: datetime) -> None:
    version = request.service_version
    if not (task.step.assesses_fee and version.fee_kind is FeeKind.ASSESSED):
        return
    problems: dict[str, str] = {}
    if record.assessed_fee is None or record.assessed_fee < 0:
        problems["assessed_fee"] = FEE_NEEDED
    if not record.fee_reference.strip():
        problems["fee_reference"] = FEE_REFERENCE_NEEDED
    if problems:
        raise ValidationFailed(next(iter(problems.values())), fields=problems)
    request.assessed_fee = record.assessed_fee
    request.fee_reference = record.fee_reference.strip()[:100]
    record_event(session, request, "fee_assessed", now=now, from_status=request.status,
                 actor=actor, task=task, data={"assessed_fee": request.assessed_fee,
                                               "fee_reference": request.fee_reference})


def _record_external(request: ServiceRequest, record: StepRecord, now: datetime,
                     calendar: CityCalendar,
                     data: dict[str, object]) -> None:
    problems: dict[str, str] = {}
    if not record.external_number.strip():
        problems["external_number"] = EXTERNAL_NUMBER_NEEDED
    if record.external_date is None or record.external_date > calendar.local_day(now):
        problems["external_date"] = EXTERNAL_DATE_NEEDED
    if problems:
        raise ValidationFailed(next(iter(problems.values())), fields=problems)
    request.external_number = record.external_number.strip()[:100]
    request.external_issued_on = record.external_date
    data.update(external_number=request.external_number,
                external_date=request.external_issued_on.isoformat(),
                external_system=request.service_version.external_system)


def _mark_file_complete(session: Session, actor: User, task: Task, request: ServiceRequest,
                        now: datetime, calendar: CityCalendar) -> None:
    """A step that declares the file complete starts the clock of a service counted from then."""
    if not task.step.marks_complete or request.file_complete_at is not None:
        return
    request.file_complete_at = now
    version = request.service_version
    data: dict[str, object] = {}
    if version.clock_start is ClockStart.COMPLETE_FILE:
        request.due_at = calendar.due_at(now, version.duration_days, calendar.holidays(session))
        data["request_due_at"] = request.due_at.isoformat()
    record_event(session, request, "file_complete", now=now, from_status=request.status,
                 actor=actor, task=task, data=data)


def needs_record(task: Task) -> dict[str, bool]:
    """Which records approving this task asks of the clerk (for the clerk page)."""
    version = task.request.service_version
    last_stage = max(t.stage for t in task.request.tasks)
    return {
        "fee": task.step.assesses_fee and version.fee_kind is FeeKind.ASSESSED,
        "external": version.product_kind is ProductKind.EXTERNAL and task.stage == last_stage,
        "decision": signing_stage(task.request, task.stage + 1),
    }


def approve_task(session: Session, *, actor: User, task_id: int, note: str = "",
                 record: StepRecord | None = None, now: datetime | None = None,
                 calendar: CityCalendar = DEFAULT_CALENDAR, city: str = "") -> Task:
    """Approve a task; a finished stage opens the next one, and the last stage's approval
    approves the request and yields its product: a document issued here, or the number of an
    external one. When the next stage is the signing stage, the approval prepares the draft
    decision the official signs (the request is issued only when signed)."""
    now = now or utcnow()
    record = record or StepRecord()
    task, request = workable_task(session, actor, task_id, Action.APPROVE)
    version = request.service_version
    before = request.status
    data: dict[str, object] = {"stage": task.stage, "product_kind": version.product_kind.value}
    _record_fee(session, actor, task, request, record, now)
    _finish(task, actor, TaskOutcome.APPROVED, note.strip(), now)
    session.flush()
    stages = _stages(request)
    finished = stage_finished(stages[task.stage])
    later = next_stage(stages, task.stage) if finished else None
    request.status = status_after(before, Action.APPROVE,
                                  request_finished=finished and later is None)
    _mark_file_complete(session, actor, task, request, now, calendar)
    if later is not None:
        _open_stage(session, request, later, now, calendar)
        data["next_stage"] = later
        if signing_stage(request, later):
            signer = next(t.agency for t in request.tasks if t.stage == later)
            draft = prepare_decision(session, request, signing_agency=signer,
                                     records=record.decision_records, now=now,
                                     tz=calendar.timezone, city=city)
            data["draft_number"] = draft.number
    if request.status is RequestStatus.APPROVED:
        request.closed_at = now
        note_decision(request, now=now, holidays=calendar.holidays(session),
                      tz=calendar.timezone)
        if version.product_kind is ProductKind.DOCUMENT:
            document = issue_document(session, request, agency=task.agency, now=now,
                                      tz=calendar.timezone)
            data["document_number"] = document.number
        elif version.product_kind is ProductKind.EXTERNAL:
            _record_external(request, record, now, calendar, data)
    kind = "request_approved" if request.status is RequestStatus.APPROVED else "task_approved"
    record_event(session, request, kind, now=now, from_status=before, actor=actor, task=task,
                 note=note.strip(), data=data)
    return task


def _close_open_tasks(request: ServiceRequest, except_task: Task) -> None:
    for other in request.tasks:
        if other is not except_task and other.status in UNFINISHED_TASK_STATUSES:
            move_task(other, TaskStatus.SKIPPED)
            other.claimed_by_id = None


def reject_task(session: Session, *, actor: User, task_id: int, reason: str,
                now: datetime | None = None,
                calendar: CityCalendar = DEFAULT_CALENDAR) -> Task:
    """Reject the task and with it the request, giving the citizen the reason."""
    reason = _required(reason, "reason", "task.rejection_reason_needed")
    now = now or utcnow()
    task, request = workable_task(session, actor, task_id, Action.REJECT)
    before = request.status
    _finish(task, actor, TaskOutcome.REJECTED, reason, now)
    _close_open_tasks(request, task)
    request.status = status_after(before, Action.REJECT)
    request.closed_at = now
    note_decision(request, now=now, holidays=calendar.holidays(session), tz=calendar.timezone)
    record_event(session, request, "request_rejected", now=now, from_status=before, actor=actor,
                 task=task, note=reason, public_note=True)
    return task


def return_for_information(session: Session, *, actor: User, task_id: int, note: str,
                           fields: list[str] | None = None,
                           now: datetime | None = None) -> Task:
    """Ask the citizen for more information: the task waits, the request needs info and its
    SLA clock stops until the citizen answers."""
    note = _required(note, "note", "task.information_needed")
    now = now or utcnow()
    task, request = workable_task(session, actor, task_id, Action.RETURN)
    before = request.status
    known = {f.key for f in request.service_version.fields}
    asked = [key for key in (fields or []) if key in known]
    move_task(task, TaskStatus.WAITING)
    task.claimed_by_id = task.claimed_by_id or actor.id
    task.claimed_at = task.claimed_at or now
    task.note = note
    request.status = status_after(before, Action.RETURN)
    request.clock_stopped_at = now
    request.returned_for_info = True
    record_event(session, request, "information_requested", now=now, from_status=before,
                 actor=actor, task=task, note=note, public_note=True, data={"fields": asked})
    return task


def forward_task(session: Session, *, actor: User, task_id: int, to_agency: str, note: str = "",
                 now: datetime | None = None) -> Task:
    """Hand the task to another agency the step allows; the new task keeps the deadline."""
    now = now or utcnow()
    task, request = workable_task(session, actor, task_id, Action.FORWARD)
    if to_agency not in forward_targets(task):
        raise NotAllowed("task.forward_not_allowed")
    target = session.scalar(select(Agency).where(Agency.code == to_agency, Agency.active))
    if target is None:
        raise ValidationFailed("agency.no_such_agency", fields={"to_agency": "agency.no_such_agency"})
    before = request.status
    _finish(task, actor, TaskOutcome.FORWARDED, note.strip(), now)
    forwarded = Task(request=request, step=task.step, agency=target, stage=task.stage,
                     status=TaskStatus.READY, ready_at=now, due_at=task.due_at)
    session.add(forwarded)
    request.status = status_after(before, Action.FORWARD)
    session.flush()
    record_event(session, request, "task_forwarded", now=now, from_status=before, actor=actor,
                 task=forwarded, note=note.strip(),
                 data={"from_agency": task.agency.code, "from_task": task.id})
    return forwarded


def complete_request(session: Session, *, actor: User, tracking_code: str, note: str = "",
                     now: datetime | None = None) -> ServiceRequest:
    """Record that the citizen received the product: the request is completed."""
    now = now or utcnow()
    request = request_for_staff(session, actor, tracking_code)
    request = lock_request(session, request.id)
    before = request.status
    request.status = status_after(before, Action.COMPLETE)
    request.closed_at = now
    record_event(session, request, "request_completed", now=now, from_status=before,
                 actor=actor, note=note.strip())
    return request
