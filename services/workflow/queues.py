"""An agency's queue: claiming the most urgent ready task, releasing, reassigning, and listing.

A claim never hands one task to two clerks: on PostgreSQL the candidate row is taken with
SELECT ... FOR UPDATE SKIP LOCKED, so concurrent clerks pass over each other's rows; on SQLite
every write transaction begins IMMEDIATE and so runs alone. In both, the claim itself is a
conditional UPDATE (only while the task is still ready) whose row count is checked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select, text, tuple_, update
from sqlalchemy.orm import Session, joinedload, selectinload

from services.clock import utcnow
from services.codes import normalise_tracking_code
from services.errors import InvalidTransition, NotFound
from services.models import (
    Service,
    ServiceRequest,
    ServiceVersion,
    Task,
    TaskStatus,
    User,
    WorkflowStep,
)
from services.workflow.access import agency_of, require_supervisor, task_for_staff
from services.workflow.actions import STAFF_ROLES, require_action
from services.workflow.history import record_event
from services.workflow.locks import lock_request
from services.workflow.transitions import (
    ACTIVE,
    Action,
    move_task,
    next_task_status,
    status_after,
)

CLAIM_ATTEMPTS = 5
VIEWS = ("ready", "mine", "overdue", "waiting")


def clerk_work():  # type: ignore[no-untyped-def]
    """A SQL condition: the task is clerks' work, not a ``sign`` step (which only the agency's
    signing official sees, in the signing queue)."""
    return ~exists().where(WorkflowStep.id == Task.step_id, WorkflowStep.signs)


def _ready_in(agency_id: int, service_code: str | None = None) -> Select[Any]:
    query = (
        select(Task.id)
        .join(ServiceRequest, Task.request_id == ServiceRequest.id)
        .where(Task.agency_id == agency_id, Task.status == TaskStatus.READY,
               ServiceRequest.status.in_(ACTIVE), clerk_work())
    )
    if service_code:
        query = _for_service(query, service_code)
    return query


def _for_service(query: Select[Any], service_code: str) -> Select[Any]:
    return (query.join(ServiceVersion, ServiceRequest.service_version_id == ServiceVersion.id)
            .join(Service, ServiceVersion.service_id == Service.id)
            .where(Service.code == service_code))


def _mark_claimed(session: Session, task: Task, actor: User, before_claim: TaskStatus,
                  kind: str, now: datetime, note: str = "",
                  by: User | None = None) -> Task:
    """Move the request along with the claim and write the claim's one event."""
    request = lock_request(session, task.request_id)
    if request.status not in ACTIVE:
        raise InvalidTransition("queue.request_not_active")
    return _record_claim(session, request, task, actor, before_claim, kind, now, note, by)


def _record_claim(session: Session, request: ServiceRequest, task: Task, actor: User,
                  before_claim: TaskStatus, kind: str, now: datetime, note: str = "",
                  by: User | None = None) -> Task:
    before = request.status
    request.status = status_after(before, Action.CLAIM)
    record_event(session, request, kind, now=now, from_status=before, actor=by or actor,
                 task=task, note=note, internal=request.status is before,
                 data={"claimed_by": actor.full_name, "was": before_claim.value})
    return task


def _lock_active_request(session: Session, request_id: int) -> ServiceRequest | None:
    """The request, locked, if it is still being worked on (one round trip)."""
    request = session.scalar(
        select(ServiceRequest).where(ServiceRequest.id == request_id,
                                     ServiceRequest.status.in_(ACTIVE))
        .with_for_update().execution_options(populate_existing=True)
    )
    if request is not None:
        session.expire(request, ["tasks"])  # siblings may have changed elsewhere
    return request


