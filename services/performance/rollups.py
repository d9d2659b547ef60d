"""Daily rollups of the figures, so a year's figures over a million requests are sums over a
few thousand rows. `refresh_rollups` recomputes whole local days from the live tables (safe to
run again: a day's rows are replaced); the figures read rollups up to `rolled_through` and the
live tables after it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import case, delete, distinct, func, insert, literal, select
from sqlalchemy.orm import Session

from services.models import (
    RequestStatus,
    RollupDecisions,
    RollupKiosks,
    RollupRequests,
    RollupState,
    RollupTasks,
    ServiceRequest,
    ServiceVersion,
    Task,
    TaskOutcome,
    TaskStatus,
)
from services.models.performance import CITY
from services.performance.local_days import Period, local_date

STATE = "figures"
DECIDED_OUTCOMES = (TaskOutcome.APPROVED, TaskOutcome.REJECTED)
# Each refresh recomputes a few days before the last one too, for late writes.
OVERLAP_DAYS = 2


def rolled_through(session: Session) -> date | None:
    return session.scalar(select(RollupState.through_day).where(RollupState.name == STATE))


def refresh_rollups(session: Session, *, today: date, tz: str,
                    first: date | None = None) -> Period | None:
    """Recompute the rollups of every local day from ``first`` (default: a little before the
    last refresh, or the first request) up to yesterday. Not committed."""
    through = rolled_through(session)
    if first is None:
        if through is not None:
            first = through - timedelta(days=OVERLAP_DAYS)
        else:
            earliest = session.scalar(select(func.min(ServiceRequest.created_at)))
            if earliest is None:
                return None
            first = Period(today, today, tz).day_of(earliest)
    period = Period(first, today - timedelta(days=1), tz)
    if period.last < period.first:
        return None
    for table in (RollupRequests, RollupKiosks, RollupDecisions, RollupTasks):
        session.execute(delete(table).where(table.day >= period.first, table.day <= period.last))
    _roll_requests(session, period)
    _roll_kiosks(session, period)
    _roll_decisions(session, period)
    _roll_tasks(session, period)
    state = session.get(RollupState, STATE)
    if state is None:
        session.add(RollupState(name=STATE, through_day=period.last))
    else:
        state.through_day = max(state.through_day, period.last)
    session.flush()
    return period


def _roll_requests(session: Session, period: Period) -> None:
    day = local_date(session, ServiceRequest.created_at, period.tz)
    columns = ["day", "agency_id", "channel", "submitted"]
    base = (select(day, literal(CITY), ServiceRequest.channel, func.count())
            .where(period.holds(ServiceRequest.created_at))
            .group_by(day, ServiceRequest.channel))
    session.execute(insert(RollupRequests).from_select(columns, base))
    per_agency = (select(day, Task.agency_id, ServiceRequest.channel,
                         func.count(distinct(ServiceRequest.id)))
                  .join(Task, Task.request_id == ServiceRequest.id)
                  .where(period.holds(ServiceRequest.created_at))
                  .group_by(day, Task.agency_id, ServiceRequest.channel))
    session.execute(insert(RollupRequests).from_select(columns, per_agency))


def _roll_kiosks(session: Session, period: Period) -> None:
    day = local_date(session, ServiceRequest.created_at, period.tz)
    query = (select(day, ServiceRequest.kiosk_id, func.count())
             .where(period.holds(ServiceRequest.created_at), ServiceRequest.kiosk_id.is_not(None))
             .group_by(day, ServiceRequest.kiosk_id))
    session.execute(insert(RollupKiosks).from_select(["day", "kiosk_id", "submitted"], query))


def decision_sums() -> list:
    """decided, rejected, returned and working days saved, summed over requests."""
    return [
        func.count(distinct(ServiceRequest.id)),
        func.sum(case((ServiceRequest.status == RequestStatus.REJECTED, 1), else_=0)),
        func.sum(case((ServiceRequest.returned_for_info, 1), else_=0)),
        func.sum(ServiceVersion.duration_days - ServiceRequest.working_days_used),
    ]


def _roll_decisions(session: Session, period: Period) -> None:
    day = local_date(session, ServiceRequest.decided_at, period.tz)
    columns = ["day", "agency_id", "service_id", "working_days", "decided", "rejected",
               "returned", "days_saved"]
    decided = (period.holds(ServiceRequest.decided_at),
               ServiceRequest.working_days_used.is_not(None))
    city = (select(day, literal(CITY), ServiceVersion.service_id,
                   ServiceRequest.working_days_used, *decision_sums())
            .join(ServiceVersion, ServiceRequest.service_version_id == ServiceVersion.id)
            .where(*decided)
            .group_by(day, ServiceVersion.service_id, ServiceRequest.working_days_used))
    session.execute(insert(RollupDecisions).from_select(columns, city))
    # Per agency: each request once for each agency that held a task for it.
    holders = (select(Task.request_id, Task.agency_id).distinct()
               .where(Task.status != TaskStatus.SKIPPED).subquery())
    per_agency = (select(day, holders.c.agency_id, ServiceVersion.service_id,
                         ServiceRequest.working_days_used, *decision_sums())
                  .join(ServiceVersion, ServiceRequest.service_version_id == ServiceVersion.id)
                  .join(holders, holders.c.request_id == ServiceRequest.id)
                  .where(*decided)
                  .group_by(day, holders.c.agency_id, ServiceVersion.service_id,
                            ServiceRequest.working_days_used))
    session.execute(insert(RollupDecisions).from_select(columns, per_agency))


def _roll_tasks(session: Session, period: Period) -> None:
    day = local_date(session, Task.done_at, period.tz)
    query = (select(day, Task.agency_id, func.count(),
                    func.sum(case((Task.done_at <= Task.due_at, 1), else_=0)))
             .where(Task.status == TaskStatus.DONE, Task.outcome.in_(DECIDED_OUTCOMES),
                    period.holds(Task.done_at))
             .group_by(day, Task.agency_id))
    session.execute(insert(RollupTasks).from_select(["day", "agency_id", "decided", "on_time"],
                                                    query))


def split(period: Period, through: date | None) -> tuple[Period | None, Period | None]:
    """The part of the period the rollups cover, and the part to read live."""
    if through is None or through < period.first:
        return None, period
    if through >= period.last:
        return period, None
    return (Period(period.first, through, period.tz),
            Period(through + timedelta(days=1), period.last, period.tz))

