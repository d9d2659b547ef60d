"""Agencies as administrators keep them: create, edit, deactivate; each change is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.catalog.schema import CODE_RE
from services.errors import Conflict, NotFound, ValidationFailed
from services.models import Agency, AgencyKind, Service, User, WorkflowStep
from services.working_days import WorkWeek

AGENCY_ATTRIBUTES = ("kind", "name_id", "name_en", "address", "phone", "email", "office_hours",
                     "active", "work_week", "counts_cuti_bersama", "maklumat_id", "maklumat_en",
                     "maklumat_signer", "maklumat_date")
MAKLUMAT_PARTS = ("maklumat_id", "maklumat_signer", "maklumat_date")


@dataclass(frozen=True)
class AgencyInput:
    code: str
    kind: AgencyKind
    name_id: str
    name_en: str
    address: str = ""
    phone: str = ""
    email: str = ""
    office_hours: str = ""
    active: bool = True
    # "" for the city's week, or the agency's own ("mon-sat").
    work_week: str = ""
    counts_cuti_bersama: bool = False
    maklumat_id: str = ""
    maklumat_en: str = ""
    maklumat_signer: str = ""
    maklumat_date: date | None = None


def agency_input_errors(data: AgencyInput) -> dict[str, str]:
    """The rules an agency's own values must follow (the code's format, both names)."""
    errors: dict[str, str] = {}
    if not CODE_RE.match(data.code):
        errors["code"] = "agency.code_format"
    for name in ("name_id", "name_en"):
        if not getattr(data, name).strip():
            errors[name] = "field.required"
    if data.email and "@" not in data.email:
        errors["email"] = "field.email"
    if data.work_week:
        try:
            WorkWeek.parse(data.work_week)
        except ValueError:
            errors["work_week"] = "agency.work_week"
    given = [bool(getattr(data, name)) for name in MAKLUMAT_PARTS]
    if any(given) and not all(given):
        for name, present in zip(MAKLUMAT_PARTS, given, strict=True):
            if not present:
                errors[name] = "agency.maklumat_incomplete"
    return errors


def get_agency(session: Session, code: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise NotFound("agency.not_found", code=code)
    return agency


def list_agencies(session: Session) -> Sequence[Agency]:
    return session.scalars(select(Agency).order_by(Agency.active.desc(), Agency.code)).all()


def create_agency(session: Session, data: AgencyInput, *, actor: User | None) -> Agency:
    errors = agency_input_errors(data)
    if session.scalar(select(Agency.id).where(Agency.code == data.code)):
        errors["code"] = "agency.code_taken"
    if errors:
        raise ValidationFailed("agency.invalid", fields=errors)
    agency = Agency(code=data.code, **{name: getattr(data, name) for name in AGENCY_ATTRIBUTES})
    session.add(agency)
    session.flush()
    record_audit(session, actor, "create", "agency", agency.code,
                 {"kind": data.kind.value, "name_id": data.name_id})
    return agency


def update_agency(session: Session, code: str, data: AgencyInput, *, actor: User | None) -> Agency:
    """Change an agency's names, kind and contact; its code stays (workflows refer to it)."""
    agency = get_agency(session, code)
    errors = agency_input_errors(AgencyInput(**{**data.__dict__, "code": code}))
    if errors:
        raise ValidationFailed("agency.invalid", fields=errors)
    if agency.active and not data.active:
        _refuse_if_in_use(session, agency)
    changes = {}
    for name in AGENCY_ATTRIBUTES:
        value = getattr(data, name)
        if getattr(agency, name) != value:
            changes[name] = (value.isoformat() if isinstance(value, date)
                             else getattr(value, "value", value))
            setattr(agency, name, value)
    record_audit(session, actor, "update", "agency", code, changes)
    return agency


def services_routed_to(session: Session, agency: Agency) -> list[str]:
    """Codes of active services whose current version has a step owned by the agency."""
    owned = session.scalars(
        select(Service.code)
        .join(WorkflowStep, WorkflowStep.version_id == Service.current_version_id)
        .where(Service.active.is_(True), WorkflowStep.agency_id == agency.id)
        .distinct()
    ).all()
    chosen = [
        service.code
        for service in session.scalars(select(Service).where(Service.active.is_(True)))
        if service.current_version is not None
        and any(agency.code in step.agency_map.values() for step in service.current_version.steps)
    ]
    return sorted(set(owned) | set(chosen))


def _refuse_if_in_use(session: Session, agency: Agency) -> None:
    if codes := services_routed_to(session, agency):
        raise Conflict("agency.in_use", services=", ".join(codes))


def deactivate_agency(session: Session, code: str, *, actor: User | None) -> Agency:
    """Take an agency out of use, unless an active service still routes work to it."""
    agency = get_agency(session, code)
    if not agency.active:
        return agency
    _refuse_if_in_use(session, agency)
    agency.active = False
    record_audit(session, actor, "deactivate", "agency", code, {})
    return agency
