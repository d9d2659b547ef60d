"""Convert between a service definition (the catalog file's shape) and a ServiceVersion."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from services.catalog.requirements import (
    Requirement,
    requirements_of,
    structured_items,
    wording,
)
from services.catalog.schema import fee_kind_of
from services.models import (
    Agency,
    ClockStart,
    FeeKind,
    FieldType,
    FormField,
    ProductKind,
    Service,
    ServiceVersion,
    VersionState,
    WorkflowStep,
)

# The components of Pasal 21 kept for managing the service (kompetensi pelaksana, pengawasan
# internal, jumlah pelaksana, jaminan keamanan dan keselamatan, evaluasi kinerja pelaksana).
MANAGEMENT_TEXTS = ("competence", "supervision", "staffing", "safety", "evaluation")


def _pair(value: Mapping[str, Any] | None) -> tuple[Any, Any]:
    value = value or {}
    return value.get("id", ""), value.get("en", "")


def build_version(service: Service | None, number: int, definition: Mapping[str, Any],
                  agencies: Mapping[str, Agency], state: VersionState) -> ServiceVersion:
    """Make an unsaved version of ``service`` from a checked definition."""
    name_id, name_en = _pair(definition["name"])
    description_id, description_en = _pair(definition.get("description"))
    requirements = [item.as_item() for item in
                    requirements_of(structured_items(definition["requirements"]))]
    requirement_lines = wording(requirements)
    procedure_id, procedure_en = _pair(definition["procedure"])
    product_id, product_en = _pair(definition["product"])
    complaint_id, complaint_en = _pair(definition.get("complaint_channel"))
    legal_id, legal_en = _pair(definition.get("dasar_hukum"))
    fee_basis_id, fee_basis_en = _pair(definition.get("fee_basis"))
    collection_id, collection_en = _pair(definition.get("collection"))
    facilities_id, facilities_en = _pair(definition.get("facilities"))
    guarantee_id, guarantee_en = _pair(definition.get("guarantee"))
    penetapan = definition.get("penetapan") or {}
    version = ServiceVersion(
        service=service,
        number=number,
        state=state,
        name_id=name_id,
        name_en=name_en,
        description_id=description_id,
        description_en=description_en,
        requirements_id=requirement_lines["id"],
        requirements_en=requirement_lines["en"],
        requirement_items=requirements,
        retention_years=definition.get("retention_years", 5),
        procedure_id=list(procedure_id),
        procedure_en=list(procedure_en),
        duration_days=definition["duration_days"],
        fee=definition.get("fee", 0),
        product_id=product_id,
        product_en=product_en,
        product_validity_days=definition.get("product_validity_days"),
        decision=dict(definition["decision"]) if definition.get("decision") else None,
        complaint_channel_id=complaint_id,
        complaint_channel_en=complaint_en,
        clock_start=ClockStart(definition.get("clock_start", "submission")),
        fee_kind=FeeKind(fee_kind_of(definition)),
        fee_basis_id=fee_basis_id,
        fee_basis_en=fee_basis_en,
        fee_is_tax=bool(definition.get("fee_is_tax", False)),
        product_kind=ProductKind(definition.get("product_kind", "document")),
        external_system=definition.get("external_system") or "",
        collection_id=collection_id,
        collection_en=collection_en,
        legal_basis_id=list(legal_id or []),
        legal_basis_en=list(legal_en or []),
        facilities_id=facilities_id,
        facilities_en=facilities_en,
        guarantee_id=guarantee_id,
        guarantee_en=guarantee_en,
        **{f"{name}_{lang}": text for name in MANAGEMENT_TEXTS
           for lang, text in zip(("id", "en"), _pair(definition.get(name)), strict=True)},
        decree_number=str(penetapan.get("number", "")),
        decree_date=penetapan.get("date"),
        consultations=[{"date": entry["date"].isoformat(), "participants": entry["participants"],
                        "summary": entry["summary"]}
                       for entry in definition.get("consultations") or []],
        keywords=[str(word) for word in definition.get("keywords") or []],
        page_titles=[{"page": int(page), "id": title["id"], "en": title["en"]}
                     for page, title in sorted((definition.get("page_titles") or {}).items())],
    )
    for position, field in enumerate(definition["fields"]):
        version.fields.append(_build_field(field, position))
    for position, step in enumerate(definition["workflow"]):
        version.steps.append(_build_step(step, position, agencies))
    return version


def _build_field(field: Mapping[str, Any], position: int) -> FormField:
    label_id, label_en = _pair(field["label"])
    help_id, help_en = _pair(field.get("help"))
    return FormField(
        key=field["key"],
        type=FieldType(field["type"]),
        label_id=label_id,
        label_en=label_en,
        help_id=help_id,
        help_en=help_en,
        required=field.get("required", True),
        constraints=dict(field.get("constraints") or {}),
        choices=[
            {"value": str(c["value"]), "label_id": c["label"]["id"], "label_en": c["label"]["en"]}
            for c in field.get("choices") or []
        ],
        page=field.get("page", 1),
        position=position,
        show_if=dict(field["show_if"]) if field.get("show_if") else None,
    )


def _build_step(step: Mapping[str, Any], position: int, agencies: Mapping[str, Agency]) -> WorkflowStep:
    name_id, name_en = _pair(step["name"])
    chooser = step.get("agency_from") or {}
    return WorkflowStep(
        stage=step["stage"],
        position=position,
        name_id=name_id,
        name_en=name_en,
        agency=agencies[step["agency"]] if step.get("agency") else None,
        agency_field=chooser.get("field"),
        agency_map={str(k): v for k, v in (chooser.get("map") or {}).items()},
        sla_days=step["sla_days"],
        condition=dict(step["condition"]) if step.get("condition") else None,
        forward_to=list(step.get("forward_to") or []),
        marks_complete=bool(step.get("marks_complete", False)),
        assesses_fee=bool(step.get("assesses_fee", False)),
        billing=dict(step["billing"]) if step.get("billing") else None,
        signs=bool(step.get("signs", False)),
        deemed_approval=bool(step.get("deemed_approval", False)),
    )


def version_to_definition(service: Service, version: ServiceVersion) -> dict[str, Any]:
    """The catalog file's shape of one version; import(export(x)) gives back x."""
    return {
        "code": service.code,
        "category": service.category.code,
        "active": service.active,
        **version_content(version),
    }


