"""Who may see and act on what: a clerk sees only requests holding a task for their agency."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from services.codes import normalise_tracking_code
from services.errors import NotAllowed, NotFound
from services.models import Role, ServiceRequest, Task, TaskStatus, User
from services.workflow.actions import works_a_queue
from services.workflow.transitions import OPEN_TASK_STATUSES


def agency_of(actor: User) -> int:
    """The agency a clerk or supervisor works for; anyone else may not use the queues."""
    if not works_a_queue(actor) or actor.agency_id is None:
        raise NotAllowed("queue.staff_only")
    return actor.agency_id


def require_supervisor(actor: User) -> int:
    agency_id = agency_of(actor)
    if actor.role is not Role.SUPERVISOR:
        raise NotAllowed("queue.supervisor_only")
    return agency_id


def holds_task_for(agency_id: int):  # type: ignore[no-untyped-def]
    """A SQL condition: the request has a task (skipped ones aside) in this agency's queue."""
    return exists().where(
        Task.request_id == ServiceRequest.id,
        Task.agency_id == agency_id,
        Task.status != TaskStatus.SKIPPED,
    )


def request_for_staff(session: Session, actor: User, tracking_code: str) -> ServiceRequest:
    """The request, if the actor's agency holds a task for it; otherwise NotFound, so another
    agency's requests cannot even be confirmed to exist."""
    agency_id = agency_of(actor)
    code = normalise_tracking_code(tracking_code)
    request = None
    if code is not None:
        request = session.scalar(
            select(ServiceRequest).where(ServiceRequest.tracking_code == code,
                                         holds_task_for(agency_id))
        )
    if request is None:
        raise NotFound("queue.no_such_request")
    return request


def task_for_staff(session: Session, actor: User, task_id: int, *, lock: bool = False) -> Task:
    """The task, if it is in the actor's agency's queue; otherwise NotFound."""
    agency_id = agency_of(actor)
    query = select(Task).where(Task.id == task_id, Task.agency_id == agency_id,
                               Task.status != TaskStatus.SKIPPED)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    task = session.scalar(query)
    if task is None:
        raise NotFound("queue.no_such_task")
    return task


def actionable_tasks(request: ServiceRequest, actor: User) -> list[Task]:
    """The request's open tasks in the actor's agency: the ones their page offers actions on."""
    agency_id = agency_of(actor)
    return [t for t in request.tasks if t.agency_id == agency_id and t.status in OPEN_TASK_STATUSES]
