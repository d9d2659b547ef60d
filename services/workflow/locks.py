"""Row locks a use case takes before it changes a request: its open tasks first, in id order,
then the request, so two use cases never wait on each other."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models import ServiceRequest, Task
from services.workflow.transitions import OPEN_TASK_STATUSES


def lock_open_tasks(session: Session, request_id: int) -> list[Task]:
    """Lock the request's ready, claimed and waiting tasks, always in id order, before the
    request itself: every use case that touches more than one task takes its locks this way,
    so two of them never wait on each other (a claim holds at most one task)."""
    return list(session.scalars(
        select(Task).where(Task.request_id == request_id,
                           Task.status.in_(OPEN_TASK_STATUSES))
        .order_by(Task.id).with_for_update().execution_options(populate_existing=True)
    ))


def lock_request(session: Session, request_id: int) -> ServiceRequest:
    """Read the request afresh and hold it until the transaction ends (tasks are locked first)."""
    request = session.scalar(
        select(ServiceRequest).where(ServiceRequest.id == request_id)
        .with_for_update().execution_options(populate_existing=True)
    )
    assert request is not None
    # Sibling tasks may have changed in other transactions since this session last read them.
    session.expire(request, ["tasks"])
    session.execute(select(Task).where(Task.request_id == request_id)
                    .execution_options(populate_existing=True)).all()
    return request
