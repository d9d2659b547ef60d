"""A supervisor's figures for their agency: backlog, overdue work, throughput, who holds what."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.clock import utcnow
from services.models import (
    ServiceRequest,
    ServiceVersion,
    Task,
    TaskOutcome,
    TaskStatus,
    User,
)
from services.workflow.access import require_supervisor
from services.workflow.transitions import OPEN_TASK_STATUSES


@dataclass
class AgencyFigures:
    open_by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    done_by_outcome: dict[str, int] = field(default_factory=dict)
    done_on_time: int = 0
    backlog_by_service: list[tuple[str, int, int]] = field(default_factory=list)
    held_by_clerk: list[tuple[str, int]] = field(default_factory=list)
    period_days: int = 30

    @property
    def done(self) -> int:
        return sum(self.done_by_outcome.values())

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.done_on_time / self.done) if self.done else None


def agency_figures(session: Session, *, actor: User, now: datetime | None = None,
                   period_days: int = 30, lang: str = "id") -> AgencyFigures:
    agency_id = require_supervisor(actor)
    now = now or utcnow()
    since = now - timedelta(days=period_days)
    mine = Task.agency_id == agency_id
    figures = AgencyFigures(period_days=period_days)
    for status, count in session.execute(
            select(Task.status, func.count()).where(mine, Task.status.in_(OPEN_TASK_STATUSES))
            .group_by(Task.status)):
        figures.open_by_status[status.value] = count
    figures.overdue = session.scalar(
        select(func.count()).select_from(Task).where(
            mine, Task.overdue_at(now))
    ) or 0
    for outcome, count in session.execute(
            select(Task.outcome, func.count()).where(mine, Task.status == TaskStatus.DONE,
                                                     Task.done_at >= since)
            .group_by(Task.outcome)):
        figures.done_by_outcome[(outcome or TaskOutcome.APPROVED).value] = count
    figures.done_on_time = session.scalar(
        select(func.count()).select_from(Task).where(
            mine, Task.status == TaskStatus.DONE, Task.done_at >= since,
            Task.done_at <= Task.due_at)
    ) or 0
    name = ServiceVersion.name_en if lang == "en" else ServiceVersion.name_id
    overdue_case = func.sum(case((Task.overdue_at(now), 1),
                                 else_=0))
    figures.backlog_by_service = [
        (service, count, int(overdue or 0)) for service, count, overdue in session.execute(
            select(name, func.count(), overdue_case)
            .select_from(Task)
            .join(ServiceRequest, Task.request_id == ServiceRequest.id)
            .join(ServiceVersion, ServiceRequest.service_version_id == ServiceVersion.id)
            .where(mine, Task.status.in_(OPEN_TASK_STATUSES)).group_by(name)
            .order_by(func.count().desc())
        )
    ]
    figures.held_by_clerk = [
        (full_name, count) for full_name, count in session.execute(
            select(User.full_name, func.count()).join(Task, Task.claimed_by_id == User.id)
            .where(mine, Task.status == TaskStatus.CLAIMED)
            .group_by(User.full_name).order_by(func.count().desc())
        )
    ]
    return figures
