"""Builders for the IKM tests: a finished request, and nine answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from services.models import ServiceRequest, User
from services.workflow.queues import claim_task
from services.workflow.tasks import approve_task, reject_task
from tests.builders.workflow import WEDNESDAY, make_city, open_task, submit

ANSWERS = {f"u{i}": "4" for i in range(1, 10)} | {"u3": "2"}  # the IKM of these: 88.89, A


def finish_sktm(session: Session, staff: dict[str, User], *, approve: bool = True,
                now: datetime = WEDNESDAY, kiosk_id: int | None = None
                ) -> tuple[ServiceRequest, str]:
    """An SKTM request decided by Kecamatan Utara (approved, or rejected); it and its PIN."""
    request, pin = submit(session, "SKTM", now=now)
    if kiosk_id is not None:
        request.kiosk_id = kiosk_id
        session.flush()
    clerk = staff["clerk.kec-utara"]
    task = open_task(session, request, "KEC-UTARA")
    claim_task(session, actor=clerk, task_id=task.id, now=now)
    if approve:
        approve_task(session, actor=clerk, task_id=task.id, now=now)
    else:
        reject_task(session, actor=clerk, task_id=task.id, reason="Data tidak lengkap.", now=now)
    session.commit()
    return request, pin


def finished_city(session: Session, **options: object) -> tuple[ServiceRequest, str]:
    return finish_sktm(session, make_city(session), **options)  # type: ignore[arg-type]
