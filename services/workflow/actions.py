"""Who may do what to a task, now: one pure rule that both the use cases' guards and the clerk
page read. A use case refuses an action not in ``available_actions``, with the reason
``refusal`` gives; the page offers exactly the actions in it."""

from __future__ import annotations

from services.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from services.models import Role, ServiceRequest, Task, User
from services.models import TaskStatus as T
from services.workflow.transitions import (
    OPEN_TASK_STATUSES,
    RUNNING_TASK_STATUSES,
    Action,
    request_takes,
)

STAFF_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR})
# The actions a clerk takes on one task of their agency (complete acts on the whole request).
TASK_ACTIONS = (Action.CLAIM, Action.APPROVE, Action.RETURN, Action.FORWARD, Action.REJECT,
                Action.RELEASE, Action.REASSIGN, Action.EXTEND)
# The decisions on a task: its holder's (or, on a ready task, any clerk's of its agency).
DECISIONS = frozenset({Action.APPROVE, Action.RETURN, Action.FORWARD, Action.REJECT})


def forward_targets(task: Task) -> list[str]:
    """The agencies this task may be forwarded to: the step's list, less its own agency."""
    return [code for code in task.step.forward_to if code != task.agency.code]


def works_a_queue(actor: User) -> bool:
    """Whether the actor is an active clerk or supervisor of an agency."""
    return actor.role in STAFF_ROLES and actor.agency_id is not None and actor.active


def _staff_refusal(task: Task, actor: User) -> DomainError | None:
    if not works_a_queue(actor):
        return NotAllowed("queue.staff_only")
    if task.agency_id != actor.agency_id:
        return NotAllowed("queue.no_such_task")
    if task.step.signs:  # the agency's signing official's, through the signing queue
        return NotAllowed("sign.official_only")
    return None


def _decision_refusal(task: Task, request: ServiceRequest, actor: User,
                      action: Action) -> DomainError | None:
    if not request_takes(request.status, action):
        return InvalidTransition("task.request_not_active", status=request.status.value)
    if task.status is T.CLAIMED and task.claimed_by_id != actor.id:
        return Conflict("task.held_by_other")
    if task.status not in RUNNING_TASK_STATUSES:
        return InvalidTransition("task.not_open", status=task.status.value)
    if action is Action.FORWARD and not forward_targets(task):
        return NotAllowed("task.forward_not_allowed")
    return None


def refusal(task: Task, request: ServiceRequest, actor: User,
            action: Action) -> DomainError | None:
    """Why ``actor`` may not take ``action`` on ``task`` of ``request`` now; None if they may."""
    if (refused := _staff_refusal(task, actor)) is not None:
        return refused
    supervisor = actor.role is Role.SUPERVISOR
    if action in DECISIONS:
        return _decision_refusal(task, request, actor, action)
    if action is Action.CLAIM:
        if task.status is not T.READY:
            return Conflict("queue.task_not_waiting")
        if not request_takes(request.status, action):
            return InvalidTransition("queue.request_not_active")
    elif action is Action.RELEASE:
        if task.status is not T.CLAIMED:
            return InvalidTransition("queue.release_claimed_only")
        if task.claimed_by_id != actor.id and not supervisor:
            return NotAllowed("queue.release_holder_only")
    elif action is Action.REASSIGN:
        if not supervisor:
            return NotAllowed("queue.supervisor_only")
        if task.status not in RUNNING_TASK_STATUSES:
            return InvalidTransition("queue.reassign_open_only")
        if not request_takes(request.status, Action.CLAIM):
            return InvalidTransition("queue.request_not_active")
    elif action is Action.EXTEND:
        if not supervisor:
            return NotAllowed("queue.supervisor_only")
        if task.status not in OPEN_TASK_STATUSES or task.due_at is None:
            return InvalidTransition("sla.open_task_only")
    else:
        return NotAllowed("task.not_a_task_action", action=str(action))
    return None


def available_actions(task: Task, request: ServiceRequest, actor: User) -> frozenset[Action]:
    """The actions ``actor`` may take on ``task`` of ``request`` now."""
    return frozenset(action for action in TASK_ACTIONS
                     if refusal(task, request, actor, action) is None)


def require_action(task: Task, request: ServiceRequest, actor: User, action: Action) -> None:
    """The use cases' guard: raise the reason ``action`` is not available, if it is not."""
    if action not in available_actions(task, request, actor):
        reason = refusal(task, request, actor, action)
        assert reason is not None
        raise reason


def request_actions(request: ServiceRequest, actor: User) -> frozenset[Action]:
    """The actions on the request as a whole: handing over the product once it is approved."""
    return frozenset({Action.COMPLETE}) if works_a_queue(actor) and request_takes(
        request.status, Action.COMPLETE) else frozenset()
