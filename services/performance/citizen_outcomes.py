"""Outcomes, the effect on citizens, beside the outputs: each agency's and service's IKM
(PermenPANRB 14/2017, computed by services.ikm) and how its complaints went: received,
answered on time, resolved as the citizen confirmed it, reopen requests."""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from services.ikm.questionnaire import ELEMENT_KEYS
from services.ikm.report import IkmReport, IkmScope, report_from_sums
from services.ikm.survey import FINISHED
from services.models import (
    Agency,
    Complaint,
    ComplaintForwarding,
    ComplaintReopenRequest,
    ComplaintStatus,
    Service,
    ServiceRequest,
    ServiceVersion,
    SurveyResponse,
    Task,
    TaskStatus,
)
from services.models.performance import CITY, RollupDecisions
from services.performance.local_days import Period
from services.performance.rollups import rolled_through, split
from services.performance.rules import share_percent


@dataclass
class AgencyOutcome:
    code: str
    name: str
    ikm: IkmReport
    complaints: int = 0
    answered: int = 0
    answered_on_time: int = 0
    resolved: int = 0
    reopen_requests: int = 0

    @property
    def answered_on_time_percent(self) -> Decimal | None:
        return share_percent(self.answered_on_time, self.complaints)

    @property
    def resolved_percent(self) -> Decimal | None:
        """Resolved as the citizen said so; "answered" alone never counts."""
        return share_percent(self.resolved, self.complaints)


@dataclass
class ServiceOutcome:
    code: str
    name: str
    ikm: IkmReport


def _months(period: Period) -> tuple[str, str]:
    return period.first.strftime("%Y-%m"), period.last.strftime("%Y-%m")


def _whole_months(period: Period) -> Period:
    """The local days of every month the period touches: the IKM's span."""
    last = period.last
    return Period(period.first.replace(day=1),
                  date(last.year, last.month, monthrange(last.year, last.month)[1]), period.tz)


def _survey_sums(session: Session, key: Any, period: Period) -> dict[int, tuple[int, list[int]]]:
    """Per agency or service (``key``): respondents and the nine answer totals in the months."""
    first, last = _months(period)
    query = (select(key, func.count(SurveyResponse.id),
                    *(func.sum(getattr(SurveyResponse, k)) for k in ELEMENT_KEYS))
             .where(SurveyResponse.period >= first, SurveyResponse.period <= last)
             .group_by(key))
    return {row[0]: (int(row[1]), [int(total or 0) for total in row[2:]])
            for row in session.execute(query) if row[0] is not None}


def _decided_rolled(session: Session, period: Period, by_agency: bool) -> Counter[int]:
    d = RollupDecisions
    key = d.agency_id if by_agency else d.service_id
    query = (select(key, func.sum(d.decided))
             .where(d.day >= period.first, d.day <= period.last,
                    d.agency_id != CITY if by_agency else d.agency_id == CITY)
             .group_by(key))
    return Counter({k: int(n) for k, n in session.execute(query)})


def _decided_live(session: Session, period: Period, by_agency: bool) -> Counter[int]:
    decided = (ServiceRequest.status.in_(FINISHED), period.holds(ServiceRequest.decided_at))
    if by_agency:
        query = (select(Task.agency_id, func.count(distinct(ServiceRequest.id)))
                 .join(Task, Task.request_id == ServiceRequest.id)
                 .where(*decided, Task.status != TaskStatus.SKIPPED).group_by(Task.agency_id))
    else:
        query = (select(ServiceVersion.service_id, func.count(ServiceRequest.id))
                 .join(ServiceVersion, ServiceVersion.id == ServiceRequest.service_version_id)
                 .where(*decided).group_by(ServiceVersion.service_id))
    return Counter({k: int(n) for k, n in session.execute(query)})