def claim_next_task(session: Session, *, actor: User, service_code: str | None = None,
                    now: datetime | None = None) -> Task | None:
    """Give the clerk the most urgent ready task of their agency (earliest due first), or None
    when the queue is empty. Not committed: the caller commits, which ends the row locks.

    One statement picks and claims the task: ``UPDATE task ... WHERE id = (SELECT ... FOR UPDATE
    SKIP LOCKED LIMIT 1) RETURNING ...`` on PostgreSQL (the partial index ``ix_task_ready``
    serves the pick); on SQLite the same UPDATE runs in a BEGIN IMMEDIATE transaction, alone.
    Then the request is locked and the claim's event written, in the same transaction."""
    agency_id = agency_of(actor)
    now = now or utcnow()
    relax_commit_durability(session)
    for _attempt in range(CLAIM_ATTEMPTS):
        candidate = (_ready_in(agency_id, service_code).order_by(Task.due_at, Task.id).limit(1)
                     .with_for_update(of=Task, skip_locked=True).correlate(None)
                     .scalar_subquery())
        task = session.scalars(
            update(Task).where(Task.id == candidate, Task.status == TaskStatus.READY)
            .values(status=next_task_status(TaskStatus.READY, TaskStatus.CLAIMED),
                    claimed_by_id=actor.id, claimed_at=now)
            .returning(Task),
            execution_options={"synchronize_session": False, "populate_existing": True},
        ).one_or_none()
        if task is None:
            return None
        request = _lock_active_request(session, task.request_id)
        if request is not None:
            return _record_claim(session, request, task, actor, TaskStatus.READY,
                                 "task_claimed", now)
        # The request began waiting on the citizen after the candidate was chosen.
        move_task(task, TaskStatus.READY)
        task.claimed_by_id, task.claimed_at = None, None
        session.flush()
    return None


def relax_commit_durability(session: Session) -> None:
    """On PostgreSQL, let this transaction's COMMIT return before its WAL reaches the disk
    (``synchronous_commit = off`` for this transaction only): the flush was a third of a claim.
    A crash in the next fraction of a second can lose the claim together with its event, never
    one without the other, and the task is simply ready again; nothing a citizen sent is
    written this way."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))


def claim_task(session: Session, *, actor: User, task_id: int,
               now: datetime | None = None) -> Task:
    """Claim one particular ready task of the clerk's agency (picked from the list)."""
    now = now or utcnow()
    task = task_for_staff(session, actor, task_id, lock=True)
    if task.status is TaskStatus.CLAIMED and task.claimed_by_id == actor.id:
        return task
    require_action(task, lock_request(session, task.request_id), actor, Action.CLAIM)
    move_task(task, TaskStatus.CLAIMED)
    task.claimed_by_id, task.claimed_at = actor.id, now
    return _mark_claimed(session, task, actor, TaskStatus.READY, "task_claimed", now)


def release_task(session: Session, *, actor: User, task_id: int, note: str = "",
                 now: datetime | None = None) -> Task:
    """Put a claimed task back in the queue (its holder or a supervisor may)."""
    now = now or utcnow()
    task = task_for_staff(session, actor, task_id, lock=True)
    request = lock_request(session, task.request_id)
    require_action(task, request, actor, Action.RELEASE)
    move_task(task, TaskStatus.READY)
    task.claimed_by_id, task.claimed_at = None, None
    record_event(session, request, "task_released", now=now, from_status=request.status,
                 actor=actor, task=task, note=note.strip(), internal=True)
    return task


def reassign_task(session: Session, *, actor: User, task_id: int, to_user_id: int,
                  note: str = "", now: datetime | None = None) -> Task:
    """A supervisor gives a ready or claimed task to a clerk of the same agency."""
    agency_id = require_supervisor(actor)
    now = now or utcnow()
    task = task_for_staff(session, actor, task_id, lock=True)
    clerk = session.get(User, to_user_id)
    if (clerk is None or clerk.agency_id != agency_id or not clerk.active
            or clerk.role not in STAFF_ROLES):
        raise NotFound("queue.no_such_clerk")
    require_action(task, lock_request(session, task.request_id), actor, Action.REASSIGN)
    before = task.status
    move_task(task, TaskStatus.CLAIMED)
    task.claimed_by_id, task.claimed_at = clerk.id, now
    return _mark_claimed(session, task, clerk, before, "task_reassigned", now, note.strip(),
                         by=actor)


PAGE_SIZE = 25


@dataclass(frozen=True)
class QueueFilter:
    view: str = "ready"
    service_code: str | None = None
    tracking_code: str | None = None
    limit: int = PAGE_SIZE
    after: int | None = None  # the id of the last task on the page before: the list goes on from it


