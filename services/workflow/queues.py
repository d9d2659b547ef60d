"""An agency's queue: claiming the most urgent ready task, releasing, reassigning, and listing.

A claim never hands one task to two clerks: on PostgreSQL the candidate row is taken with
SELECT ... FOR UPDATE SKIP LOCKED, so concurrent clerks pass over each other's rows; on SQLite
every write transaction begins IMMEDIATE and so runs alone. In both, the claim itself is a
conditional UPDATE (only while the task is still ready) whose row count is checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, joinedload

from services.codes import normalise_tracking_code
from services.db import utcnow
from services.errors import Conflict, InvalidTransition, NotAllowed, NotFound
from services.models import (
    Role,
    Service,
    ServiceRequest,
    ServiceVersion,
    Task,
    TaskStatus,
    User,
)
from services.workflow.access import agency_of, require_supervisor, task_for_staff
from services.workflow.history import lock_request, record_event
from services.workflow.tasks import ACTIVE
from services.workflow.transitions import status_after

CLAIM_ATTEMPTS = 5
VIEWS = ("ready", "mine", "overdue", "waiting")


def _ready_in(agency_id: int, service_code: str | None = None) -> Select[Any]:
    query = (
        select(Task.id)
        .join(ServiceRequest, Task.request_id == ServiceRequest.id)
        .where(Task.agency_id == agency_id, Task.status == TaskStatus.READY,
               ServiceRequest.status.in_(ACTIVE))
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
    before = request.status
    if before not in ACTIVE:
        raise InvalidTransition("queue.request_not_active")
    request.status = status_after(before, "claim")
    record_event(session, request, kind, now=now, from_status=before, actor=by or actor,
                 task=task, note=note, internal=request.status is before,
                 data={"claimed_by": actor.full_name, "was": before_claim.value})
    return task


def claim_next_task(session: Session, *, actor: User, service_code: str | None = None,
                    now: datetime | None = None) -> Task | None:
    """Give the clerk the most urgent ready task of their agency (earliest due first), or None
    when the queue is empty. Not committed: the caller commits, which ends the row lock."""
    agency_id = agency_of(actor)
    now = now or utcnow()
    for _attempt in range(CLAIM_ATTEMPTS):
        candidate = session.scalar(
            _ready_in(agency_id, service_code).order_by(Task.due_at, Task.id).limit(1)
            .with_for_update(of=Task, skip_locked=True)
        )
        if candidate is None:
            return None
        claimed = session.execute(
            update(Task).where(Task.id == candidate, Task.status == TaskStatus.READY)
            .values(status=TaskStatus.CLAIMED, claimed_by_id=actor.id, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            task = session.scalar(select(Task).where(Task.id == candidate)
                                  .execution_options(populate_existing=True))
            assert task is not None
            if lock_request(session, task.request_id).status in ACTIVE:
                return _mark_claimed(session, task, actor, TaskStatus.READY, "task_claimed", now)
            # The request began waiting on the citizen after the candidate was chosen.
            task.status, task.claimed_by_id, task.claimed_at = TaskStatus.READY, None, None
    return None


def claim_task(session: Session, *, actor: User, task_id: int,
               now: datetime | None = None) -> Task:
    """Claim one particular ready task of the clerk's agency (picked from the list)."""
    now = now or utcnow()
    task = task_for_staff(session, actor, task_id, lock=True)
    if task.status is TaskStatus.CLAIMED and task.claimed_by_id == actor.id:
        return task
    if task.status is not TaskStatus.READY:
        raise Conflict("queue.task_not_waiting")
    task.status, task.claimed_by_id, task.claimed_at = TaskStatus.CLAIMED, actor.id, now
    return _mark_claimed(session, task, actor, TaskStatus.READY, "task_claimed", now)