def version_content(version: ServiceVersion) -> dict[str, Any]:
    """What a version says, without the service-level code, category and active flag."""
    definition: dict[str, Any] = {
        "name": {"id": version.name_id, "en": version.name_en},
        "description": {"id": version.description_id, "en": version.description_en},
        "requirements": stored_requirements(version),
        "procedure": {"id": list(version.procedure_id), "en": list(version.procedure_en)},
        "dasar_hukum": {"id": list(version.legal_basis_id), "en": list(version.legal_basis_en)},
        "duration_days": version.duration_days,
        "clock_start": version.clock_start.value,
        "fee_kind": version.fee_kind.value,
        "fee": version.fee,
        "fee_basis": {"id": version.fee_basis_id, "en": version.fee_basis_en},
        "product_kind": version.product_kind.value,
        "product": {"id": version.product_id, "en": version.product_en},
        "complaint_channel": {
            "id": version.complaint_channel_id,
            "en": version.complaint_channel_en,
        },
        "fields": [_field_definition(field) for field in version.fields],
        "workflow": [_step_definition(step) for step in version.steps],
    }
    if version.retention_years != 5:
        definition["retention_years"] = version.retention_years
    if version.product_validity_days:
        definition["product_validity_days"] = version.product_validity_days
    if version.external_system:
        definition["external_system"] = version.external_system
    if version.decision:
        definition["decision"] = dict(version.decision)
    for name in ("collection", "facilities", "guarantee", *MANAGEMENT_TEXTS):
        pair = {"id": getattr(version, f"{name}_id"), "en": getattr(version, f"{name}_en")}
        if pair["id"] or pair["en"]:
            definition[name] = pair
    if version.decree_number and version.decree_date is not None:
        definition["penetapan"] = {"number": version.decree_number, "date": version.decree_date}
    if version.consultations:
        definition["consultations"] = [
            {**entry, "date": date.fromisoformat(entry["date"])} for entry in version.consultations]
    if version.fee_is_tax:
        definition["fee_is_tax"] = True
    if version.keywords:
        definition["keywords"] = list(version.keywords)
    if version.page_titles:
        definition["page_titles"] = {entry["page"]: {"id": entry["id"], "en": entry["en"]}
                                     for entry in version.page_titles}
    return definition


def stored_requirements(version: ServiceVersion) -> list[dict[str, Any]]:
    """A version's structured requirements; a version saved before they were structured has
    its wording read as things shown at the counter."""
    if version.requirement_items:
        return [dict(item) for item in version.requirement_items]
    return structured_items({"id": list(version.requirements_id or []),
                             "en": list(version.requirements_en or [])})


def version_requirements(version: ServiceVersion) -> list[Requirement]:
    """A version's requirements, typed."""
    return requirements_of(stored_requirements(version))


def _field_definition(field: FormField) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": field.key,
        "type": field.type.value,
        "label": {"id": field.label_id, "en": field.label_en},
        "required": field.required,
        "page": field.page,
    }
    if field.help_id or field.help_en:
        out["help"] = {"id": field.help_id, "en": field.help_en}
    if field.constraints:
        out["constraints"] = dict(field.constraints)
    if field.choices:
        out["choices"] = [
            {"value": c["value"], "label": {"id": c["label_id"], "en": c["label_en"]}}
            for c in field.choices
        ]
    if field.show_if:
        out["show_if"] = dict(field.show_if)
    return out


def _step_definition(step: WorkflowStep) -> dict[str, Any]:
    out: dict[str, Any] = {
        "stage": step.stage,
        "name": {"id": step.name_id, "en": step.name_en},
        "sla_days": step.sla_days,
    }
    if step.agency_field:
        out["agency_from"] = {"field": step.agency_field, "map": dict(step.agency_map)}
    else:
        out["agency"] = step.agency.code if step.agency else None
    if step.condition:
        out["condition"] = dict(step.condition)
    if step.forward_to:
        out["forward_to"] = list(step.forward_to)
    for flag in ("marks_complete", "assesses_fee", "signs", "deemed_approval"):
        if getattr(step, flag):
            out[flag] = True
    if step.billing:
        out["billing"] = dict(step.billing)
    return out
