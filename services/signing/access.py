"""Who may sign what, and when: pure decisions that the signing use cases' guards and the
signing queue page both read."""

from __future__ import annotations

from datetime import datetime, timedelta

from services.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from services.models import RequestStatus, Role, ServiceRequest, Task, User
from services.workflow.transitions import ACTIVE, RUNNING_TASK_STATUSES

# Passphrases the signing service may refuse in a row before signing locks, and for how long.
SIGNING_ATTEMPTS = 5
SIGNING_LOCK = timedelta(minutes=30)


def signs_decisions(actor: User) -> bool:
    """Whether the actor is an active signing official (pejabat) of an agency."""
    return actor.role is Role.OFFICIAL and actor.active and actor.agency_id is not None


def signing_locked(actor: User, now: datetime) -> bool:
    return actor.signing_locked_until is not None and actor.signing_locked_until > now


def signing_blocker(request: ServiceRequest, task: Task) -> str | None:
    """Why this request's decision cannot be signed now, as a message code; None when it can.
    The one place a new precondition of signing goes (a paid bill, for one)."""
    if not task.step.signs:
        return "sign.not_a_signing_step"
    if request.status is RequestStatus.AWAITING_PAYMENT:
        return "bill.unpaid"  # issuance follows payment (services.payments)
    if request.status not in ACTIVE or task.status not in RUNNING_TASK_STATUSES:
        return "sign.not_waiting"
    return None


def may_be_signed_now(request: ServiceRequest, task: Task) -> bool:
    """Whether the decision of ``request`` at its signing ``task`` may be signed now."""
    return signing_blocker(request, task) is None


def signing_refusal(actor: User, task: Task, request: ServiceRequest,
                    now: datetime) -> DomainError | None:
    """Why ``actor`` may not sign (or send back) ``task`` now; None if they may. A clerk or a
    supervisor never signs; an official signs only their own agency's decisions."""
    if not signs_decisions(actor):
        return NotAllowed("sign.official_only")
    if task.agency_id != actor.agency_id:
        return NotAllowed("sign.other_agency")
    if (blocker := signing_blocker(request, task)) is not None:
        return InvalidTransition(blocker)
    if signing_locked(actor, now):
        return Conflict("sign.locked")
    return None


def may_sign(actor: User, task: Task, request: ServiceRequest, now: datetime) -> bool:
    return signing_refusal(actor, task, request, now) is None


def lock_after_refusal(failures: int, now: datetime) -> datetime | None:
    """When signing unlocks after this many refused passphrases in a row (None: not locked)."""
    return now + SIGNING_LOCK if failures >= SIGNING_ATTEMPTS else None
