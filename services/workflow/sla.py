"""SLA clocks: stopping while the citizen is asked for more, extending, and the overdue sweep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.clock import utcnow
from services.errors import ValidationFailed
from services.models import Event, ServiceRequest, Task, User
from services.workflow.access import require_supervisor, task_for_staff
from services.workflow.actions import require_action
from services.workflow.history import record_event
from services.workflow.locks import lock_request
from services.workflow.transitions import (
    ACTIVE,
    UNFINISHED_TASK_STATUSES,
    Action,
)
from services.working_days import DaysOff, DaysOffLike, shift_due_at, stopped_working_days

MAX_EXTENSION_DAYS = 60
# When every open deadline has passed, the citizen is promised this many more working days.
OVERDUE_GRACE_DAYS = 3


def resume_clock(session: Session, request: ServiceRequest, *, now: datetime,
                 calendar: CityCalendar) -> int:
    """Start the stopped clock again, moving every open deadline of the request by the working
    days it stood still; return that number of days."""
    if request.clock_stopped_at is None:
        return 0
    days_off, tz = calendar.days_off(session), calendar.timezone
    stopped = stopped_working_days(request.clock_stopped_at, now, days_off, tz)
    if request.due_at is not None:
        request.due_at = shift_due_at(request.due_at, stopped, days_off, tz)
    for task in request.tasks:
        if task.status in UNFINISHED_TASK_STATUSES and task.due_at is not None:
            task.due_at = shift_due_at(task.due_at, stopped,
                                       calendar.days_off(session, task.agency), tz)
    request.clock_stopped_at = None
    request.stopped_days = (request.stopped_days or 0) + stopped
    return stopped


def extend_deadline(session: Session, *, actor: User, task_id: int, days: int, reason: str,
                    now: datetime | None = None,
                    calendar: CityCalendar = DEFAULT_CALENDAR) -> Task:
    """A supervisor gives a task (and with it the request) more working days, with a reason."""
    require_supervisor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("sla.reason_needed", fields={"reason": "sla.reason_needed"})
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationFailed("sla.days_range", fields={"days": "sla.days_range"})
    now = now or utcnow()
    task = task_for_staff(session, actor, task_id, lock=True)
    request = lock_request(session, task.request_id)
    require_action(task, request, actor, Action.EXTEND)
    tz = calendar.timezone
    task.due_at = shift_due_at(task.due_at, days, calendar.days_off(session, task.agency), tz)
    if request.due_at is not None:
        request.due_at = shift_due_at(request.due_at, days, calendar.days_off(session), tz)
    if task.due_at > now:
        task.overdue_since = None
    record_event(session, request, "deadline_extended", now=now, from_status=request.status,
                 actor=actor, task=task, note=reason, public_note=True,
                 data={"days": days, "task_due_at": task.due_at.isoformat(),
                       "request_due_at": request.due_at.isoformat() if request.due_at else None})
    return task


@dataclass(frozen=True)
class SweepResult:
    tasks: list[Task]
    requests: list[ServiceRequest]

    @property
    def request_ids(self) -> list[int]:
        """One entry per event written: the request of each task, then each late request."""
        return [t.request_id for t in self.tasks] + [r.id for r in self.requests]


def expected_completion(request: ServiceRequest, *, now: datetime, days_off: DaysOffLike,
                        tz: str) -> datetime:
    """The new date a late request is expected by: its latest open step deadline still ahead,
    else a few working days from now."""
    ahead = [t.due_at for t in request.tasks
             if t.status in UNFINISHED_TASK_STATUSES and t.due_at is not None and t.due_at > now]
    return max(ahead) if ahead else shift_due_at(now, OVERDUE_GRACE_DAYS, days_off, tz)


def sweep_overdue(session: Session, *, now: datetime | None = None,
                  calendar: CityCalendar = DEFAULT_CALENDAR) -> SweepResult:
    """Escalate, once each, every ready or claimed task past its step deadline and every request
    past its overall deadline, with an event for the agency's supervisors; a step that carries
    deemed approval (fiktif positif) records that it is deemed approved. Work waiting on the
    citizen is not overdue: its clock is stopped."""
    now = now or utcnow()
    overdue = list(session.scalars(
        select(Task).join(ServiceRequest, Task.request_id == ServiceRequest.id)
        .where(Task.overdue_at(now),
               Task.overdue_since.is_(None), ServiceRequest.status.in_(ACTIVE))
        .order_by(Task.id).with_for_update(of=Task, skip_locked=True)
    ))
    for task in overdue:
        task.overdue_since = now
        request = task.request
        record_event(session, request, "task_escalated", now=now, from_status=request.status,
                     task=task, actor_label="SLA", internal=True,
                     data={"due_at": task.due_at.isoformat() if task.due_at else None,
                           "claimed_by": task.claimed_by.full_name if task.claimed_by else None})
        if task.step.deemed_approval:
            # Fiktif positif (PP 28/2025): a business-permit step past its SLA is deemed
            # approved; the event is the record the applicant and the agency can rely on.
            record_event(session, request, "deemed_approved", now=now,
                         from_status=request.status, task=task, actor_label="SLA",
                         data={"due_at": task.due_at.isoformat() if task.due_at else None,
                               "step": task.step.name_id})
    already = exists().where(Event.request_id == ServiceRequest.id,
                             Event.kind == "request_overdue")
    late = list(session.scalars(
        select(ServiceRequest)
        .where(ServiceRequest.status.in_(ACTIVE), ServiceRequest.due_at < now,
               ServiceRequest.clock_stopped_at.is_(None), ~already)
        .order_by(ServiceRequest.id).with_for_update(skip_locked=True)
    ))
    days_off = calendar.days_off(session) if late else DaysOff()
    for request in late:
        expected = expected_completion(request, now=now, days_off=days_off,
                                       tz=calendar.timezone)
        record_event(session, request, "request_overdue", now=now, from_status=request.status,
                     actor_label="SLA", internal=True,
                     data={"due_at": request.due_at.isoformat() if request.due_at else None,
                           "expected_at": expected.isoformat()})
    return SweepResult(overdue, late)
