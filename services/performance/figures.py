"""The command center's figures, read as aggregates: outputs (volume, backlog, timeliness,
durations against the published standard) per day, channel, kiosk, agency and service."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, String, case, func, select
from sqlalchemy.orm import Session

from services.kiosks.status import KioskStatus, kiosk_statuses
from services.models import (
    Agency,
    AgencyTarget,
    Kiosk,
    Service,
    ServiceRequest,
    ServiceVersion,
    Task,
    TaskStatus,
)
from services.models.performance import (
    CITY,
    RollupDecisions,
    RollupKiosks,
    RollupRequests,
    RollupTasks,
)
from services.performance.local_days import Period, as_date, local_date
from services.performance.rollups import (
    DECIDED_OUTCOMES,
    decision_sums,
    rolled_through,
    split,
)
from services.performance.rules import (
    MIN_VOLUME_TO_RANK,
    median_from_counts,
    rank,
    rankable,
    share_percent,
)
from services.workflow.transitions import OPEN_TASK_STATUSES


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
    def unreturned_percent(self) -> Decimal | None:
        """Decided without asking the citizen for more information (not a count of visits:
        a service that always needs a counter visit still scores 100 here)."""
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
    def unreturned_percent(self) -> Decimal | None:
        return share_percent(self.decided - sum(r.returned for r in self.services),
                             self.decided)

    @property
    def kiosks_online(self) -> int:
        return sum(1 for k in self.kiosks if k.online)


def _request_in_agency(agency_id: int) -> ColumnElement[bool]:
    """The request has a task in the agency's queue that was not skipped."""
    return select(Task.id).where(Task.request_id == ServiceRequest.id, Task.agency_id == agency_id,
                                 Task.status != TaskStatus.SKIPPED).exists()


def _request_routed_to(agency_id: int) -> ColumnElement[bool]:
    return select(Task.id).where(Task.request_id == ServiceRequest.id,
                                 Task.agency_id == agency_id).exists()


# Each figure is read in two parts: rollups for the days they cover, the live tables for the
# days after (today, and any day not yet rolled up); the parts are added together.

def _submitted_live(session: Session, period: Period,
                    agency_id: int | None) -> Counter[tuple[date, str]]:
    day = local_date(session, ServiceRequest.created_at, period.tz)
    query = (select(day, ServiceRequest.channel, func.count())
             .where(period.holds(ServiceRequest.created_at)).group_by(day, ServiceRequest.channel))
    if agency_id is not None:
        query = query.where(_request_routed_to(agency_id))
    return Counter({(as_date(d), channel.value): n for d, channel, n in session.execute(query)})


def _submitted_rolled(session: Session, period: Period,
                      agency_id: int | None) -> Counter[tuple[date, str]]:
    r = RollupRequests
    query = (select(r.day, r.channel, func.sum(r.submitted))
             .where(r.day >= period.first, r.day <= period.last,
                    r.agency_id == (agency_id or CITY)).group_by(r.day, r.channel))
    return Counter({(as_date(d), channel): int(n) for d, channel, n in session.execute(query)})


def _kiosks_live(session: Session, period: Period, agency_id: int | None) -> Counter[int]:
    query = (select(ServiceRequest.kiosk_id, func.count())
             .where(period.holds(ServiceRequest.created_at), ServiceRequest.kiosk_id.is_not(None))
             .group_by(ServiceRequest.kiosk_id))
    if agency_id is not None:
        query = query.where(_request_routed_to(agency_id))
    return Counter(dict(session.execute(query).all()))


def _kiosks_rolled(session: Session, period: Period, agency_id: int | None) -> Counter[int]:
    if agency_id is not None:  # kiosks are counted for the city only
        return _kiosks_live(session, period, agency_id)
    k = RollupKiosks
    query = (select(k.kiosk_id, func.sum(k.submitted))
             .where(k.day >= period.first, k.day <= period.last).group_by(k.kiosk_id))
    return Counter({kiosk: int(n) for kiosk, n in session.execute(query)})


def _tasks_live(session: Session, period: Period, monthly: bool = False) -> Counter[tuple]:
    """(agency id[, month]) -> [decided, on time] of tasks decided in the period."""
    keys: list[Any] = [Task.agency_id]
    if monthly:
        keys.append(func.substr(func.cast(local_date(session, Task.done_at, period.tz),
                                          String), 1, 7))
    query = (select(*keys, func.count(), func.sum(case((Task.done_at <= Task.due_at, 1),
                                                       else_=0)))
             .where(Task.status == TaskStatus.DONE, Task.outcome.in_(DECIDED_OUTCOMES),
                    period.holds(Task.done_at)).group_by(*keys))
    return _pairs(session.execute(query), len(keys))


def _tasks_rolled(session: Session, period: Period, monthly: bool = False) -> Counter[tuple]:
    t = RollupTasks
    keys: list[Any] = [t.agency_id]
    if monthly:
        keys.append(func.substr(func.cast(t.day, String), 1, 7))
    query = (select(*keys, func.sum(t.decided), func.sum(t.on_time))
             .where(t.day >= period.first, t.day <= period.last).group_by(*keys))
    return _pairs(session.execute(query), len(keys))