@dataclass(frozen=True)
class QueuePage:
    rows: list[Task]
    next_after: int | None  # where the next page starts, or None on the last page


def agency_queue(session: Session, *, actor: User, filters: QueueFilter = QueueFilter(),
                 now: datetime | None = None) -> list[Task]:
    """The agency's tasks for one view of its queue, most urgent first."""
    agency_id = agency_of(actor)
    now = now or utcnow()
    query = (select(Task).join(ServiceRequest, Task.request_id == ServiceRequest.id)
             .where(Task.agency_id == agency_id, clerk_work()))
    if filters.tracking_code is not None:
        code = normalise_tracking_code(filters.tracking_code)
        query = query.where(ServiceRequest.tracking_code == (code or "-"),
                            Task.status != TaskStatus.SKIPPED)
    elif filters.view == "mine":
        query = query.where(Task.status == TaskStatus.CLAIMED, Task.claimed_by_id == actor.id)
    elif filters.view == "overdue":
        query = query.where(Task.overdue_at(now))
    elif filters.view == "waiting":
        query = query.where(Task.status == TaskStatus.WAITING)
    else:
        query = query.where(Task.status == TaskStatus.READY, ServiceRequest.status.in_(ACTIVE))
    if filters.service_code:
        query = _for_service(query, filters.service_code)
    if filters.after is not None:
        query = _after(session, query, agency_id, filters.after)
    query = query.order_by(Task.due_at, Task.id).limit(filters.limit).options(
        # A page's rows share a few versions and steps: each is read (and its JSON parsed) once.
        joinedload(Task.request).selectinload(ServiceRequest.service_version),
        selectinload(Task.step), joinedload(Task.claimed_by),
    )
    return list(session.scalars(query).unique())


def queue_page(session: Session, *, actor: User, filters: QueueFilter = QueueFilter(),
               now: datetime | None = None) -> QueuePage:
    """One page of a view of the queue, and where the next one starts."""
    rows = agency_queue(session, actor=actor, filters=replace(filters, limit=filters.limit + 1),
                        now=now)
    more = len(rows) > filters.limit
    rows = rows[:filters.limit]
    return QueuePage(rows=rows, next_after=rows[-1].id if more else None)


def _after(session: Session, query: Select[Any], agency_id: int, task_id: int) -> Select[Any]:
    """The tasks that come after ``task_id`` in the queue's order (most urgent first). The order
    is by deadline then id, so a page boundary never skips or repeats a task, even when tasks
    are claimed between pages; a task of another agency is no place to start from."""
    due_at = session.scalar(select(Task.due_at).where(Task.id == task_id,
                                                      Task.agency_id == agency_id))
    if due_at is None:
        return query
    return query.where(tuple_(Task.due_at, Task.id) > tuple_(due_at, task_id))


COUNT_CAP = 1000  # a tab says "1000+" rather than count a city's whole backlog on each load


def queue_counts(session: Session, *, actor: User, now: datetime | None = None) -> dict[str, int]:
    """How many tasks each view of the queue holds, counted up to COUNT_CAP."""
    agency_id = agency_of(actor)
    now = now or utcnow()
    mine = (Task.agency_id == agency_id) & clerk_work()
    views = {
        "ready": _ready_in(agency_id),
        "mine": select(Task.id).where(mine, Task.status == TaskStatus.CLAIMED,
                                      Task.claimed_by_id == actor.id),
        "overdue": select(Task.id).where(
            mine, Task.overdue_at(now)),
        "waiting": select(Task.id).where(mine, Task.status == TaskStatus.WAITING),
    }
    capped = [select(func.count()).select_from(query.limit(COUNT_CAP).subquery())
              .scalar_subquery().label(view) for view, query in views.items()]
    counts = session.execute(select(*capped)).one()  # the four in one round trip
    return {view: getattr(counts, view) or 0 for view in views}


def agency_staff(session: Session, *, actor: User) -> list[User]:
    """The clerks and supervisors a supervisor can reassign work to."""
    agency_id = require_supervisor(actor)
    return list(session.scalars(
        select(User).where(User.agency_id == agency_id, User.active,
                           User.role.in_(STAFF_ROLES))
        .order_by(User.full_name)
    ))

