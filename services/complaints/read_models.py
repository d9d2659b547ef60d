"""What each audience reads of a complaint. Agencies and the public get views built here, never
the complaint row, so a page cannot show what privacy.py does not allow."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.complaints.access import forwarding_for_staff, require_coordinator
from services.complaints.history import (
    CITIZEN_KINDS,
    ComplaintTimelineEntry,
    complaint_timeline,
    event_message,
)
from services.complaints.privacy import (
    Audience,
    complainant_label,
    contact_phone,
    redact,
    text_for,
)
from services.complaints.transitions import FINISHED
from services.models import (
    Agency,
    Complaint,
    ComplaintCategory,
    ComplaintForwarding,
    ComplaintReopenRequest,
    ComplaintStatus,
    ForwardingState,
    Privacy,
    ReopenDecision,
    User,
)
from services.models.complaints import answer_late
from services.workflow.access import agency_of

QUEUE_LIMIT = 200


@dataclass(frozen=True)
class AnswerView:
    agency_code: str
    agency_name: str
    state: ForwardingState
    forwarded_at: datetime
    due_at: datetime
    overdue_since: datetime | None
    answer: str
    answered_at: datetime | None

    def late_at(self, now: datetime) -> bool:
        return answer_late(self.state, self.due_at, now)


@dataclass(frozen=True)
class AgencyComplaintView:
    """A complaint as anyone at a forwarded-to agency may read it."""

    tracking_code: str
    category: str
    status: ComplaintStatus
    privacy: Privacy
    complainant: str | Privacy  # a name only for a public complaint; else the hiding choice
    contact_phone: str
    text: str
    location: str
    created_at: datetime
    forwarding: AnswerView
    instruction: str
    timeline: list[ComplaintTimelineEntry]


def _answer_view(forwarding: ComplaintForwarding, lang: str, text: str | None = None) -> AnswerView:
    return AnswerView(agency_code=forwarding.agency.code, agency_name=forwarding.agency.name(lang),
                      state=forwarding.state, forwarded_at=forwarding.forwarded_at,
                      due_at=forwarding.due_at,
                      overdue_since=forwarding.overdue_since,
                      answer=forwarding.answer if text is None else text,
                      answered_at=forwarding.answered_at)


def agency_view(forwarding: ComplaintForwarding, lang: str) -> AgencyComplaintView:
    complaint = forwarding.complaint

    def shown(text: str) -> str:
        return text_for(complaint, text, Audience.AGENCY)

    timeline = [
        ComplaintTimelineEntry(at=e.created_at, kind=e.kind, text=event_message(e, lang),
                               note=shown(e.note) if e.kind not in CITIZEN_KINDS else "")
        for e in complaint.events
        if e.agency_id == forwarding.agency_id or e.kind in ("submitted", "published")
    ]
    return AgencyComplaintView(
        tracking_code=complaint.tracking_code, category=complaint.category.name(lang),
        status=complaint.status, privacy=complaint.privacy,
        complainant=complainant_label(complaint, Audience.AGENCY),
        contact_phone=contact_phone(complaint, Audience.AGENCY),
        text=shown(complaint.agency_text or complaint.description),
        location=shown(complaint.location), created_at=complaint.created_at,
        forwarding=_answer_view(forwarding, lang), instruction=shown(forwarding.note),
        timeline=timeline)


AGENCY_VIEWS = ("open", "overdue", "answered")


def agency_queue(session: Session, *, actor: User, view: str,
                 lang: str) -> list[AgencyComplaintView]:
    """The complaints forwarded to the actor's agency: waiting for an answer (earliest
    deadline first), overdue, or answered."""
    agency_id = agency_of(actor)
    query = select(ComplaintForwarding).where(ComplaintForwarding.agency_id == agency_id)
    if view == "answered":
        query = query.where(ComplaintForwarding.state == ForwardingState.ANSWERED).order_by(
            ComplaintForwarding.answered_at.desc())
    else:
        query = query.where(ComplaintForwarding.state == ForwardingState.OPEN)
        if view == "overdue":
            query = query.where(ComplaintForwarding.overdue_since.is_not(None))
        query = query.order_by(ComplaintForwarding.due_at)
    return [agency_view(f, lang) for f in session.scalars(query.limit(QUEUE_LIMIT))]


def agency_counts(session: Session, *, actor: User) -> dict[str, int]:
    agency_id = agency_of(actor)
    rows = session.execute(
        select(ComplaintForwarding.state, ComplaintForwarding.overdue_since.is_not(None),
               func.count())
        .where(ComplaintForwarding.agency_id == agency_id)
        .group_by(ComplaintForwarding.state, ComplaintForwarding.overdue_since.is_not(None)))
    counts = Counter[str]()
    for state, overdue, number in rows:
        if state is ForwardingState.OPEN:
            counts["open"] += number
            if overdue:
                counts["overdue"] += number
        elif state is ForwardingState.ANSWERED:
            counts["answered"] += number
    return {view: counts[view] for view in AGENCY_VIEWS}


def agency_complaint(session: Session, *, actor: User, tracking_code: str,
                     lang: str) -> AgencyComplaintView:
    return agency_view(forwarding_for_staff(session, actor, tracking_code), lang)


# -- the coordinator ---------------------------------------------------------------------------

INBOX_VIEWS: dict[str, frozenset[ComplaintStatus]] = {
    "verify": frozenset({ComplaintStatus.SUBMITTED}),
    "reopen": frozenset({ComplaintStatus.REOPEN_REQUESTED}),
    "forwarded": frozenset({ComplaintStatus.FORWARDED}),
    "answered": frozenset({ComplaintStatus.ANSWERED}),
    "closed": FINISHED,
}


def coordinator_inbox(session: Session, *, actor: User, view: str) -> list[Complaint]:
    require_coordinator(actor)
    statuses = INBOX_VIEWS.get(view, INBOX_VIEWS["verify"])
    order = Complaint.created_at.desc() if view == "closed" else Complaint.created_at
    return list(session.scalars(select(Complaint).where(Complaint.status.in_(statuses))
                                .order_by(order).limit(QUEUE_LIMIT)))


def complaint_figures(session: Session) -> dict[str, int]:
    """What the command center counts: complaints by status (resolved and closed without
    confirmation apart), reopen requests and their decisions."""
    by_status = dict(session.execute(
        select(Complaint.status, func.count()).group_by(Complaint.status)).all())
    figures = {status.value: int(by_status.get(status, 0)) for status in ComplaintStatus}
    decisions = dict(session.execute(
        select(ComplaintReopenRequest.decision, func.count())
        .group_by(ComplaintReopenRequest.decision)).all())
    figures["reopen_requests"] = sum(int(n) for n in decisions.values())
    figures["reopen_pending"] = int(decisions.get(None, 0))
    figures["reopen_reopened"] = int(decisions.get(ReopenDecision.REOPENED, 0))
    figures["reopen_closed"] = int(decisions.get(ReopenDecision.CLOSED, 0))
    figures["forward_overdue"] = int(session.scalar(select(func.count()).select_from(Complaint)
                                     .where(Complaint.status == ComplaintStatus.SUBMITTED,
                                            Complaint.forward_overdue_since.is_not(None))) or 0)
    figures["answer_overdue"] = int(session.scalar(
        select(func.count()).select_from(ComplaintForwarding)
        .where(ComplaintForwarding.state == ForwardingState.OPEN,
               ComplaintForwarding.overdue_since.is_not(None))) or 0)
    return figures


# -- the public board --------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicComplaintView:
    """A published complaint as anyone may read it: the coordinator's text, redacted again."""

    tracking_code: str
    category: str
    status: ComplaintStatus
    complainant: str | Privacy  # initials, or the choice that hides them
    text: str
    created_at: datetime
    forward_due_at: datetime
    answers: list[AnswerView]
    timeline: list[ComplaintTimelineEntry]


