"""Routing: which agencies act on a request, in which stage, by when."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.catalog.cache import StepPlan
from services.conditions import condition_holds
from services.errors import ValidationFailed
from services.models import Holiday, TaskStatus
from services.working_days import due_at


def step_applies(step: StepPlan, answers: Mapping[str, Any]) -> bool:
    return condition_holds(step.condition, answers)


def agency_code_for(step: StepPlan, answers: Mapping[str, Any]) -> str:
    """The owning agency: fixed on the step, or picked by an answer through its map."""
    if step.agency_field:
        answer = str(answers.get(step.agency_field, ""))
        if answer not in step.agency_map:
            raise ValidationFailed(
                "No agency handles this answer.",
                fields={step.agency_field: "Pilih salah satu pilihan yang tersedia."},
            )
        return step.agency_map[answer]
    assert step.agency_code is not None
    return step.agency_code


def holidays(session: Session) -> set[date]:
    return set(session.scalars(select(Holiday.day)))


@dataclass(frozen=True)
class TaskPlan:
    """One task a new request gets: its step, agency, stage, status and, if ready, due time."""

    step_id: int
    agency_code: str
    stage: int
    status: TaskStatus
    ready_at: datetime | None
    due_at: datetime | None


def plan_tasks(steps: Sequence[StepPlan], answers: Mapping[str, Any], *, now: datetime,
               tz: str, holiday_days: Collection[date]) -> list[TaskPlan]:
    """A task for every applicable step; the first stage's tasks are ready at once, later ones
    pending, and a step that does not apply is noted as skipped against its agency."""
    applicable = [s for s in steps if step_applies(s, answers)]
    first_stage = min(s.stage for s in applicable)
    plans: list[TaskPlan] = []
    for step in steps:
        applies = step in applicable
        if not applies and step.agency_field and answers.get(step.agency_field) is None:
            continue  # a step that does not apply and has no agency to note it against
        ready = applies and step.stage == first_stage
        plans.append(TaskPlan(
            step_id=step.id,
            agency_code=agency_code_for(step, answers),
            stage=step.stage,
            status=TaskStatus.READY if ready else (
                TaskStatus.PENDING if applies else TaskStatus.SKIPPED
            ),
            ready_at=now if ready else None,
            due_at=due_at(now, step.sla_days, holiday_days, tz) if ready else None,
        ))
    return plans
