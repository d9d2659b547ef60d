"""The request status table: the only status changes there are."""

from __future__ import annotations

from services.errors import InvalidTransition
from services.models import RequestStatus as S

ALLOWED: dict[S, frozenset[S]] = {
    S.SUBMITTED: frozenset({S.IN_PROGRESS, S.NEEDS_INFO, S.APPROVED, S.REJECTED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.NEEDS_INFO, S.APPROVED, S.REJECTED, S.CANCELLED}),
    S.NEEDS_INFO: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.APPROVED: frozenset({S.COMPLETED}),
    S.REJECTED: frozenset(),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

OPEN = frozenset({S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO})


def can_move(current: S, target: S) -> bool:
    return target in ALLOWED[current]


def next_status(current: S, target: S) -> S:
    """Return ``target`` if the table allows it from ``current``, else raise InvalidTransition."""
    if not can_move(current, target):
        raise InvalidTransition("request.transition_refused", status=current.value,
                                target=target.value)
    return target


# What a clerk or the citizen did to a task; the request status follows from it.
ACTIONS = ("claim", "release", "approve", "reject", "return", "supply", "forward", "complete")
# The statuses each action needs; the rest need a request being worked on.
ACTS_ON: dict[str, frozenset[S]] = {"supply": frozenset({S.NEEDS_INFO}),
                                    "complete": frozenset({S.APPROVED})}


def status_after(current: S, action: str, *, request_finished: bool = False) -> S:
    """The request status after ``action`` on one of its tasks (a pure decision, table-checked).

    Work on a submitted request puts it in progress; the last stage's approval approves it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if current not in ACTS_ON.get(action, OPEN - {S.NEEDS_INFO}):
        raise InvalidTransition("request.action_refused", status=current.value, action=action)
    working = S.IN_PROGRESS if current is S.SUBMITTED else current
    if action == "approve":
        target = S.APPROVED if request_finished else working
    elif action == "reject":
        target = S.REJECTED
    elif action == "return":
        target = S.NEEDS_INFO
    elif action == "supply":
        target = S.IN_PROGRESS
    elif action == "complete":
        target = S.COMPLETED
    else:  # claim, release, forward
        target = working
    return target if target is current else next_status(current, target)


def stage_finished(task_states: list[str]) -> bool:
    """A stage is finished when every task in it is done or skipped (forwarded tasks are done,
    and the task they were forwarded to is in the same stage)."""
    return all(state in ("done", "skipped") for state in task_states)


def next_stage(stages: dict[int, list[str]], current: int) -> int | None:
    """The first later stage that still has work (pending tasks); None when there is none."""
    later = [stage for stage, states in sorted(stages.items())
             if stage > current and any(state == "pending" for state in states)]
    return later[0] if later else None