@dataclass(frozen=True)
class BoardFilter:
    agency: str | None = None
    category: str | None = None
    status: str | None = None


def public_view(complaint: Complaint, lang: str) -> PublicComplaintView:
    def shown(text: str) -> str:
        return redact(text, complaint)

    return PublicComplaintView(
        tracking_code=complaint.tracking_code, category=complaint.category.name(lang),
        status=complaint.status,
        complainant=complainant_label(complaint, Audience.PUBLIC),
        text=shown(complaint.public_text), created_at=complaint.created_at,
        forward_due_at=complaint.forward_due_at,
        answers=[_answer_view(f, lang, shown(f.answer)) for f in complaint.forwardings],
        timeline=complaint_timeline(complaint, lang, note_text=shown))


def public_board(session: Session, filters: BoardFilter, lang: str,
                 limit: int = 50) -> list[PublicComplaintView]:
    """Only the complaints the coordinator published, newest first."""
    query = select(Complaint).where(Complaint.published.is_(True))
    if filters.category:
        query = query.join(ComplaintCategory).where(ComplaintCategory.code == filters.category)
    if filters.agency:
        query = query.where(Complaint.forwardings.any(
            ComplaintForwarding.agency.has(Agency.code == filters.agency)))
    if filters.status in {s.value for s in ComplaintStatus}:
        query = query.where(Complaint.status == ComplaintStatus(filters.status))
    query = query.order_by(Complaint.published_at.desc(), Complaint.id.desc()).limit(limit)
    return [public_view(c, lang) for c in session.scalars(query)]
