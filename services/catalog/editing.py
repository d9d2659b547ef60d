"""Administrators edit a service through its draft: small changes to the definition, each
re-checked whole by the catalog rules (one source of truth), and new services."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.catalog.definitions import MANAGEMENT_TEXTS, build_version, version_to_definition
from services.catalog.requirements import is_plain_wording, structured_items, with_wording
from services.catalog.schema import Problem
from services.catalog.versions import (
    CatalogInvalid,
    agencies_by_code,
    check_definition,
    draft_definition,
    draft_of,
    get_service,
    save_draft,
)
from services.conditions import NO, YES, as_number, as_yes_no
from services.errors import Message, NotFound, ValidationFailed
from services.models import Category, Service, ServiceVersion, User, VersionState
from services.numbers import format_indonesian_number

Definition = dict[str, Any]
NUMBER_OPS = ("gt", "gte", "lt", "lte")
LIST_OPS = ("in", "not_in")
STANDARD_KEYS = ("name", "description", "requirements", "procedure", "duration_days", "fee",
                 "product", "product_validity_days", "complaint_channel", "category",
                 "dasar_hukum", "fee_kind", "fee_basis", "product_kind", "external_system",
                 "collection", "facilities", "guarantee", "keywords", "clock_start",
                 *MANAGEMENT_TEXTS, "penetapan")
OPTIONAL_STANDARD = ("product_validity_days", "external_system", "collection", "facilities",
                     "guarantee", "keywords", *MANAGEMENT_TEXTS, "penetapan")
def editable_definition(session: Session, code: str) -> tuple[Definition, ServiceVersion]:
    """What the edit pages show: the draft if there is one, else the current version."""
    service = get_service(session, code)
    version = draft_of(service) or service.current_version
    if version is None:
        raise NotFound("service.no_version", code=code)
    return version_to_definition(service, version), version


def problem_fields(problems: Iterable[Problem], where: str,
                   names: Iterable[str]) -> dict[str, Message]:
    """Put each problem found at ``where`` beside the form input its location names: ("fee",)
    the input "fee", ("name", "en") "name_en", ("show_if", "field") "show_if_field"; a text
    pair without a language its Indonesian input ("name_id")."""
    names = list(names)
    fields: dict[str, Message] = {}
    for problem in problems:
        if problem.where != where or not problem.loc:
            continue
        joined = "_".join(problem.loc)
        name = next((n for n in (joined, f"{joined}_id", problem.loc[0]) if n in names), None)
        if name and name not in fields:
            fields[name] = Message("import.problem", {"problem": problem.text})
    return fields


def edit_draft(session: Session, code: str, change: Callable[[Definition], None], *,
               actor: User | None, where: str = "", inputs: Iterable[str] = ()) -> ServiceVersion:
    """Apply ``change`` to the draft's definition and save it; problems come back with the
    form inputs they concern (``where`` is e.g. "field purpose", "" for the standard)."""
    definition = draft_definition(session, code, actor=actor)
    change(definition)
    try:
        return save_draft(session, code, definition, actor=actor)
    except CatalogInvalid as error:
        place = f"service {code}" + (f": {where}" if where else "")
        raise CatalogInvalid(error.problems, located=error.located,
                             fields=problem_fields(error.located, place, inputs)) from error


def apply_standard(definition: Definition, values: Mapping[str, Any]) -> None:
    """Set the service standard (names, requirements, fee, ...) from edited values."""
    before = definition.get("requirements")
    for key in STANDARD_KEYS:
        if key in values:
            definition[key] = values[key]
    if is_plain_wording(values.get("requirements")):  # the wording edited line by line
        definition["requirements"] = with_wording(structured_items(before), values["requirements"])
    for key in OPTIONAL_STANDARD:
        value = definition.get(key)
        if value is None or value == "" or value == [] or (
                isinstance(value, Mapping) and not any(value.values())):
            definition.pop(key, None)


def add_consultation(definition: Definition, entry: Mapping[str, Any]) -> None:
    """Record a public consultation held on the draft's standard (UU 25/2009 Pasal 20)."""
    definition["consultations"] = [*(definition.get("consultations") or []), dict(entry)]


def _rename_references(definition: Definition, old: str, new: str) -> None:
    for item in definition["fields"]:
        if (item.get("show_if") or {}).get("field") == old:
            item["show_if"]["field"] = new
    for step in definition["workflow"]:
        if (step.get("condition") or {}).get("field") == old:
            step["condition"]["field"] = new
        if (step.get("agency_from") or {}).get("field") == old:
            step["agency_from"]["field"] = new


def field_index(definition: Definition, key: str) -> int:
    for index, item in enumerate(definition["fields"]):
        if item["key"] == key:
            return index
    raise NotFound("service.no_field", key=key)


