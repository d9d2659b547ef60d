"""The published catalog as a submission needs it, kept per process: published versions never
change, so one read of the catalog generation per submission tells whether the copy still holds."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from services.catalog.definitions import version_requirements
from services.catalog.requirements import Requirement
from services.city_calendar import agency_week, city_days_off
from services.errors import NotFound
from services.models import (
    Agency,
    CatalogState,
    ClockStart,
    FieldType,
    Holiday,
    Service,
    ServiceVersion,
    WorkflowStep,
)
from services.working_days import OFFICE_WEEK, DaysOff, WorkWeek


@dataclass(frozen=True)
class FieldRule:
    """What validation needs of a form field (the same attributes as FormField)."""

    key: str
    type: FieldType
    required: bool
    constraints: Mapping[str, Any]
    choices: tuple[Mapping[str, str], ...]
    show_if: Mapping[str, Any] | None


@dataclass(frozen=True)
class StepPlan:
    """What routing needs of a workflow step."""

    id: int
    stage: int
    sla_days: int
    agency_code: str | None
    agency_field: str | None
    agency_map: Mapping[str, str]
    condition: Mapping[str, Any] | None


@dataclass(frozen=True)
class PublishedVersion:
    """A service's current published version, frozen: its form and its workflow."""

    service_code: str
    version_id: int
    number: int
    duration_days: int
    clock_start: ClockStart
    name_id: str
    name_en: str
    fields: tuple[FieldRule, ...]
    steps: tuple[StepPlan, ...]
    requirements: tuple[Requirement, ...] = ()

    def text(self, attribute: str, lang: str) -> Any:
        return getattr(self, f"{attribute}_{'en' if lang == 'en' else 'id'}")


@dataclass
class _Copy:
    generation: int | None
    holidays: DaysOff
    agency_ids: Mapping[str, int]
    # Each agency's own week ("mon-sat", or "" for the city's) and its cuti bersama choice.
    agency_weeks: Mapping[str, tuple[str, bool]]
    services: dict[str, PublishedVersion] = field(default_factory=dict)


def catalog_generation(session: Session) -> int | None:
    return session.scalar(select(CatalogState.generation).where(CatalogState.id == 1))


def _published_version(session: Session, code: str) -> PublishedVersion | None:
    version = session.scalar(
        select(ServiceVersion)
        .join(Service, Service.current_version_id == ServiceVersion.id)
        .where(Service.code == code, Service.active.is_(True))
        .options(selectinload(ServiceVersion.fields),
                 selectinload(ServiceVersion.steps).joinedload(WorkflowStep.agency))
    )
    if version is None:
        return None
    return PublishedVersion(
        service_code=code, version_id=version.id, number=version.number,
        duration_days=version.duration_days, clock_start=version.clock_start,
        name_id=version.name_id, name_en=version.name_en,
        fields=tuple(FieldRule(f.key, f.type, f.required, dict(f.constraints or {}),
                               tuple(f.choices or ()), f.show_if) for f in version.fields),
        steps=tuple(step_plan(s) for s in version.steps),
        requirements=tuple(version_requirements(version)),
    )


def step_plan(step: WorkflowStep) -> StepPlan:
    """What routing needs of a stored workflow step."""
    return StepPlan(step.id, step.stage, step.sla_days,
                    step.agency.code if step.agency else None, step.agency_field,
                    dict(step.agency_map or {}), step.condition)


@dataclass(frozen=True)
class SubmissionCatalog:
    """Everything a submission reads from the catalog."""

    version: PublishedVersion
    # The holidays with cuti bersama apart, on a Monday-to-Friday week: see days_off_of.
    holidays: DaysOff
    agency_ids: Mapping[str, int]
    agency_weeks: Mapping[str, tuple[str, bool]] = field(default_factory=dict)

    def days_off_of(self, agency_code: str | None, city_week: WorkWeek) -> DaysOff:
        """The days the SLAs of an agency (``None``: the city as a whole) skip."""
        if agency_code is None or agency_code not in self.agency_weeks:
            return self.holidays.with_week(city_week)
        work_week, counts = self.agency_weeks[agency_code]
        return self.holidays.with_week(agency_week(work_week, counts, city_week))


class CatalogCache:
    """A per-process copy of the published catalog, dropped whole when the generation moves.
    Thread-safe; the generation is read before the rows, so a copy is never newer-labelled-old."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._copy: _Copy | None = None

    def for_submission(self, session: Session, service_code: str) -> SubmissionCatalog:
        """The active service's published version with the holidays and agencies; NotFound
        for a service that is unknown, inactive or unpublished."""
        generation = catalog_generation(session)
        with self._lock:
            copy = self._copy
        if copy is None or copy.generation != generation:
            agencies = session.execute(select(Agency.code, Agency.id, Agency.work_week,
                                              Agency.counts_cuti_bersama)).all()
            copy = _Copy(generation,
                         city_days_off(session.execute(select(Holiday.day, Holiday.kind)),
                                       OFFICE_WEEK),
                         {code: id_ for code, id_, _, _ in agencies},
                         {code: (week or "", bool(counts)) for code, _, week, counts in agencies})
        version = copy.services.get(service_code)
        if version is None:
            version = _published_version(session, service_code)
            if version is None:  # not remembered: any text may arrive as a service code
                raise NotFound("service.not_active", code=service_code)
            copy.services[service_code] = version
        with self._lock:
            self._copy = copy
        return SubmissionCatalog(version, copy.holidays, copy.agency_ids, copy.agency_weeks)

    def clear(self) -> None:
        with self._lock:
            self._copy = None


# The process's copy; tests and tools may hand submit_request their own.
published_catalog = CatalogCache()
