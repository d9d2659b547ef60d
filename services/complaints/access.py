"""Who may act on complaints: the coordinator on every one, an agency's staff only on the
complaints forwarded to their agency, and never seeing more than services.complaints.privacy
lets them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.codes import normalise_tracking_code
from services.errors import NotAllowed, NotFound
from services.models import Complaint, ComplaintForwarding, Role, User
from services.workflow.access import agency_of


def require_coordinator(actor: User) -> None:
    if actor.role is not Role.COORDINATOR or not actor.active:
        raise NotAllowed("complaint.coordinator_only")


def complaint_for_coordinator(session: Session, actor: User, tracking_code: str, *,
                              lock: bool = False) -> Complaint:
    require_coordinator(actor)
    code = normalise_tracking_code(tracking_code or "")
    complaint = None
    if code is not None:
        query = select(Complaint).where(Complaint.tracking_code == code)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        complaint = session.scalar(query)
    if complaint is None:
        raise NotFound("complaint.not_found")
    return complaint


def forwarding_for_staff(session: Session, actor: User, tracking_code: str, *,
                         lock: bool = False) -> ComplaintForwarding:
    """The complaint's forwarding to the actor's agency; NotFound when it was not forwarded
    there, so another agency's complaints cannot even be confirmed to exist."""
    agency_id = agency_of(actor)
    code = normalise_tracking_code(tracking_code or "")
    forwarding = None
    if code is not None:
        query = (select(ComplaintForwarding).join(Complaint)
                 .where(Complaint.tracking_code == code,
                        ComplaintForwarding.agency_id == agency_id))
        if lock:
            query = query.with_for_update(of=ComplaintForwarding).execution_options(
                populate_existing=True)
        forwarding = session.scalar(query)
    if forwarding is None:
        raise NotFound("complaint.not_for_your_agency")
    return forwarding
