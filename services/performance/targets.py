"""Yearly targets per agency, set by an administrator (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.errors import NotFound, ValidationFailed
from services.models import Agency, AgencyTarget, User
from services.performance.access import require_target_setter


@dataclass(frozen=True)
class TargetInput:
    on_time_percent: int | None
    ikm: Decimal | None
    complaints_resolved_percent: int | None


def check_target(values: TargetInput) -> None:
    """Shares are 0-100 percent; an IKM lies between 25 and 100 (PermenPANRB 14/2017)."""
    problems: dict[str, str] = {}
    for name in ("on_time_percent", "complaints_resolved_percent"):
        value = getattr(values, name)
        if value is not None and not 0 <= value <= 100:
            problems[name] = "targets.between_0_100"
    if values.ikm is not None and not Decimal(25) <= values.ikm <= Decimal(100):
        problems["ikm"] = "targets.between_25_100"
    if problems:
        raise ValidationFailed("targets.out_of_range", fields=problems)


def set_target(session: Session, *, actor: User, agency_code: str, year: int,
               values: TargetInput) -> AgencyTarget:
    """Create or change an agency's targets for a year. Not committed."""
    require_target_setter(actor)
    check_target(values)
    if not 2000 <= year <= 2100:
        raise ValidationFailed("targets.unknown_year", fields={"year": "targets.between_2000_2100"})
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    if agency is None:
        raise NotFound("agency.no_such_agency")
    target = session.scalar(select(AgencyTarget).where(AgencyTarget.agency_id == agency.id,
                                                       AgencyTarget.year == year))
    if target is None:
        target = AgencyTarget(agency_id=agency.id, year=year)
        session.add(target)
    target.on_time_percent = values.on_time_percent
    target.ikm = values.ikm
    target.complaints_resolved_percent = values.complaints_resolved_percent
    record_audit(session, actor, "set", "agency_target", f"{agency.code}/{year}", {
        "on_time_percent": values.on_time_percent,
        "ikm": str(values.ikm) if values.ikm is not None else None,
        "complaints_resolved_percent": values.complaints_resolved_percent,
    })
    return target


def targets_for_year(session: Session, year: int) -> dict[str, AgencyTarget]:
    return {code: target for code, target in session.execute(
        select(Agency.code, AgencyTarget).join(AgencyTarget, AgencyTarget.agency_id == Agency.id)
        .where(AgencyTarget.year == year))}
