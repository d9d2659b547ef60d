"""The IKM of a service or an agency over a span of months, with the population it should
speak for and whether enough people answered (PermenPANRB 14/2017, Krejcie and Morgan)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from services.catalog.agencies import get_agency
from services.errors import NotFound, ValidationFailed
from services.ikm.index import IkmResult, result_from_totals
from services.ikm.questionnaire import ELEMENT_KEYS
from services.ikm.sample import is_representative, required_sample
from services.ikm.survey import FINISHED
from services.models import (
    Agency,
    Service,
    ServiceRequest,
    ServiceVersion,
    SurveyResponse,
    Task,
    TaskStatus,
)

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class IkmScope:
    agency: Agency | None
    service: Service | None
    period_from: str | None  # YYYY-MM, inclusive
    period_to: str | None


@dataclass(frozen=True)
class IkmReport:
    scope: IkmScope
    result: IkmResult
    population: int  # requests finished in scope and span (the service's users)
    required_sample: int
    representative: bool


def check_period(value: str | None, field: str) -> str | None:
    """A month as YYYY-MM, or None when not given; ValidationFailed otherwise."""
    if value in (None, ""):
        return None
    if not PERIOD.match(value):
        raise ValidationFailed("ikm.month_format", fields={field: "ikm.month_format_short"})
    return value


def ikm_scope(session: Session, *, agency_code: str | None = None,
              service_code: str | None = None, period_from: str | None = None,
              period_to: str | None = None) -> IkmScope:
    """Check the filters: known agency and service codes, months as YYYY-MM, from <= to."""
    start = check_period(period_from, "from")
    end = check_period(period_to, "to")
    if start and end and start > end:
        raise ValidationFailed("ikm.months_reversed", fields={"from": "ikm.from_after_to"})
    agency = get_agency(session, agency_code.upper()) if agency_code else None
    service = service_by_code(session, service_code) if service_code else None
    return IkmScope(agency, service, start, end)


def service_by_code(session: Session, code: str) -> Service:
    service = session.scalar(select(Service).where(Service.code == code.upper()))
    if service is None:
        raise NotFound("service.no_such_service")
    return service


def _month_start(period: str, tz: str, months_later: int = 0) -> datetime:
    year, month = (int(part) for part in period.split("-"))
    month += months_later
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _response_filters(scope: IkmScope) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if scope.agency is not None:
        filters.append(SurveyResponse.agency_id == scope.agency.id)
    if scope.service is not None:
        filters.append(SurveyResponse.service_id == scope.service.id)
    if scope.period_from:
        filters.append(SurveyResponse.period >= scope.period_from)
    if scope.period_to:
        filters.append(SurveyResponse.period <= scope.period_to)
    return filters


def finished_requests(session: Session, scope: IkmScope, tz: str) -> int:
    """The survey's population: requests in scope decided (approved or rejected; completed ones
    were approved first) within the months; for an agency, those it worked on (held a task for
    that was not skipped). The command center counts the same from its daily rollups."""
    query = select(func.count(ServiceRequest.id)).where(
        ServiceRequest.status.in_(FINISHED), ServiceRequest.decided_at.is_not(None))
    if scope.service is not None:
        query = query.join(ServiceVersion,
                           ServiceVersion.id == ServiceRequest.service_version_id).where(
            ServiceVersion.service_id == scope.service.id)
    if scope.agency is not None:
        query = query.where(exists().where(Task.request_id == ServiceRequest.id,
                                           Task.agency_id == scope.agency.id,
                                           Task.status != TaskStatus.SKIPPED))
    if scope.period_from:
        query = query.where(ServiceRequest.decided_at >= _month_start(scope.period_from, tz))
    if scope.period_to:
        query = query.where(ServiceRequest.decided_at < _month_start(scope.period_to, tz, 1))
    return session.scalar(query) or 0


def ikm_report(session: Session, scope: IkmScope, *, tz: str) -> IkmReport:
    """Add up the responses in scope in the database and compute the index from the sums."""
    columns = [func.count(SurveyResponse.id)] + [
        func.coalesce(func.sum(getattr(SurveyResponse, key)), 0) for key in ELEMENT_KEYS]
    row = session.execute(select(*columns).where(*_response_filters(scope))).one()
    return report_from_sums(scope, int(row[0]), [int(total) for total in row[1:]],
                            finished_requests(session, scope, tz))


def report_from_sums(scope: IkmScope, respondents: int, totals: list[int],
                     population: int) -> IkmReport:
    """The report from the respondents, their nine answer totals and the population."""
    return IkmReport(scope, result_from_totals(respondents, totals), population,
                     required_sample(population), is_representative(respondents, population))
