"""The command center's figures, read as aggregates: outputs (volume, backlog, timeliness,
durations against the published standard) per day, channel, kiosk, agency and service."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from services.kiosks.status import KioskStatus, kiosk_statuses
from services.models import (
    Agency,
    AgencyTarget,
    Kiosk,
    RequestStatus,
    Service,
    ServiceRequest,
    ServiceVersion,
    Task,
    TaskOutcome,
    TaskStatus,
)
from services.performance.rules import (
    MIN_VOLUME_TO_RANK,
    median_from_counts,
    rank,
    rankable,
    share_percent,
)

OPEN_TASKS = (TaskStatus.READY, TaskStatus.CLAIMED, TaskStatus.WAITING)
# Work that can be late: a task waiting on the citizen has its clock stopped.
RUNNING_TASKS = (TaskStatus.READY, TaskStatus.CLAIMED)
DECIDED_OUTCOMES = (TaskOutcome.APPROVED, TaskOutcome.REJECTED)
DECIDED = (RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.COMPLETED)


@dataclass(frozen=True)
class Period:
    """A span of the city's local days, first and last included."""

    first: date
    last: date
    tz: str

    @classmethod
    def year(cls, year: int, tz: str) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), tz)

    @classmethod
    def last_days(cls, days: int, today: date, tz: str) -> Period:
        return cls(today - timedelta(days=days - 1), today, tz)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, ZoneInfo(self.tz)).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the period."""
        after = self.last + timedelta(days=1)
        return datetime.combine(after, time.min, ZoneInfo(self.tz)).astimezone(UTC)

    def holds(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)


def local_date(session: Session, column: Any, tz: str) -> Any:
    """SQL for the city's local date of a UTC timestamp column, on PostgreSQL and SQLite.
    Indonesia keeps no daylight saving time, so SQLite may add a fixed offset."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(tz, column))
    offset = datetime.now(ZoneInfo(tz)).utcoffset() or timedelta()
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def local_month(session: Session, column: Any, tz: str) -> Any:
    """SQL for the local month of a UTC timestamp, as 'YYYY-MM'."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(tz, column), "YYYY-MM")
    return func.substr(local_date(session, column, tz), 1, 7)


@dataclass
class AgencyRow:
    code: str
    name: str
    backlog: int = 0
    overdue: int = 0
    decided: int = 0
    on_time: int = 0
    target_on_time: int | None = None
    target_ikm: Decimal | None = None
    target_complaints_resolved: int | None = None
    rank: int | None = None

    @property
    def on_time_percent(self) -> Decimal | None:
        return share_percent(self.on_time, self.decided)

    @property
    def rankable(self) -> bool:
        return rankable(self.decided)


@dataclass
class ServiceRow:
    code: str
    name: str
    standard_days: int
    decided: int = 0
    rejected: int = 0
    returned: int = 0
    days_saved: int = 0
    days_histogram: dict[int, int] = field(default_factory=dict)

    @property
    def median_days(self) -> Decimal | None:
        return median_from_counts(self.days_histogram)

    @property
    def rejected_percent(self) -> Decimal | None:
        return share_percent(self.rejected, self.decided)

    @property
    def returned_percent(self) -> Decimal | None:
        return share_percent(self.returned, self.decided)

    @property
    def first_visit_percent(self) -> Decimal | None:
        """Decided without asking the citizen to come back with more."""
        return share_percent(self.decided - self.returned, self.decided)


@dataclass
class Outputs:
    period: Period
    agency_code: str | None
    submitted_by_day: dict[date, dict[str, int]]
    submitted_by_kiosk: list[tuple[str, str, int]]
    agencies: list[AgencyRow]
    services: list[ServiceRow]
    kiosks: list[KioskStatus]

    @property
    def channels(self) -> list[str]:
        return sorted({c for counts in self.submitted_by_day.values() for c in counts})

    @property
    def submitted(self) -> int:
        return sum(sum(counts.values()) for counts in self.submitted_by_day.values())

    @property
    def decided(self) -> int:
        return sum(row.decided for row in self.services)

    @property
    def on_time_percent(self) -> Decimal | None:
        return share_percent(sum(a.on_time for a in self.agencies),
                             sum(a.decided for a in self.agencies))

    @property
    def days_saved(self) -> int:
        return sum(row.days_saved for row in self.services)

    @property
    def returned_percent(self) -> Decimal | None:
        return share_percent(sum(r.returned for r in self.services), self.decided)

    @property
    def rejected_percent(self) -> Decimal | None:
        return share_percent(sum(r.rejected for r in self.services), self.decided)

    @property
    def first_visit_percent(self) -> Decimal | None:
        return share_percent(self.decided - sum(r.returned for r in self.services),
                             self.decided)

    @property
    def kiosks_online(self) -> int:
        return sum(1 for k in self.kiosks if k.online)


def _request_in_agency(agency_id: int) -> ColumnElement[bool]:
    return select(Task.id).where(Task.request_id == ServiceRequest.id,
                                 Task.agency_id == agency_id).exists()


def submitted_by_day(session: Session, period: Period,
                     agency_id: int | None = None) -> dict[date, dict[str, int]]:
    """Requests made on each local day of the period, by channel (days without any: empty)."""
    day = local_date(session, ServiceRequest.created_at, period.tz)
    query = (select(day, ServiceRequest.channel, func.count())
             .where(period.holds(ServiceRequest.created_at)).group_by(day, ServiceRequest.channel))
    if agency_id is not None:
        query = query.where(_request_in_agency(agency_id))
    days: dict[date, dict[str, int]] = {}
    current = period.first
    while current <= period.last:
        days[current] = {}
        current += timedelta(days=1)
    for local, channel, count in session.execute(query):
        key = local if isinstance(local, date) else date.fromisoformat(str(local))
        days.setdefault(key, {})[channel.value] = count
    return days


def submitted_by_kiosk(session: Session, period: Period,
                       agency_id: int | None = None) -> list[tuple[str, str, int]]:
    query = (select(Kiosk.code, Kiosk.name, func.count())
             .join(ServiceRequest, ServiceRequest.kiosk_id == Kiosk.id)
             .where(period.holds(ServiceRequest.created_at))
             .group_by(Kiosk.code, Kiosk.name).order_by(func.count().desc(), Kiosk.code))
    if agency_id is not None:
        query = query.where(_request_in_agency(agency_id))
    return [(code, name, count) for code, name, count in session.execute(query)]


def agency_rows(session: Session, period: Period, *, now: datetime, lang: str = "id",
                agency_id: int | None = None) -> list[AgencyRow]:
    """Backlog and overdue work now, and tasks decided in the period and on time, per agency.
    A task's deadline moves by the days the clock stood still, so waiting on the citizen never
    counts against the agency."""
    name = Agency.name_en if lang == "en" else Agency.name_id
    agencies = select(Agency.id, Agency.code, name).where(Agency.active).order_by(Agency.code)
    if agency_id is not None:
        agencies = agencies.where(Agency.id == agency_id)
    rows = {a_id: AgencyRow(code, label) for a_id, code, label in session.execute(agencies)}
    open_counts = select(
        Task.agency_id, func.count(),
        func.sum(case((and_(Task.status.in_(RUNNING_TASKS), Task.due_at < now), 1), else_=0)),
    ).where(Task.status.in_(OPEN_TASKS)).group_by(Task.agency_id)
    for a_id, backlog, overdue in session.execute(open_counts):
        if a_id in rows:
            rows[a_id].backlog, rows[a_id].overdue = backlog, int(overdue or 0)
    decided = select(
        Task.agency_id, func.count(),
        func.sum(case((Task.done_at <= Task.due_at, 1), else_=0)),
    ).where(Task.status == TaskStatus.DONE, Task.outcome.in_(DECIDED_OUTCOMES),
            period.holds(Task.done_at)).group_by(Task.agency_id)
    for a_id, count, on_time in session.execute(decided):
        if a_id in rows:
            rows[a_id].decided, rows[a_id].on_time = count, int(on_time or 0)
    year = period.last.year
    for target in session.scalars(select(AgencyTarget).where(AgencyTarget.year == year)):
        if target.agency_id in rows:
            row = rows[target.agency_id]
            row.target_on_time = target.on_time_percent
            row.target_ikm = target.ikm
            row.target_complaints_resolved = target.complaints_resolved_percent
    ranks = rank((r.code, r.on_time_percent, r.decided) for r in rows.values())
    for row in rows.values():
        row.rank = ranks.get(row.code)
    return list(rows.values())


def service_rows(session: Session, period: Period, *, lang: str = "id",
                 agency_id: int | None = None) -> list[ServiceRow]:
    """Requests decided in the period per service: how many, rejected, returned for more
    information, the median working days taken against the service's own published standard."""
    name = ServiceVersion.name_en if lang == "en" else ServiceVersion.name_id
    current = (select(Service.code, name, ServiceVersion.duration_days)
               .join(ServiceVersion, Service.current_version_id == ServiceVersion.id)
               .order_by(Service.code))
    rows = {code: ServiceRow(code, label, days) for code, label, days in session.execute(current)}
    per_days = (
        select(Service.code, ServiceRequest.working_days_used, func.count(),
               func.sum(case((ServiceRequest.status == RequestStatus.REJECTED, 1), else_=0)),
               func.sum(case((ServiceRequest.returned_for_info, 1), else_=0)),
               func.sum(ServiceVersion.duration_days - ServiceRequest.working_days_used))
        .select_from(ServiceRequest)
        .join(ServiceVersion, ServiceRequest.service_version_id == ServiceVersion.id)
        .join(Service, ServiceVersion.service_id == Service.id)
        .where(period.holds(ServiceRequest.decided_at),
               ServiceRequest.working_days_used.is_not(None))
        .group_by(Service.code, ServiceRequest.working_days_used)
    )
    if agency_id is not None:
        per_days = per_days.where(_request_in_agency(agency_id))
    touched: set[str] = set()
    for code, days, count, rejected, returned, saved in session.execute(per_days):
        row = rows.get(code)
        if row is None:
            continue
        touched.add(code)
        row.decided += count
        row.rejected += int(rejected or 0)
        row.returned += int(returned or 0)
        row.days_saved += int(saved or 0)
        row.days_histogram[days] = row.days_histogram.get(days, 0) + count
    if agency_id is not None:
        return [rows[code] for code in rows if code in touched]
    return list(rows.values())


