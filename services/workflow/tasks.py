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
from services.clock import utcnow
from services.documents import issue_document
from services.errors import NotAllowed, ValidationFailed
from services.models import (
    Agency,
    Bill,
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
from services.payments.bills import assessment_for, billing_of, issue_bill, require_paid
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
    for task in request.tasks:
        if task.stage == stage and task.status is TaskStatus.PENDING:
            move_task(task, TaskStatus.READY)
            task.ready_at = now
            task.due_at = calendar.due_at(now, task.step.sla_days,
                                          calendar.days_off(session, task.agency))


def _stages(request: ServiceRequest, approving: Task | None = None
            ) -> dict[int, list[TaskStatus]]:
    """Each stage's task statuses; the task being approved, if any, counted as done."""
    stages: dict[int, list[TaskStatus]] = defaultdict(list)
    for task in request.tasks:
        stages[task.stage].append(TaskStatus.DONE if task is approving else task.status)
    return stages


def approval_finishes_request(task: Task) -> bool:
    """Whether approving this task approves its request: its stage is then finished and no
    later stage has work (a conditional stage routed away has none)."""
    stages = _stages(task.request, approving=task)
    return stage_finished(stages[task.stage]) and next_stage(stages, task.stage) is None


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
                record: StepRecord, now: datetime, calendar: CityCalendar) -> Bill | None:
    """Record the fee the step assesses (by its tariff, or as the clerk states it) and, when
    there is one to pay, issue its bill (SKRD/SKPD)."""
    version = request.service_version
    if not (task.step.assesses_fee and version.fee_kind is FeeKind.ASSESSED):
        return None
    assessment = assessment_for(task, request, record.assessed_fee)
    request.assessed_fee = assessment.amount
    bill = None
    if assessment.amount > 0:
        bill = issue_bill(session, request=request, task=task, actor=actor,
                          assessment=assessment, now=now, calendar=calendar)
    reference = bill.number if bill else record.fee_reference.strip()[:100]
    if not reference:
        raise ValidationFailed(FEE_REFERENCE_NEEDED, fields={"fee_reference": FEE_REFERENCE_NEEDED})
    request.fee_reference = reference
    return bill


def _check_external(record: StepRecord, now: datetime, calendar: CityCalendar) -> None:
    problems: dict[str, str] = {}
    if not record.external_number.strip():
        problems["external_number"] = EXTERNAL_NUMBER_NEEDED
    if record.external_date is None or record.external_date > calendar.local_day(now):
        problems["external_date"] = EXTERNAL_DATE_NEEDED
    if problems:
        raise ValidationFailed(next(iter(problems.values())), fields=problems)


def _record_external(request: ServiceRequest, record: StepRecord,
                     data: dict[str, object]) -> None:
    assert record.external_date is not None  # _check_external saw to it
    request.external_number = record.external_number.strip()[:100]
    request.external_issued_on = record.external_date
    data.update(external_number=request.external_number,
                external_date=request.external_issued_on.isoformat(),
                external_system=request.service_version.external_system)


def mark_file_complete(session: Session, actor: User, task: Task, request: ServiceRequest,
                       now: datetime, calendar: CityCalendar,
                       data: dict[str, object] | None = None) -> None:
    """Declare the file complete ("berkas lengkap"), once: the clock of a service counted from
    a complete file starts then."""
    if request.file_complete_at is not None:
        return
    request.file_complete_at = now
    version = request.service_version
    data = dict(data or {})
    if version.clock_start is ClockStart.COMPLETE_FILE:
        request.due_at = calendar.due_at(now, version.duration_days, calendar.days_off(session))
        data["request_due_at"] = request.due_at.isoformat()
    record_event(session, request, "file_complete", now=now, from_status=request.status,
                 actor=actor, task=task, data=data)


def needs_record(task: Task) -> dict[str, bool]:
    """Which records approving this task asks of the clerk: the clerk page shows these inputs
    and approve_task demands exactly these."""
    version = task.request.service_version
    return {
        "fee": task.step.assesses_fee and version.fee_kind is FeeKind.ASSESSED
        and not billing_of(task).computed,
        "external": (version.product_kind is ProductKind.EXTERNAL
                     and approval_finishes_request(task)),
        "decision": signing_stage(task.request, task.stage + 1),
    }


