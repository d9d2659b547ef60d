"""Routing: which agencies act on a request, in which stage, by when."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.catalog.cache import StepPlan, step_plan
from services.city_calendar import CityCalendar, holidays  # noqa: F401 (complaints read it here)
from services.conditions import condition_holds
from services.errors import ValidationFailed
from services.models import Agency, ServiceRequest, Task, TaskStatus
from services.workflow.transitions import (
    OPEN_TASK_STATUSES,
    UNFINISHED_TASK_STATUSES,
    move_task,
)
from services.working_days import DaysOffLike, due_at


def step_applies(step: StepPlan, answers: Mapping[str, Any]) -> bool:
    return condition_holds(step.condition, answers)


def agency_code_for(step: StepPlan, answers: Mapping[str, Any]) -> str:
    """The owning agency: fixed on the step, or picked by an answer through its map."""
    if step.agency_field:
        answer = str(answers.get(step.agency_field, ""))
        if answer not in step.agency_map:
            raise ValidationFailed("routing.no_agency_for_answer",
                                   fields={step.agency_field: "field.choice"})
        return step.agency_map[answer]
    assert step.agency_code is not None
    return step.agency_code


def routing_plan(steps: Collection[StepPlan],
                 answers: Mapping[str, Any]) -> dict[int, tuple[bool, str | None]]:
    """For each step (by id): whether it applies and which agency owns it, as these answers
    decide. Both the first routing and a re-routing after changed answers read this."""
    plan: dict[int, tuple[bool, str | None]] = {}
    for step in steps:
        applies = step_applies(step, answers)
        if not applies and step.agency_field and answers.get(step.agency_field) is None:
            plan[step.id] = (False, None)  # no agency to note a skipped step against
        else:
            plan[step.id] = (applies, agency_code_for(step, answers))
    return plan


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
               tz: str, holiday_days: DaysOffLike,
               days_off_of: Callable[[str], DaysOffLike] | None = None) -> list[TaskPlan]:
    """A task for every applicable step; the first stage's tasks are ready at once, later ones
    pending, and a step that does not apply is noted as skipped against its agency. A ready
    task's deadline counts its agency's working days (``days_off_of``) when given."""
    plan = routing_plan(steps, answers)
    first_stage = min(s.stage for s in steps if plan[s.id][0])
    plans: list[TaskPlan] = []
    for step in steps:
        applies, code = plan[step.id]
        if code is None:
            continue  # a step that does not apply and has no agency to note it against
        ready = applies and step.stage == first_stage
        plans.append(TaskPlan(
            step_id=step.id,
            agency_code=code,
            stage=step.stage,
            status=TaskStatus.READY if ready else (
                TaskStatus.PENDING if applies else TaskStatus.SKIPPED
            ),
            ready_at=now if ready else None,
            due_at=due_at(now, step.sla_days,
                          days_off_of(code) if days_off_of else holiday_days, tz)
            if ready else None,
        ))
    return plans


@dataclass(frozen=True)
class Move:
    """One step whose owner changed when the answers did (``None``: the step no longer
    applies, or did not before)."""

    step_id: int
    from_agency: str | None
    to_agency: str | None

    def as_data(self) -> dict[str, Any]:
        return {"step": self.step_id, "from": self.from_agency, "to": self.to_agency}


def reroute_request(session: Session, request: ServiceRequest, before: Mapping[str, Any], *,
                    now: datetime, calendar: CityCalendar) -> list[Move]:
    """After answers changed from ``before``: every step of the current or a later stage whose
    routing changed has its open task skipped and a task made at the agency the new answers
    pick (ready in the current stage, keeping the deadline; pending in a later one). Steps of
    finished stages keep their history. Not committed."""
    steps = request.service_version.steps
    plans = [step_plan(step) for step in steps]
    old, new = routing_plan(plans, before), routing_plan(plans, request.answers)
    open_stages = [t.stage for t in request.tasks
                   if t.status in OPEN_TASK_STATUSES]
    if old == new or not open_stages:
        return []
    current = min(open_stages)
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    moves: list[Move] = []
    for step in steps:
        if old[step.id] == new[step.id] or step.stage < current:
            continue
        mine = [t for t in request.tasks if t.step_id == step.id]
        if any(t.status is TaskStatus.DONE for t in mine):
            continue  # this step was already decided; a clerk there may forward it on
        was = [t for t in mine if t.status in UNFINISHED_TASK_STATUSES]
        for task in was:
            move_task(task, TaskStatus.SKIPPED)
            task.claimed_by_id = None
        applies, code = new[step.id]
        moves.append(Move(step.id, was[0].agency.code if was else None,
                          code if applies else None))
        if not applies or code is None:
            continue
        ready = step.stage == current
        deadline = was[0].due_at if ready and was else None
        if ready and deadline is None:
            deadline = calendar.due_at(now, step.sla_days,
                                       calendar.days_off(session, agencies[code]))
        session.add(Task(
            request=request, step=step, agency=agencies[code], stage=step.stage,
            status=TaskStatus.READY if ready else TaskStatus.PENDING,
            ready_at=now if ready else None, due_at=deadline,
        ))
    session.flush()
    return moves
