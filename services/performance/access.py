"""Who may read which figures: leadership and administrators the whole city, a supervisor only
their own agency, nobody else."""

from __future__ import annotations

from services.errors import NotAllowed
from services.models import Role, User

CITY_WIDE = (Role.LEADERSHIP, Role.ADMIN)


def figures_scope(actor: User) -> int | None:
    """The agency whose figures the actor may read, or None for the whole city."""
    if actor.role in CITY_WIDE:
        return None
    if actor.role is Role.SUPERVISOR and actor.agency_id is not None:
        return actor.agency_id
    raise NotAllowed("figures.leadership_only")


def require_target_setter(actor: User) -> None:
    if actor.role is not Role.ADMIN:
        raise NotAllowed("figures.targets_admin_only")
