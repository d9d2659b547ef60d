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
        raise InvalidTransition(
            f"A request cannot go from {current.value} to {target.value}."
        )
    return target