def outputs(session: Session, period: Period, *, now: datetime, lang: str = "id",
            agency_id: int | None = None) -> Outputs:
    """Every output figure of the command center, for the city or one agency."""
    agency_code = None
    if agency_id is not None:
        agency_code = session.scalar(select(Agency.code).where(Agency.id == agency_id))
    kiosks = [] if agency_id is not None else kiosk_statuses(session, tz=period.tz, now=now)
    return Outputs(
        period=period,
        agency_code=agency_code,
        submitted_by_day=submitted_by_day(session, period, agency_id),
        submitted_by_kiosk=submitted_by_kiosk(session, period, agency_id),
        agencies=agency_rows(session, period, now=now, lang=lang, agency_id=agency_id),
        services=service_rows(session, period, lang=lang, agency_id=agency_id),
        kiosks=kiosks,
    )


def monthly_on_time(session: Session, period: Period) -> dict[str, dict[str, tuple[int, int]]]:
    """Per agency code and local month: (tasks decided, decided on time), for the trend."""
    month = local_month(session, Task.done_at, period.tz)
    query = (
        select(Agency.code, month, func.count(),
               func.sum(case((Task.done_at <= Task.due_at, 1), else_=0)))
        .join(Agency, Task.agency_id == Agency.id)
        .where(Task.status == TaskStatus.DONE, Task.outcome.in_(DECIDED_OUTCOMES),
               period.holds(Task.done_at))
        .group_by(Agency.code, month)
    )
    trend: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for code, key, count, on_time in session.execute(query):
        trend[code][str(key)] = (count, int(on_time or 0))
    return dict(trend)


__all__ = [
    "MIN_VOLUME_TO_RANK",
    "AgencyRow",
    "Outputs",
    "Period",
    "ServiceRow",
    "agency_rows",
    "monthly_on_time",
    "outputs",
    "service_rows",
    "submitted_by_day",
    "submitted_by_kiosk",
]
