"""The live figures Prometheus scrapes: requests by channel, backlog per agency, kiosks, jobs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from services.db import utcnow
from services.kiosks.printing import WAITING_STATES
from services.kiosks.status import ONLINE_WITHIN
from services.models import Agency, Kiosk, PrintJob, ServiceRequest, Task
from services.performance.figures import OPEN_TASKS, RUNNING_TASKS


@dataclass(frozen=True)
class Gauges:
    requests_by_channel: dict[str, int]
    backlog_by_agency: dict[str, tuple[int, int]]
    kiosks: int
    kiosks_online: int
    print_jobs_waiting: int


def current_gauges(session: Session) -> Gauges:
    now = utcnow()
    by_channel = {channel.value: count for channel, count in session.execute(
        select(ServiceRequest.channel, func.count()).group_by(ServiceRequest.channel))}
    backlog = {code: (count, int(late or 0)) for code, count, late in session.execute(
        select(Agency.code, func.count(),
               func.sum(case((and_(Task.status.in_(RUNNING_TASKS), Task.due_at < now), 1),
                             else_=0)))
        .join(Task, Task.agency_id == Agency.id).where(Task.status.in_(OPEN_TASKS))
        .group_by(Agency.code))}
    kiosks = session.scalar(select(func.count()).select_from(Kiosk)
                            .where(Kiosk.revoked_at.is_(None))) or 0
    online = session.scalar(select(func.count()).select_from(Kiosk).where(
        Kiosk.revoked_at.is_(None), Kiosk.last_heartbeat_at > now - ONLINE_WITHIN)) or 0
    waiting = session.scalar(select(func.count()).select_from(PrintJob)
                             .where(PrintJob.state.in_(WAITING_STATES))) or 0
    return Gauges(by_channel, backlog, kiosks, online, waiting)
