"""Outcomes, the effect on citizens, beside the outputs: each agency's and service's IKM
(PermenPANRB 14/2017, computed by services.ikm) and how its complaints went: received,
answered on time, resolved as the citizen confirmed it, reopen requests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from services.ikm.report import IkmReport, IkmScope, ikm_report
from services.models import (
    Agency,
    Complaint,
    ComplaintForwarding,
    ComplaintReopenRequest,
    ComplaintStatus,
    Service,
)
from services.performance.local_days import Period
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


def agency_outcomes(session: Session, period: Period, *, lang: str = "id",
                    agency_id: int | None = None) -> list[AgencyOutcome]:
    """Per agency: the IKM of the months the period touches and the complaints forwarded to it
    in the period."""
    first, last = _months(period)
    query = select(Agency).where(Agency.active).order_by(Agency.code)
    if agency_id is not None:
        query = query.where(Agency.id == agency_id)
    rows = {agency.id: AgencyOutcome(agency.code, agency.name(lang), ikm_report(
        session, IkmScope(agency, None, first, last), tz=period.tz))
        for agency in session.scalars(query)}
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
    return [ServiceOutcome(service.code, service.current_version.text("name", lang)
                           if service.current_version else service.code,
                           ikm_report(session, IkmScope(None, service, first, last),
                                      tz=period.tz))
            for service in session.scalars(query)]
