"""Adding the signing stage to services, from data: for each service, which agency's official
signs (a last ``sign`` step) and its decision template; applied as a new catalog version, so
requests already filed keep the version they were made under."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.catalog.definitions import version_to_definition
from services.catalog.transfer import ImportSummary, import_catalog
from services.models import Service


def with_signing(definition: Mapping[str, Any], signing: Mapping[str, Any]) -> dict[str, Any]:
    """The service's definition ending with the official's ``sign`` step and the decision
    template (a pure function: a definition that already signs only takes the template)."""
    workflow = [dict(step) for step in definition["workflow"] if not step.get("signs")]
    sign = signing["sign"]
    workflow.append({"stage": max(step["stage"] for step in workflow) + 1,
                     "name": dict(sign["name"]), "agency": sign["agency"],
                     "sla_days": int(sign["sla_days"]), "signs": True})
    return {**definition, "workflow": workflow, "decision": dict(signing["decision"])}


def apply_signing(session: Session, overlay: Mapping[str, Any], source: str) -> ImportSummary:
    """Give each service the overlay names its signing stage and decision template (a new
    version where that changes anything; safe to repeat)."""
    definitions = []
    for code, signing in (overlay.get("services") or {}).items():
        service = session.scalar(select(Service).where(Service.code == code))
        if service is None or service.current_version is None:
            continue
        definitions.append(with_signing(version_to_definition(service, service.current_version),
                                        signing))
    return import_catalog(session, {"services": definitions}, source)
