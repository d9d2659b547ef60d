"""Import and export of the whole catalog as one document (the YAML catalog file)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.catalog.definitions import version_to_definition
from services.catalog.schema import check_catalog
from services.catalog.versions import CatalogInvalid, decree_missing, publish_definition
from services.models import (
    Agency,
    AgencyKind,
    Category,
    Holiday,
    HolidayKind,
    Service,
    ServiceVersion,
    User,
)


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    agencies: int = 0
    categories: int = 0
    holidays: int = 0


def read_catalog_file(path: str | Path) -> Any:
    """Load a catalog YAML file, turning a syntax error into a CatalogInvalid naming the file."""
    path = Path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CatalogInvalid([f"{path.name}: file not found"]) from error
    except yaml.YAMLError as error:
        raise CatalogInvalid([f"{path.name}: not valid YAML ({error})"]) from error


def import_catalog(session: Session, document: Any, source: str, *,
                   actor: User | None = None, needs_decree: bool = False) -> ImportSummary:
    """Check a whole catalog document, then write all of it, or nothing if anything is wrong.
    A city that asks for it (``needs_decree``) takes no new version of a standard without its
    SK penetapan and a public consultation (UU 25/2009 Pasal 20), as the admin's publish."""
    problems = check_catalog(
        document, source,
        known_agencies=set(session.scalars(select(Agency.code))),
        known_categories=set(session.scalars(select(Category.code))),
    )
    if problems:
        raise CatalogInvalid(problems)
    summary = ImportSummary()
    for item in document.get("categories", []):
        _upsert_category(session, item)
        summary.categories += 1
    for item in document.get("agencies", []):
        _upsert_agency(session, item)
        summary.agencies += 1
    for item in document.get("holidays", []):
        _upsert_holiday(session, item)
        summary.holidays += 1
    session.flush()
    undecreed: list[str] = []
    for definition in document.get("services", []):
        version = _import_service(session, definition, summary, actor)
        if needs_decree and version is not None and decree_missing(version):
            undecreed.append(f"{source}: services: {definition['code']}: a new version needs its "
                             "SK penetapan (penetapan: number and date) and a public "
                             "consultation (consultations), as KIOSK_STANDARD_NEEDS_DECREE asks")
    if undecreed:
        raise CatalogInvalid(undecreed)  # the caller's unit of work writes nothing
    record_audit(session, actor, "import", "catalog", source,
                 {"created": summary.created, "new_versions": summary.new_versions})
    return summary


def _upsert_category(session: Session, item: Mapping[str, Any]) -> None:
    category = session.scalar(select(Category).where(Category.code == item["code"]))
    if category is None:
        category = Category(code=item["code"])
        session.add(category)
    category.name_id, category.name_en = item["name"]["id"], item["name"]["en"]
    category.icon = item.get("icon", "")
    category.position = item.get("position", 0)


def _upsert_agency(session: Session, item: Mapping[str, Any]) -> None:
    agency = session.scalar(select(Agency).where(Agency.code == item["code"]))
    if agency is None:
        agency = Agency(code=item["code"])
        session.add(agency)
    agency.kind = AgencyKind(item["kind"])
    agency.name_id, agency.name_en = item["name"]["id"], item["name"]["en"]
    for name in ("address", "phone", "email", "office_hours"):
        setattr(agency, name, str(item.get(name, "")))
    agency.active = item.get("active", True)
    agency.work_week = item.get("work_week") or ""
    agency.counts_cuti_bersama = bool(item.get("counts_cuti_bersama", False))
    maklumat = item.get("maklumat") or {}
    agency.maklumat_id = maklumat.get("text", {}).get("id", "")
    agency.maklumat_en = maklumat.get("text", {}).get("en", "")
    agency.maklumat_signer = maklumat.get("signer", "")
    agency.maklumat_date = maklumat.get("date")


def _upsert_holiday(session: Session, item: Mapping[str, Any]) -> None:
    holiday = session.scalar(select(Holiday).where(Holiday.day == item["date"]))
    if holiday is None:
        holiday = Holiday(day=item["date"])
        session.add(holiday)
    holiday.name_id, holiday.name_en = item["name"]["id"], item["name"]["en"]
    holiday.kind = HolidayKind(item.get("kind", HolidayKind.NATIONAL.value))
    holiday.provisional = bool(item.get("provisional", False))


def _import_service(session: Session, definition: Mapping[str, Any], summary: ImportSummary,
                    actor: User | None) -> ServiceVersion | None:
    """Publish the service's definition; the new version, if it made one."""
    category = session.scalar(select(Category).where(Category.code == definition["category"]))
    service = session.scalar(select(Service).where(Service.code == definition["code"]))
    is_new = service is None
    if service is None:
        service = Service(code=definition["code"], category=category)
        session.add(service)
        session.flush()
    service.category = category
    service.active = definition.get("active", True)
    version = publish_definition(session, service, definition, actor=actor)
    if is_new:
        summary.created.append(service.code)
    elif version is not None:
        summary.new_versions.append(service.code)
    else:
        summary.unchanged.append(service.code)
    return version


def export_catalog(session: Session) -> dict[str, Any]:
    """The whole catalog, current versions only, in the import format."""
    categories = session.scalars(select(Category).order_by(Category.position, Category.code))
    agencies = session.scalars(select(Agency).order_by(Agency.code))
    holidays = session.scalars(select(Holiday).order_by(Holiday.day))
    services = session.scalars(select(Service).order_by(Service.code))
    return {
        "categories": [
            {"code": c.code, "name": {"id": c.name_id, "en": c.name_en}, "icon": c.icon,
             "position": c.position}
            for c in categories
        ],
        "agencies": [_agency_definition(a) for a in agencies],
        "holidays": [
            {"date": h.day, "name": {"id": h.name_id, "en": h.name_en}, "kind": h.kind.value,
             **({"provisional": True} if h.provisional else {})} for h in holidays
        ],
        "services": [
            version_to_definition(s, s.current_version) for s in services if s.current_version
        ],
    }


def _agency_definition(agency: Agency) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": agency.code, "kind": agency.kind.value,
        "name": {"id": agency.name_id, "en": agency.name_en}, "address": agency.address,
        "phone": agency.phone, "email": agency.email, "office_hours": agency.office_hours,
        "active": agency.active}
    if agency.work_week:
        out["work_week"] = agency.work_week
    if agency.counts_cuti_bersama:
        out["counts_cuti_bersama"] = True
    if agency.maklumat_id and agency.maklumat_date is not None:
        out["maklumat"] = {"text": {"id": agency.maklumat_id, "en": agency.maklumat_en},
                           "signer": agency.maklumat_signer, "date": agency.maklumat_date}
    return out


def dump_catalog(document: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(document), allow_unicode=True, sort_keys=False, width=100)
