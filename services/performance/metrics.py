"""The live figures Prometheus scrapes: requests by channel, backlog per agency, kiosks, jobs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.clock import utcnow
from services.kiosks.printing import WAITING_STATES
from services.kiosks.status import ONLINE_WITHIN
from services.models import Agency, Kiosk, PrintJob, RollupRequests, ServiceRequest, Task
from services.models.performance import CITY
from services.performance.local_days import Period
from services.performance.rollups import rolled_through
from services.workflow.transitions import OPEN_TASK_STATUSES


@dataclass(frozen=True)
class Gauges:
    requests_by_channel: dict[str, int]
    backlog_by_agency: dict[str, tuple[int, int]]
    kiosks: int
    kiosks_online: int
    print_jobs_waiting: int


def requests_by_channel(session: Session, tz: str) -> dict[str, int]:
    """Every request ever made, by channel: rolled-up days plus the live days after them."""
    through = rolled_through(session)
    counts: Counter[str] = Counter()
    live = select(ServiceRequest.channel, func.count()).group_by(ServiceRequest.channel)
    if through is not None:
        counts.update({channel: int(n) for channel, n in session.execute(
            select(RollupRequests.channel, func.sum(RollupRequests.submitted))
            .where(RollupRequests.agency_id == CITY, RollupRequests.day <= through)
            .group_by(RollupRequests.channel))})
        after = Period(through + timedelta(days=1), through + timedelta(days=1), tz).start
        live = live.where(ServiceRequest.created_at >= after)
    counts.update({channel.value: n for channel, n in session.execute(live)})
    return dict(counts)


def current_gauges(session: Session, *, tz: str) -> Gauges:
    now = utcnow()
    by_channel = requests_by_channel(session, tz)
    backlog = {code: (count, int(late or 0)) for code, count, late in session.execute(
        select(Agency.code, func.count(),
               func.sum(case((Task.overdue_at(now), 1),
                             else_=0)))
        .join(Task, Task.agency_id == Agency.id).where(Task.status.in_(OPEN_TASK_STATUSES))
        .group_by(Agency.code))}
    kiosks = session.scalar(select(func.count()).select_from(Kiosk)
                            .where(Kiosk.revoked_at.is_(None))) or 0
    online = session.scalar(select(func.count()).select_from(Kiosk).where(
        Kiosk.revoked_at.is_(None), Kiosk.last_heartbeat_at > now - ONLINE_WITHIN)) or 0
    waiting = session.scalar(select(func.count()).select_from(PrintJob)
                             .where(PrintJob.state.in_(WAITING_STATES))) or 0
    return Gauges(by_channel, backlog, kiosks, online, waiting)
