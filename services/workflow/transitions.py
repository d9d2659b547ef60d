"""The request and task status tables: the only status changes there are, the named sets of
statuses, and the actions that move them."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime

from services.errors import InvalidTransition
from services.models import RequestStatus as S
from services.models import Task
from services.models import TaskStatus as T
from services.models.requests import RUNNING_TASK_STATUSES as RUNNING_TASK_STATUSES

ALLOWED: dict[S, frozenset[S]] = {
    S.SUBMITTED: frozenset({S.IN_PROGRESS, S.NEEDS_INFO, S.AWAITING_PAYMENT, S.APPROVED,
                            S.REJECTED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.NEEDS_INFO, S.AWAITING_PAYMENT, S.APPROVED, S.REJECTED,
                              S.CANCELLED}),
    S.NEEDS_INFO: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    # menunggu pembayaran: paid, it moves on (or is decided); expired, it may be cancelled
    S.AWAITING_PAYMENT: frozenset({S.IN_PROGRESS, S.APPROVED, S.CANCELLED}),
    S.APPROVED: frozenset({S.COMPLETED}),
    S.REJECTED: frozenset(),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}

OPEN = frozenset({S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO, S.AWAITING_PAYMENT})
# A request its clerks are working on (not waiting on the citizen).
ACTIVE = frozenset({S.SUBMITTED, S.IN_PROGRESS})

TASK_ALLOWED: dict[T, frozenset[T]] = {
    T.PENDING: frozenset({T.READY, T.SKIPPED}),  # its stage opens, or it is routed away
    T.READY: frozenset({T.CLAIMED, T.WAITING, T.DONE, T.SKIPPED}),
    # claimed to claimed: a supervisor hands a held task to another clerk
    T.CLAIMED: frozenset({T.CLAIMED, T.READY, T.WAITING, T.DONE, T.SKIPPED}),
    T.WAITING: frozenset({T.READY, T.SKIPPED}),  # the citizen answered, or it is routed away
    T.DONE: frozenset(),
    T.SKIPPED: frozenset(),
}

# Tasks in a clerk's queue: ready, held, or returned to the citizen.
OPEN_TASK_STATUSES = frozenset({T.READY, T.CLAIMED, T.WAITING})
# Open tasks a clerk can work on now (their SLA clock runs): RUNNING_TASK_STATUSES, kept with
# Task.overdue_at, the one rule of "late".
# Tasks whose step is not decided yet, including those of stages not yet opened.
UNFINISHED_TASK_STATUSES = OPEN_TASK_STATUSES | {T.PENDING}
FINISHED_TASK_STATUSES = frozenset({T.DONE, T.SKIPPED})


def can_move(current: S, target: S) -> bool:
    return target in ALLOWED[current]


def next_status(current: S, target: S) -> S:
    """Return ``target`` if the table allows it from ``current``, else raise InvalidTransition."""
    if not can_move(current, target):
        raise InvalidTransition("request.transition_refused", status=current.value,
                                target=target.value)
    return target


def next_task_status(current: T, target: T) -> T:
    """Return ``target`` if the task table allows it from ``current``, else raise
    InvalidTransition."""
    if target not in TASK_ALLOWED[current]:
        raise InvalidTransition("task.transition_refused", status=current.value,
                                target=target.value)
    return target


def task_overdue(task: Task, now: datetime) -> bool:
    """A task is late when it is still to be worked on past its deadline (a task waiting on the
    citizen is not: its clock is stopped)."""
    return task.overdue_at(now)


def move_task(task: Task, target: T) -> None:
    """Change a task's status, as the task table allows: the only way a task's status changes."""
    task.status = next_task_status(task.status, target)


class Action(enum.StrEnum):
    """What a clerk, a supervisor or the citizen does to a task or its request."""

    CLAIM = "claim"
    RELEASE = "release"
    REASSIGN = "reassign"
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"
    FORWARD = "forward"
    EXTEND = "extend"
    SUPPLY = "supply"
    COMPLETE = "complete"
    BILL = "bill"  # the approval that assessed a fee issues its bill: the request awaits payment
    PAY = "pay"  # the bank reports the bill paid (lunas)
    LAPSE = "lapse"  # the bill expired unpaid and the service cancels the request


# The actions that move the request's status; the others leave it as it is.
ACTIONS = (Action.CLAIM, Action.RELEASE, Action.APPROVE, Action.REJECT, Action.RETURN,
           Action.SUPPLY, Action.FORWARD, Action.COMPLETE, Action.BILL, Action.PAY, Action.LAPSE)
# The statuses each action needs; the rest need a request being worked on.
ACTS_ON: dict[Action, frozenset[S]] = {Action.SUPPLY: frozenset({S.NEEDS_INFO}),
                                       Action.COMPLETE: frozenset({S.APPROVED}),
                                       Action.PAY: frozenset({S.AWAITING_PAYMENT}),
                                       Action.LAPSE: frozenset({S.AWAITING_PAYMENT})}


def request_takes(current: S, action: Action) -> bool:
    """Whether a request in ``current`` status can take ``action`` at all."""
    return current in ACTS_ON.get(action, ACTIVE)


def status_after(current: S, action: Action, *, request_finished: bool = False) -> S:
    """The request status after ``action`` on one of its tasks (a pure decision, table-checked).

    Work on a submitted request puts it in progress; the last stage's approval approves it; an
    approval that bills a fee makes it await payment, and payment moves it on as that approval
    would have."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    action = Action(action)
    if not request_takes(current, action):
        raise InvalidTransition("request.action_refused", status=current.value,
                                action=action.value)
    working = S.IN_PROGRESS if current is S.SUBMITTED else current
    if action is Action.APPROVE:
        target = S.APPROVED if request_finished else working
    elif action is Action.REJECT:
        target = S.REJECTED
    elif action is Action.RETURN:
        target = S.NEEDS_INFO
    elif action is Action.SUPPLY:
        target = S.IN_PROGRESS
    elif action is Action.COMPLETE:
        target = S.COMPLETED
    elif action is Action.BILL:
        target = S.AWAITING_PAYMENT
    elif action is Action.PAY:
        target = S.APPROVED if request_finished else S.IN_PROGRESS
    elif action is Action.LAPSE:
        target = S.CANCELLED
    else:  # claim, release, forward
        target = working
    return target if target is current else next_status(current, target)


def stage_finished(task_statuses: Iterable[T]) -> bool:
    """A stage is finished when every task in it is done or skipped (forwarded tasks are done,
    and the task they were forwarded to is in the same stage)."""
    return all(status in FINISHED_TASK_STATUSES for status in task_statuses)


def next_stage(stages: Mapping[int, Iterable[T]], current: int) -> int | None:
    """The first later stage that still has work (pending tasks); None when there is none."""
    later = [stage for stage, statuses in sorted(stages.items())
             if stage > current and any(status is T.PENDING for status in statuses)]
    return later[0] if later else None