def decided_in_months(session: Session, period: Period, *, by_agency: bool) -> Counter[int]:
    """The IKM's population per agency (that worked on them) or per service: requests decided
    in the months the period touches, as services.ikm.report counts them, read from the daily
    rollups where they reach and from the live tables after."""
    old, new = split(_whole_months(period), rolled_through(session))
    counts: Counter[int] = Counter()
    if old is not None:
        counts.update(_decided_rolled(session, old, by_agency))
    if new is not None:
        counts.update(_decided_live(session, new, by_agency))
    return counts


def _ikm_reports(session: Session, period: Period, *, by_agency: bool,
                 scopes: dict[int, IkmScope]) -> dict[int, IkmReport]:
    """One IKM report per scope, from two grouped queries instead of two per scope."""
    key = SurveyResponse.agency_id if by_agency else SurveyResponse.service_id
    sums = _survey_sums(session, key, period)
    population = decided_in_months(session, period, by_agency=by_agency)
    return {k: report_from_sums(scope, *sums.get(k, (0, [0] * len(ELEMENT_KEYS))),
                                population[k])
            for k, scope in scopes.items()}


def agency_outcomes(session: Session, period: Period, *, lang: str = "id",
                    agency_id: int | None = None) -> list[AgencyOutcome]:
    """Per agency: the IKM of the months the period touches and the complaints forwarded to it
    in the period."""
    first, last = _months(period)
    query = select(Agency).where(Agency.active).order_by(Agency.code)
    if agency_id is not None:
        query = query.where(Agency.id == agency_id)
    agencies = list(session.scalars(query))
    reports = _ikm_reports(session, period, by_agency=True, scopes={
        agency.id: IkmScope(agency, None, first, last) for agency in agencies})
    rows = {agency.id: AgencyOutcome(agency.code, agency.name(lang), reports[agency.id])
            for agency in agencies}
    forwarded = period.holds(ComplaintForwarding.forwarded_at)
    counts = select(
        ComplaintForwarding.agency_id, func.count(distinct(ComplaintForwarding.complaint_id)),
        func.count(ComplaintForwarding.answered_at),
        func.sum(case((ComplaintForwarding.answered_at <= ComplaintForwarding.due_at, 1),
                      else_=0)),
        func.count(distinct(case((Complaint.status == ComplaintStatus.RESOLVED,
                                  Complaint.id)))),
    ).join(Complaint, ComplaintForwarding.complaint_id == Complaint.id).where(forwarded) \
        .group_by(ComplaintForwarding.agency_id)
    for a_id, complaints, answered, on_time, resolved in session.execute(counts):
        if a_id in rows:
            row = rows[a_id]
            row.complaints, row.answered = int(complaints), int(answered)
            row.answered_on_time, row.resolved = int(on_time or 0), int(resolved)
    reopened = (select(ComplaintForwarding.agency_id,
                       func.count(distinct(ComplaintReopenRequest.id)))
                .join(ComplaintReopenRequest,
                      ComplaintReopenRequest.complaint_id == ComplaintForwarding.complaint_id)
                .where(period.holds(ComplaintReopenRequest.requested_at))
                .group_by(ComplaintForwarding.agency_id))
    for a_id, count in session.execute(reopened):
        if a_id in rows:
            rows[a_id].reopen_requests = int(count)
    return list(rows.values())


def service_outcomes(session: Session, period: Period, *, lang: str = "id",
                     service_codes: list[str] | None = None) -> list[ServiceOutcome]:
    """Per service (or the ones named): the IKM of the months the period touches."""
    first, last = _months(period)
    query = select(Service).where(Service.active).order_by(Service.code)
    if service_codes is not None:
        query = query.where(Service.code.in_(service_codes))
    services = list(session.scalars(query))
    reports = _ikm_reports(session, period, by_agency=False, scopes={
        service.id: IkmScope(None, service, first, last) for service in services})
    return [ServiceOutcome(service.code, service.current_version.text("name", lang)
                           if service.current_version else service.code, reports[service.id])
            for service in services]