def release_task(session: Session, *, actor: User, task_id: int, note: str = "",
                 now: datetime | None = None) -> Task:
    """Put a claimed task back in the queue (its holder or a supervisor may)."""
    now = now or utcnow()
    task = task_for_staff(session, actor, task_id, lock=True)
    if task.status is not TaskStatus.CLAIMED:
        raise InvalidTransition("queue.release_claimed_only")
    if task.claimed_by_id != actor.id and actor.role is not Role.SUPERVISOR:
        raise NotAllowed("queue.release_holder_only")
    task.status, task.claimed_by_id, task.claimed_at = TaskStatus.READY, None, None
    request = lock_request(session, task.request_id)
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
            or clerk.role not in (Role.CLERK, Role.SUPERVISOR)):
        raise NotFound("queue.no_such_clerk")
    if task.status not in (TaskStatus.READY, TaskStatus.CLAIMED):
        raise InvalidTransition("queue.reassign_open_only")
    before = task.status
    task.status, task.claimed_by_id, task.claimed_at = TaskStatus.CLAIMED, clerk.id, now
    return _mark_claimed(session, task, clerk, before, "task_reassigned", now, note.strip(),
                         by=actor)


@dataclass(frozen=True)
class QueueFilter:
    view: str = "ready"
    service_code: str | None = None
    tracking_code: str | None = None
    limit: int = 100


def agency_queue(session: Session, *, actor: User, filters: QueueFilter = QueueFilter(),
                 now: datetime | None = None) -> list[Task]:
    """The agency's tasks for one view of its queue, most urgent first."""
    agency_id = agency_of(actor)
    now = now or utcnow()
    query = (select(Task).join(ServiceRequest, Task.request_id == ServiceRequest.id)
             .where(Task.agency_id == agency_id))
    if filters.tracking_code is not None:
        code = normalise_tracking_code(filters.tracking_code)
        query = query.where(ServiceRequest.tracking_code == (code or "-"),
                            Task.status != TaskStatus.SKIPPED)
    elif filters.view == "mine":
        query = query.where(Task.status == TaskStatus.CLAIMED, Task.claimed_by_id == actor.id)
    elif filters.view == "overdue":
        query = query.where(Task.status.in_((TaskStatus.READY, TaskStatus.CLAIMED)),
                            Task.due_at < now)
    elif filters.view == "waiting":
        query = query.where(Task.status == TaskStatus.WAITING)
    else:
        query = query.where(Task.status == TaskStatus.READY, ServiceRequest.status.in_(ACTIVE))
    if filters.service_code:
        query = _for_service(query, filters.service_code)
    query = query.order_by(Task.due_at, Task.id).limit(filters.limit).options(
        joinedload(Task.request).joinedload(ServiceRequest.service_version),
        joinedload(Task.step), joinedload(Task.claimed_by),
    )
    return list(session.scalars(query).unique())


COUNT_CAP = 1000  # a tab says "1000+" rather than count a city's whole backlog on each load


def queue_counts(session: Session, *, actor: User, now: datetime | None = None) -> dict[str, int]:
    """How many tasks each view of the queue holds, counted up to COUNT_CAP."""
    agency_id = agency_of(actor)
    now = now or utcnow()
    mine = Task.agency_id == agency_id
    views = {
        "ready": _ready_in(agency_id),
        "mine": select(Task.id).where(mine, Task.status == TaskStatus.CLAIMED,
                                      Task.claimed_by_id == actor.id),
        "overdue": select(Task.id).where(
            mine, Task.status.in_((TaskStatus.READY, TaskStatus.CLAIMED)), Task.due_at < now),
        "waiting": select(Task.id).where(mine, Task.status == TaskStatus.WAITING),
    }
    return {
        view: session.scalar(select(func.count()).select_from(query.limit(COUNT_CAP).subquery()))
        or 0
        for view, query in views.items()
    }


def agency_staff(session: Session, *, actor: User) -> list[User]:
    """The clerks and supervisors a supervisor can reassign work to."""
    agency_id = require_supervisor(actor)
    return list(session.scalars(
        select(User).where(User.agency_id == agency_id, User.active,
                           User.role.in_((Role.CLERK, Role.SUPERVISOR)))
        .order_by(User.full_name)
    ))

