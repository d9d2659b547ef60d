"""Routing: which agencies act on a request, in which stage, by when."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.conditions import condition_holds
from services.errors import ValidationFailed
from services.models import Agency, Holiday, ServiceRequest, Task, TaskStatus, WorkflowStep
from services.working_days import due_at


def step_applies(step: WorkflowStep, answers: Mapping[str, Any]) -> bool:
    return condition_holds(step.condition, answers)


def agency_code_for(step: WorkflowStep, answers: Mapping[str, Any]) -> str:
    """The owning agency: fixed on the step, or picked by an answer through its map."""
    if step.agency_field:
        answer = str(answers.get(step.agency_field, ""))
        if answer not in step.agency_map:
            raise ValidationFailed(
                "No agency handles this answer.",
                fields={step.agency_field: "Pilih salah satu pilihan yang tersedia."},
            )
        return step.agency_map[answer]
    assert step.agency is not None
    return step.agency.code


def holidays(session: Session) -> set[date]:
    return set(session.scalars(select(Holiday.day)))


def route_request(session: Session, request: ServiceRequest, *, now: datetime, tz: str,
                  holiday_days: Collection[date] | None = None) -> list[Task]:
    """Create a task for every applicable step; the first stage's tasks are ready at once."""
    days = holidays(session) if holiday_days is None else holiday_days
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    answers = request.answers
    tasks: list[Task] = []
    applicable = [s for s in request.service_version.steps if step_applies(s, answers)]
    first_stage = min(s.stage for s in applicable)
    for step in request.service_version.steps:
        applies = step in applicable
        if not applies and step.agency_field and answers.get(step.agency_field) is None:
            continue  # a step that does not apply and has no agency to note it against
        agency = agencies[agency_code_for(step, answers)]
        ready = applies and step.stage == first_stage
        task = Task(
            request=request,
            step=step,
            agency=agency,
            stage=step.stage,
            status=TaskStatus.READY if ready else (
                TaskStatus.PENDING if applies else TaskStatus.SKIPPED
            ),
            ready_at=now if ready else None,
            due_at=due_at(now, step.sla_days, days, tz) if ready else None,
        )
        session.add(task)
        tasks.append(task)
    return tasks
