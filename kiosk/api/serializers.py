"""The API's JSON shapes of domain objects, in one language."""

from __future__ import annotations

from typing import Any

from services.catalog.definitions import version_requirements
from services.catalog.requirements import Requirement
from services.catalog.standard import fee_text
from services.ikm.index import IkmResult
from services.models import Agency, FormField, Service, ServiceVersion, WorkflowStep


def agency_json(agency: Agency, lang: str) -> dict[str, Any]:
    return {
        "code": agency.code,
        "kind": agency.kind.value,
        "name": agency.name(lang),
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "office_hours": agency.office_hours,
    }


def service_summary_json(service: Service, lang: str) -> dict[str, Any]:
    version = service.current_version
    assert version is not None
    return {
        "code": service.code,
        "category": {"code": service.category.code, "name": service.category.name(lang)},
        "name": version.text("name", lang),
        "description": version.text("description", lang),
        "duration_days": version.duration_days,
        "fee": version.fee,
        "fee_kind": version.fee_kind.value,
        "fee_text": fee_text(version, lang),
        "product_kind": version.product_kind.value,
        "version": version.number,
    }


def document_json(requirement: Requirement, lang: str) -> dict[str, Any]:
    """A document the service asks for: its key (named among the answers with upload ids),
    whether it is required or asked under a condition, the media types and the limits."""
    return {"key": requirement.key, "name": requirement.name(lang),
            "required": requirement.required, "show_if": requirement.show_if,
            "media_types": list(requirement.media_types), "max_bytes": requirement.max_bytes,
            "max_files": requirement.max_files}


def service_detail_json(service: Service, version: ServiceVersion, lang: str) -> dict[str, Any]:
    return {
        **service_summary_json(service, lang),
        "version": version.number,
        "standard": {
            "requirements": version.text("requirements", lang),
            "documents": [document_json(item, lang) for item in version_requirements(version)
                          if item.asks_a_file],
            "procedure": version.text("procedure", lang),
            "duration_days": version.duration_days,
            "fee": version.fee,
            "product": version.text("product", lang),
            "product_validity_days": version.product_validity_days,
            "complaint_channel": version.text("complaint_channel", lang),
            "dasar_hukum": version.text("legal_basis", lang),
            "fee_kind": version.fee_kind.value,
            "fee_basis": version.text("fee_basis", lang),
            "product_kind": version.product_kind.value,
            "external_system": version.external_system or None,
            "collection": version.text("collection", lang),
            "clock_start": version.clock_start.value,
            "keywords": list(version.keywords),
        },
        "fields": [field_json(field, lang) for field in version.fields],
        "workflow": [step_json(step, lang) for step in version.steps],
    }


def field_json(field: FormField, lang: str) -> dict[str, Any]:
    return {
        "key": field.key,
        "type": field.type.value,
        "label": field.label(lang),
        "help": field.help(lang),
        "required": field.required,
        "page": field.page,
        "constraints": field.constraints,
        "choices": [
            {"value": c["value"], "label": c["label_en"] if lang == "en" else c["label_id"]}
            for c in field.choices
        ],
        "show_if": field.show_if,
    }


def step_json(step: WorkflowStep, lang: str) -> dict[str, Any]:
    return {
        "stage": step.stage,
        "name": step.name(lang),
        "agency": step.agency.code if step.agency else None,
        "agency_from": {"field": step.agency_field, "map": step.agency_map}
        if step.agency_field
        else None,
        "sla_days": step.sla_days,
        "condition": step.condition,
    }


def ikm_json(result: IkmResult) -> dict[str, Any]:
    """The four keys every IKM answer carries: respondents, unsur (u1..u9: the mean of the
    answers, NRR, unrounded), ikm (two decimals, rounded half up) and grade (A-D)."""
    return {
        "respondents": result.respondents,
        "unsur": {key: None if score is None else float(score)
                  for key, score in result.element_scores.items()},
        "ikm": None if result.ikm is None else float(result.ikm),
        "grade": None if result.grade is None else result.grade.letter,
    }