def approve_task(session: Session, *, actor: User, task_id: int, note: str = "",
                 record: StepRecord | None = None, now: datetime | None = None,
                 calendar: CityCalendar = DEFAULT_CALENDAR, city: str = "") -> Task:
    """Approve a task; a finished stage opens the next one, and the last stage's approval
    approves the request and yields its product: a document issued here, or the number of an
    external one. An approval that assesses a fee to pay issues its bill instead: the request
    awaits payment, its clock stopped, and payment moves it on (services.payments).
    When the next stage is the signing stage, the approval prepares the draft decision the
    official signs (the request is issued only when signed)."""
    now = now or utcnow()
    record = record or StepRecord()
    task, request = workable_task(session, actor, task_id, Action.APPROVE)
    version = request.service_version
    before = request.status
    data: dict[str, object] = {"stage": task.stage, "product_kind": version.product_kind.value}
    if needs_record(task)["external"]:
        _check_external(record, now, calendar)  # before anything changes
    bill = _record_fee(session, actor, task, request, record, now, calendar)
    _finish(task, actor, TaskOutcome.APPROVED, note.strip(), now)
    session.flush()
    if bill is not None:
        request.status = status_after(before, Action.BILL)
        request.clock_stopped_at = now
        if task.step.marks_complete:
            mark_file_complete(session, actor, task, request, now, calendar)
        record_event(session, request, "fee_assessed", now=now, from_status=before, actor=actor,
                     task=task, note=note.strip(), data={**data, **bill_facts(bill)})
        return task
    if request.assessed_fee is not None and task.step.assesses_fee:
        record_event(session, request, "fee_assessed", now=now, from_status=before,
                     actor=actor, task=task, data={"assessed_fee": request.assessed_fee,
                                                   "fee_reference": request.fee_reference})
    request.status = status_after(before, Action.APPROVE,
                                  request_finished=move_on(session, request, task.stage, now=now,
                                                           calendar=calendar, data=data,
                                                           records=record.decision_records,
                                                           city=city))
    if task.step.marks_complete:  # approving this step declares the file complete
        mark_file_complete(session, actor, task, request, now, calendar)
    if request.status is RequestStatus.APPROVED:
        decide_request(session, request, agency=task.agency, record=record, now=now,
                       calendar=calendar, data=data)
    kind = "request_approved" if request.status is RequestStatus.APPROVED else "task_approved"
    record_event(session, request, kind, now=now, from_status=before, actor=actor, task=task,
                 note=note.strip(), data=data)
    return task


def bill_facts(bill: Bill) -> dict[str, object]:
    """What an event says of a bill: its number, amount, payment code and due date."""
    return {"assessed_fee": bill.amount, "fee_reference": bill.number,
            "bill_number": bill.number, "va_number": bill.va_number,
            "bill_due_at": bill.due_at.isoformat(), "bill_kind": bill.kind.value}


def move_on(session: Session, request: ServiceRequest, stage: int, *, now: datetime,
            calendar: CityCalendar, data: dict[str, object],
            records: Mapping[str, str] | None = None, city: str = "") -> bool:
    """After work on ``stage``: open the next stage with work when this one is finished, and
    say whether the request is finished (no stage left)."""
    stages = _stages(request)
    finished = stage_finished(stages[stage])
    later = next_stage(stages, stage) if finished else None
    if later is not None:
        _open_stage(session, request, later, now, calendar)
        data["next_stage"] = later
        if signing_stage(request, later):  # the approval prepares the draft the official signs
            signer = next(t.agency for t in request.tasks if t.stage == later)
            draft = prepare_decision(session, request, signing_agency=signer,
                                     records=records or {}, now=now, tz=calendar.timezone,
                                     city=city)
            data["draft_number"] = draft.number
    return finished and later is None


def decide_request(session: Session, request: ServiceRequest, *, agency: Agency,
                   record: StepRecord, now: datetime, calendar: CityCalendar,
                   data: dict[str, object]) -> None:
    """The approved request's decision: its figures, and its product (a document issued here,
    or an external one's number). Issuance follows payment: an unpaid bill refuses it."""
    require_paid(session, request)
    version = request.service_version
    request.closed_at = now
    note_decision(request, now=now, holidays=calendar.days_off(session), tz=calendar.timezone)
    if version.product_kind is ProductKind.DOCUMENT:
        document = issue_document(session, request, agency=agency, now=now,
                                  tz=calendar.timezone)
        data["document_number"] = document.number
    elif version.product_kind is ProductKind.EXTERNAL:
        _check_external(record, now, calendar)  # approve_task checked it; a payment did not
        _record_external(request, record, data)


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
    note_decision(request, now=now, holidays=calendar.days_off(session), tz=calendar.timezone)
    record_event(session, request, "request_rejected", now=now, from_status=before, actor=actor,
                 task=task, note=reason, public_note=True)
    return task


def return_for_information(session: Session, *, actor: User, task_id: int, note: str,
                           fields: list[str] | None = None, documents: list[str] | None = None,
                           now: datetime | None = None) -> Task:
    """Ask the citizen for more information (answers to change, ``documents`` to hand in
    again): the task waits, the request needs info and its SLA clock stops until the citizen
    answers."""
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
                 actor=actor, task=task, note=note, public_note=True,
                 data={"fields": asked, **({"documents": list(documents)} if documents else {})})
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
