"""The citizen's word on the answer: a rating of 1-5 and whether it resolved the complaint.
"Answered" never counts as "resolved" unless the citizen says so; "not resolved" asks the
coordinator to reopen it (as Amsterdam's Signalen does)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.complaints.history import record_complaint_event
from services.complaints.transitions import status_after
from services.errors import Message, ValidationFailed
from services.models import Complaint, ComplaintReopenRequest, ComplaintStatus

MAX_REASON = 2000


def rate_answer(session: Session, complaint: Complaint, *, rating: int, resolved: bool,
                reason: str = "", now: datetime) -> Complaint:
    """Record the citizen's rating; resolved closes the complaint, not resolved raises a
    reopen request for the coordinator. The caller found the complaint by code and PIN."""
    reason = (reason or "").strip()
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed("complaint.rating_range", fields={"rating": "complaint.rating_range"})
    if len(reason) > MAX_REASON:
        raise ValidationFailed("complaint.reason_too_long",
                               fields={"reason": Message("field.max", {"limit": MAX_REASON})})
    complaint = session.scalar(
        select(Complaint).where(Complaint.id == complaint.id)
        .with_for_update().execution_options(populate_existing=True))
    assert complaint is not None
    before = complaint.status
    complaint.status = status_after(before, "rate_resolved" if resolved else "rate_unresolved")
    complaint.rating, complaint.resolved, complaint.rated_at = rating, resolved, now
    complaint.confirm_due_at = None
    if complaint.status is ComplaintStatus.RESOLVED:
        complaint.closed_at = now
        record_complaint_event(session, complaint, "resolved", now=now, from_status=before,
                               actor_label="Pelapor", data={"rating": rating})
    else:
        complaint.reopen_requests.append(ComplaintReopenRequest(reason=reason, requested_at=now))
        # The reason is the citizen's own words: only the coordinator reads it.
        record_complaint_event(session, complaint, "reopen_requested", now=now,
                               from_status=before, actor_label="Pelapor", note=reason,
                               data={"rating": rating})
    return complaint
