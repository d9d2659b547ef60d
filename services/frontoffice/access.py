"""Who works the counters: the MPP officers (petugas loket) and administrators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.errors import NotAllowed, NotFound
from services.models import QueueTicket, Role, ServiceRequest, TicketState, User

COUNTER_ROLES = (Role.OFFICER, Role.ADMIN)


def may_serve_counter(actor: User | None) -> bool:
    """Whether ``actor`` may call and serve tickets at a counter."""
    return actor is not None and actor.active and actor.role in COUNTER_ROLES


def require_counter_officer(actor: User | None) -> User:
    if actor is None or not may_serve_counter(actor):
        raise NotAllowed("counter.officers_only")
    return actor


# The visit is on: the ticket has been called to a counter and not yet finished.
AT_THE_COUNTER = (TicketState.CALLED, TicketState.SERVING)


def request_at_counter(session: Session, actor: User | None, tracking_code: str
                       ) -> ServiceRequest:
    """The request whose ticket this officer has called and not yet finished: the one case a
    counter officer sees a citizen's documents (any other request is "not found")."""
    officer = require_counter_officer(actor)
    found = session.scalar(
        select(ServiceRequest).join(QueueTicket, QueueTicket.request_id == ServiceRequest.id)
        .where(ServiceRequest.tracking_code == tracking_code,
               QueueTicket.officer_id == officer.id, QueueTicket.state.in_(AT_THE_COUNTER)))
    if found is None:
        raise NotFound("queue.no_such_request")
    return found