def _pairs(rows: Any, width: int) -> Counter[tuple]:
    """Rows of (key..., decided, on time) as {(key..., 'decided'): n, (key..., 'on_time'): n}."""
    counts: Counter[tuple] = Counter()
    for row in rows:
        key = tuple(row[:width])
        counts[(*key, "decided")] += int(row[width] or 0)
        counts[(*key, "on_time")] += int(row[width + 1] or 0)
    return counts


def _decisions_live(session: Session, period: Period,
                    agency_id: int | None) -> Counter[tuple]:
    """(service id, working days, measure) -> count, for requests decided in the period."""
    query = (select(ServiceVersion.service_id, ServiceRequest.working_days_used,
                    *decision_sums())
             .join(ServiceVersion, ServiceRequest.service_version_id == ServiceVersion.id)
             .where(period.holds(ServiceRequest.decided_at),
                    ServiceRequest.working_days_used.is_not(None))
             .group_by(ServiceVersion.service_id, ServiceRequest.working_days_used))
    if agency_id is not None:
        query = query.where(_request_in_agency(agency_id))
    return _decision_counts(session.execute(query))


def _decisions_rolled(session: Session, period: Period,
                      agency_id: int | None) -> Counter[tuple]:
    d = RollupDecisions
    query = (select(d.service_id, d.working_days, func.sum(d.decided), func.sum(d.rejected),
                    func.sum(d.returned), func.sum(d.days_saved))
             .where(d.day >= period.first, d.day <= period.last,
                    d.agency_id == (agency_id or CITY))
             .group_by(d.service_id, d.working_days))
    return _decision_counts(session.execute(query))


MEASURES = ("decided", "rejected", "returned", "days_saved")


def _decision_counts(rows: Any) -> Counter[tuple]:
    counts: Counter[tuple] = Counter()
    for service_id, days, *values in rows:
        for measure, value in zip(MEASURES, values, strict=True):
            counts[(service_id, days, measure)] += int(value or 0)
    return counts


def _both(session: Session, period: Period, live: Any, rolled: Any, *args: Any) -> Counter:
    """A figure over the period: rollups where they reach, the live tables after."""
    old, new = split(period, rolled_through(session))
    total: Counter = Counter()
    if old is not None:
        total.update(rolled(session, old, *args))
    if new is not None:
        total.update(live(session, new, *args))
    return total


def submitted_by_day(session: Session, period: Period,
                     agency_id: int | None = None) -> dict[date, dict[str, int]]:
    """Requests made on each local day of the period, by channel (days without any: empty)."""
    counts = _both(session, period, _submitted_live, _submitted_rolled, agency_id)
    days: dict[date, dict[str, int]] = {day: {} for day in period.days()}
    for (day, channel), count in sorted(counts.items()):
        if count:
            days.setdefault(day, {})[channel] = count
    return days


def submitted_by_kiosk(session: Session, period: Period,
                       agency_id: int | None = None) -> list[tuple[str, str, int]]:
    counts = _both(session, period, _kiosks_live, _kiosks_rolled, agency_id)
    names = {k_id: (code, name) for k_id, code, name in session.execute(
        select(Kiosk.id, Kiosk.code, Kiosk.name).where(Kiosk.id.in_(list(counts))))}
    rows = [(*names[k_id], count) for k_id, count in counts.items() if k_id in names and count]
    return sorted(rows, key=lambda row: (-row[2], row[0]))


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
        func.sum(case((Task.overdue_at(now), 1),
                      else_=0)),
    ).where(Task.status.in_(OPEN_TASK_STATUSES)).group_by(Task.agency_id)
    for a_id, backlog, overdue in session.execute(open_counts):
        if a_id in rows:
            rows[a_id].backlog, rows[a_id].overdue = backlog, int(overdue or 0)
    decided = _both(session, period, _tasks_live, _tasks_rolled)
    for (a_id, measure), count in decided.items():
        if a_id in rows:
            setattr(rows[a_id], measure, getattr(rows[a_id], measure) + count)
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
    current = (select(Service.id, Service.code, name, ServiceVersion.duration_days)
               .join(ServiceVersion, Service.current_version_id == ServiceVersion.id)
               .order_by(Service.code))
    rows = {s_id: ServiceRow(code, label, days)
            for s_id, code, label, days in session.execute(current)}
    counts = _both(session, period, _decisions_live, _decisions_rolled, agency_id)
    for (service_id, days, measure), count in counts.items():
        row = rows.get(service_id)
        if row is None or not count:
            continue
        if measure == "decided":
            row.decided += count
            row.days_histogram[days] = row.days_histogram.get(days, 0) + count
        else:
            setattr(row, measure, getattr(row, measure) + count)
    if agency_id is not None:
        return [row for row in rows.values() if row.decided]
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
    counts = _both(session, period, _tasks_live, _tasks_rolled, True)
    codes = dict(session.execute(select(Agency.id, Agency.code)).all())
    trend: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for (a_id, month, measure), count in counts.items():
        decided, on_time = trend[codes[a_id]].get(month, (0, 0))
        if measure == "decided":
            decided += count
        else:
            on_time += count
        trend[codes[a_id]][month] = (decided, on_time)
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
