"""The complaint status table: which action moves a complaint from which status to which."""

from __future__ import annotations

from services.errors import InvalidTransition
from services.models import ComplaintStatus as S

# (action, current status) -> the status after it. Nothing else is allowed.
TRANSITIONS: dict[tuple[str, S], S] = {
    ("forward", S.SUBMITTED): S.FORWARDED,  # the coordinator verifies and forwards
    ("forward", S.FORWARDED): S.FORWARDED,  # ... to one more agency
    ("decline", S.SUBMITTED): S.DECLINED,  # not a complaint, a duplicate: with a reason
    ("answer", S.FORWARDED): S.FORWARDED,  # ANSWERED once every agency has answered
    ("send_back", S.FORWARDED): S.FORWARDED,  # an answer that does not answer the complaint
    ("send_back", S.ANSWERED): S.FORWARDED,
    ("rate_resolved", S.ANSWERED): S.RESOLVED,  # only the citizen makes a complaint resolved
    ("rate_unresolved", S.ANSWERED): S.REOPEN_REQUESTED,
    ("reopen", S.REOPEN_REQUESTED): S.FORWARDED,  # back to the agency, with a note
    ("close", S.REOPEN_REQUESTED): S.CLOSED,  # with a published reason
    ("expire", S.ANSWERED): S.CLOSED_UNCONFIRMED,  # no reply from the citizen in time
}
ACTIONS = frozenset(action for action, _ in TRANSITIONS)

# Who takes each action.
COORDINATOR_ACTIONS = frozenset({"forward", "decline", "send_back", "reopen", "close"})
AGENCY_ACTIONS = frozenset({"answer"})
CITIZEN_ACTIONS = frozenset({"rate_resolved", "rate_unresolved"})

FINISHED = frozenset({S.RESOLVED, S.CLOSED, S.CLOSED_UNCONFIRMED, S.DECLINED})
OPEN = frozenset(S) - FINISHED
# Statuses in which the coordinator has something to decide.
NEEDS_COORDINATOR = frozenset({S.SUBMITTED, S.REOPEN_REQUESTED})


def status_after(current: S, action: str, *, all_answered: bool = False) -> S:
    """The status after ``action`` (a pure decision, checked by a table of cases)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    target = TRANSITIONS.get((action, current))
    if target is None:
        raise InvalidTransition("complaint.transition_refused", status=current.value,
                                action=action)
    if action == "answer" and all_answered:
        return S.ANSWERED
    return target


def available_actions(current: S, actions: frozenset[str] = ACTIONS) -> frozenset[str]:
    """The actions (of those given, e.g. the coordinator's) a complaint in ``current`` takes."""
    return frozenset(action for action in actions if (action, current) in TRANSITIONS)


def can_publish(current: S) -> bool:
    """The coordinator publishes a complaint only after verifying it."""
    return current is not S.SUBMITTED
