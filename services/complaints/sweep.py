"""The complaints' part of the SLA sweep (`flask sla sweep`): escalate a late verification
and a late answer once each, and close an answer the citizen left unconfirmed for ten
working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.complaints.history import record_complaint_event
from services.complaints.transitions import status_after
from services.models import Complaint, ComplaintForwarding, ComplaintStatus


@dataclass(frozen=True)
class ComplaintSweep:
    forward_overdue: list[Complaint]
    answer_overdue: list[ComplaintForwarding]
    closed_unconfirmed: list[Complaint]


def sweep_complaints(session: Session, *, now: datetime) -> ComplaintSweep:
    late_forward = list(session.scalars(
        select(Complaint).where(Complaint.verification_late_at(now),
                                Complaint.forward_overdue_since.is_(None))
        .order_by(Complaint.id).with_for_update(skip_locked=True)))
    for complaint in late_forward:
        complaint.forward_overdue_since = now
        record_complaint_event(session, complaint, "forward_overdue", now=now,
                               from_status=complaint.status, actor_label="SLA", internal=True,
                               data={"due_at": complaint.forward_due_at.isoformat()})
    late_answer = list(session.scalars(
        select(ComplaintForwarding).where(ComplaintForwarding.answer_late_at(now),
                                          ComplaintForwarding.overdue_since.is_(None))
        .order_by(ComplaintForwarding.id).with_for_update(skip_locked=True)))
    for forwarding in late_answer:
        forwarding.overdue_since = now
        complaint = forwarding.complaint
        record_complaint_event(session, complaint, "answer_overdue", now=now,
                               from_status=complaint.status, actor_label="SLA", internal=True,
                               agency=forwarding.agency,
                               data={"due_at": forwarding.due_at.isoformat()})
    unconfirmed = list(session.scalars(
        select(Complaint).where(Complaint.status == ComplaintStatus.ANSWERED,
                                Complaint.confirm_due_at < now)
        .order_by(Complaint.id).with_for_update(skip_locked=True)))
    for complaint in unconfirmed:
        before = complaint.status
        complaint.status = status_after(before, "expire")
        complaint.closed_at = now
        record_complaint_event(session, complaint, "closed_unconfirmed", now=now,
                               from_status=before, actor_label="SLA")
    return ComplaintSweep(late_forward, late_answer, unconfirmed)
