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
        return NotAllowed("Only an agency's clerks and supervisors work its queue.")
    if task.agency_id != actor.agency_id:
        return NotAllowed("No such task in your agency's queue.")
    return None


def _decision_refusal(task: Task, request: ServiceRequest, actor: User,
                      action: Action) -> DomainError | None:
    if not request_takes(request.status, action):
        return InvalidTransition(
            f"The request is {request.status.value}; its tasks cannot be acted on now."
        )
    if task.status is T.CLAIMED and task.claimed_by_id != actor.id:
        return Conflict("Another clerk holds this task.")
    if task.status not in RUNNING_TASK_STATUSES:
        return InvalidTransition(f"The task is {task.status.value}.")
    if action is Action.FORWARD and not forward_targets(task):
        return NotAllowed("This step cannot be forwarded to that agency.")
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
            return Conflict("This task is no longer waiting to be claimed.")
        if not request_takes(request.status, action):
            return InvalidTransition("The request is not being worked on now.")
    elif action is Action.RELEASE:
        if task.status is not T.CLAIMED:
            return InvalidTransition("Only a claimed task can be released.")
        if task.claimed_by_id != actor.id and not supervisor:
            return NotAllowed("Only the clerk holding the task or a supervisor may release it.")
    elif action is Action.REASSIGN:
        if not supervisor:
            return NotAllowed("Only a supervisor may do this.")
        if task.status not in RUNNING_TASK_STATUSES:
            return InvalidTransition("Only a ready or claimed task can be reassigned.")
        if not request_takes(request.status, Action.CLAIM):
            return InvalidTransition("The request is not being worked on now.")
    elif action is Action.EXTEND:
        if not supervisor:
            return NotAllowed("Only a supervisor may do this.")
        if task.status not in OPEN_TASK_STATUSES or task.due_at is None:
            return InvalidTransition("Only an open task's deadline can be extended.")
    else:
        return NotAllowed(f"'{action}' is not an action on a task.")
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