def put_field(definition: Definition, old_key: str | None, field: Definition) -> None:
    """Replace the field ``old_key`` in place (renaming references), or append a new one."""
    if old_key is None:
        definition["fields"].append(field)
        return
    definition["fields"][field_index(definition, old_key)] = field
    if field["key"] != old_key:
        _rename_references(definition, old_key, field["key"])


def remove_field(definition: Definition, key: str) -> None:
    del definition["fields"][field_index(definition, key)]


def move_field(definition: Definition, key: str, offset: int) -> None:
    """Move a field up (-1) or down (+1) in the form's order."""
    fields = definition["fields"]
    index = field_index(definition, key)
    target = index + offset
    if 0 <= target < len(fields):
        fields[index], fields[target] = fields[target], fields[index]


def step_at(definition: Definition, index: int) -> Definition:
    if not 0 <= index < len(definition["workflow"]):
        raise NotFound("service.no_step", number=index + 1)
    return definition["workflow"][index]


def put_step(definition: Definition, index: int | None, step: Definition) -> None:
    if index is None:
        definition["workflow"].append(step)
    else:
        step_at(definition, index)
        definition["workflow"][index] = step


def remove_step(definition: Definition, index: int) -> None:
    step_at(definition, index)
    del definition["workflow"][index]


def parse_condition(fields: Mapping[str, Mapping[str, Any]], target: str, op: str,
                    raw: str) -> dict[str, Any] | None:
    """Turn a condition typed in a form into the catalog's {field, op, value}; no target, none."""
    if not target:
        return None
    raw = raw.strip()
    kind = (fields.get(target) or {}).get("type")
    if op in LIST_OPS:
        return {"field": target, "op": op, "value": [p.strip() for p in raw.split(",") if p.strip()]}
    if op in NUMBER_OPS or kind in ("number", "rupiah"):
        return {"field": target, "op": op, "value": _number(raw)}
    if kind == "yes_no":
        said = as_yes_no(raw)
        return {"field": target, "op": op, "value": raw if said is None else said}
    return {"field": target, "op": op, "value": raw}


def _number(raw: str) -> Any:
    """A number as Indonesians write it ("10.000", "12,5"); else the text, which the catalog
    check refuses."""
    number = as_number(raw)
    return raw if number is None else number


def condition_text(condition: Mapping[str, Any] | None) -> str:
    """A condition's value as typed in a form (the reverse of parse_condition)."""
    if not condition:
        return ""
    value = condition.get("value")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int | float):
        return format_indonesian_number(value)
    return "" if value is None else str(value)


def starter_definition(code: str, category: str, name: Mapping[str, str], agency: str) -> Definition:
    """A new service's first draft: one question, one step; the administrator fills the rest."""
    return {
        "code": code,
        "category": category,
        "name": dict(name),
        "description": {"id": "", "en": ""},
        "requirements": {"id": ["Fotokopi KTP"], "en": ["Copy of identity card (KTP)"]},
        "procedure": {"id": ["Isi formulir di e-Kios", "Ambil produk di loket"],
                      "en": ["Fill in the form at an e-Kiosk", "Collect the product at the desk"]},
        "dasar_hukum": {"id": ["UU 25/2009 tentang Pelayanan Publik"],
                        "en": ["Law 25/2009 on Public Services"]},
        "duration_days": 5,
        "fee_kind": "free",
        "fee": 0,
        "fee_basis": {"id": "Tidak dipungut biaya", "en": "Free of charge"},
        "product_kind": "document",
        "product": dict(name),
        "complaint_channel": {"id": "SP4N-LAPOR!", "en": "SP4N-LAPOR!"},
        "fields": [{"key": "keperluan", "type": "text", "required": True, "page": 1,
                    "label": {"id": "Keperluan", "en": "Purpose"}}],
        "workflow": [{"stage": 1, "name": {"id": "Verifikasi berkas", "en": "Check the documents"},
                      "agency": agency, "sla_days": 3}],
    }


def create_service(session: Session, *, code: str, category: str, name: Mapping[str, str],
                   agency: str, actor: User | None) -> Service:
    """A new service with a first draft (not yet visible to citizens until published)."""
    if session.scalar(select(Service.id).where(Service.code == code)):
        raise ValidationFailed("service.code_taken", fields={"code": "service.code_taken"})
    definition = starter_definition(code, category, name, agency)
    try:
        check_definition(session, definition, f"service {code}")
    except CatalogInvalid as error:
        raise CatalogInvalid(
            error.problems, located=error.located,
            fields=problem_fields(error.located, f"service {code}",
                                  ("code", "category", "name_id", "name_en", "agency")),
        ) from error
    service = Service(
        code=code, active=True,
        category=session.scalar(select(Category).where(Category.code == category)),
    )
    session.add(service)
    session.flush()
    session.add(build_version(service, 1, definition, agencies_by_code(session),
                              VersionState.DRAFT))
    session.flush()
    session.expire(service, ["versions"])
    record_audit(session, actor, "create", "service", code, {"version": 1, "category": category})
    return service
