"""Who works the counters: the MPP officers (petugas loket) and administrators."""

from __future__ import annotations

from services.errors import NotAllowed
from services.models import Role, User

COUNTER_ROLES = (Role.OFFICER, Role.ADMIN)


def may_serve_counter(actor: User | None) -> bool:
    """Whether ``actor`` may call and serve tickets at a counter."""
    return actor is not None and actor.active and actor.role in COUNTER_ROLES


def require_counter_officer(actor: User | None) -> User:
    if actor is None or not may_serve_counter(actor):
        raise NotAllowed("counter.officers_only")
    return actor
