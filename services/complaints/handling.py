"""The coordinator's and the agencies' work on a complaint: verify and forward, decline,
answer, send an answer back, decide a reopen request, publish. Each use case changes one
complaint, writes its events and leaves the commit to the caller."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.complaints.access import complaint_for_coordinator, forwarding_for_staff
from services.complaints.history import record_complaint_event
from services.complaints.privacy import Audience, redact, text_for
from services.complaints.transitions import can_publish, status_after
from services.errors import InvalidTransition, Message, ValidationFailed
from services.models import (
    Agency,
    Complaint,
    ComplaintForwarding,
    ComplaintStatus,
    ForwardingState,
    Privacy,
    ReopenDecision,
    User,
)
from services.outbox.notices import notify_complaint_answered

MIN_ANSWER = 20
MAX_TEXT = 4000
# The citizen's time to say whether the answer resolved the complaint.
CONFIRM_DAYS = 10


def _required(text: str, field: str, message: str | Message, *, minimum: int = 1) -> str:
    text = (text or "").strip()
    if len(text) < minimum or len(text) > MAX_TEXT:
        raise ValidationFailed(message, fields={field: message})
    return text


def _answer_due(session: Session, complaint: Complaint, now: datetime,
                calendar: CityCalendar, agency: Agency | None = None) -> datetime:
    """The agency's answer deadline, counted in its own working days (its week, and whether
    it serves on cuti bersama), as its SLAs are."""
    return calendar.due_at(now, complaint.category.answer_days,
                           calendar.days_off(session, agency))


def default_agency_text(complaint: Complaint) -> str:
    """What agencies read unless the coordinator rewrites it: the description, with the
    complainant taken out unless the complaint is public."""
    return text_for(complaint, complaint.description, Audience.AGENCY)


def forward_complaint(session: Session, *, actor: User, tracking_code: str,
                      agency_codes: Sequence[str], note: str = "", agency_text: str = "",
                      calendar: CityCalendar, now: datetime) -> Complaint:
    """Verify the complaint and forward it to one or more agencies, each with the category's
    working days to answer. ``agency_text`` is the coordinator's redacted text for them."""
    complaint = complaint_for_coordinator(session, actor, tracking_code, lock=True)
    codes = list(dict.fromkeys(c for c in agency_codes if c))
    if not codes:
        raise ValidationFailed("complaint.agency_needed", fields={"agencies": "complaint.agency_needed"})
    agencies = {a.code: a for a in session.scalars(
        select(Agency).where(Agency.code.in_(codes), Agency.active.is_(True)))}
    if len(agencies) != len(codes):
        raise ValidationFailed("agency.unknown", fields={"agencies": "agency.unknown"})
    already = {f.agency_id for f in complaint.forwardings}
    if any(agencies[c].id in already for c in codes):
        raise InvalidTransition("complaint.already_forwarded")
    text = (agency_text or "").strip()
    if complaint.privacy is not Privacy.PUBLIC and text:
        text = redact(text, complaint)  # the coordinator's text cannot reveal them either
    complaint.agency_text = text or complaint.agency_text or default_agency_text(complaint)
    for code in codes:
        due = _answer_due(session, complaint, now, calendar, agencies[code])
        before = complaint.status
        complaint.status = status_after(before, "forward")
        complaint.forwardings.append(ComplaintForwarding(
            agency=agencies[code], state=ForwardingState.OPEN, note=(note or "").strip(),
            forwarded_at=now, due_at=due))
        record_complaint_event(session, complaint, "forwarded", now=now, from_status=before,
                               actor=actor, agency=agencies[code], note=(note or "").strip(),
                               data={"due_at": due.isoformat()})
    complaint.confirm_due_at = None
    return complaint


def decline_complaint(session: Session, *, actor: User, tracking_code: str, reason: str,
                      now: datetime) -> Complaint:
    """The complaint cannot be processed (not a complaint, a duplicate); the reason is public."""
    reason = _required(reason, "reason", "complaint.reason_needed")
    complaint = complaint_for_coordinator(session, actor, tracking_code, lock=True)
    before = complaint.status
    complaint.status = status_after(before, "decline")
    complaint.closed_at, complaint.close_reason = now, reason
    record_complaint_event(session, complaint, "declined", now=now, from_status=before,
                           actor=actor, note=reason, public_note=True)
    return complaint


def answer_complaint(session: Session, *, actor: User, tracking_code: str, answer: str,
                     calendar: CityCalendar, now: datetime) -> ComplaintForwarding:
    """The agency's answer (tindak lanjut). When every agency has answered, the citizen has
    ten working days to rate it."""
    answer = _required(answer, "answer", Message("complaint.answer_needed", {"limit": MIN_ANSWER}),
                       minimum=MIN_ANSWER)
    forwarding = forwarding_for_staff(session, actor, tracking_code, lock=True)
    if forwarding.state is not ForwardingState.OPEN:
        raise InvalidTransition("complaint.not_waiting_for_answer")
    complaint = forwarding.complaint
    forwarding.state, forwarding.answer = ForwardingState.ANSWERED, answer
    forwarding.answered_at, forwarding.answered_by_id = now, actor.id
    all_answered = all(f.state is not ForwardingState.OPEN for f in complaint.forwardings)
    before = complaint.status
    complaint.status = status_after(before, "answer", all_answered=all_answered)
    if complaint.status is ComplaintStatus.ANSWERED:
        complaint.confirm_due_at = calendar.due_at(now, CONFIRM_DAYS, calendar.days_off(session))
    event = record_complaint_event(session, complaint, "answered", now=now, from_status=before,
                                   actor=actor, agency=forwarding.agency, note=answer,
                                   public_note=True)
    session.flush()
    # The complainant (if they agreed) and webhook subscribers are told, in this transaction.
    notify_complaint_answered(session, complaint_code=complaint.tracking_code,
                              answer_id=event.id, agency_code=forwarding.agency.code, now=now)
    return forwarding


def send_back_answer(session: Session, *, actor: User, tracking_code: str, agency_code: str,
                     note: str, calendar: CityCalendar,
                     now: datetime) -> ComplaintForwarding:
    """The coordinator returns an answer that does not answer the complaint; the agency gets
    its working days again. The earlier answer stays in the history."""
    note = _required(note, "note", "complaint.say_what_is_missing")
    complaint = complaint_for_coordinator(session, actor, tracking_code, lock=True)
    forwarding = next((f for f in complaint.forwardings if f.agency.code == agency_code
                       and f.state is ForwardingState.ANSWERED), None)
    if forwarding is None:
        raise InvalidTransition("complaint.no_answer_to_send_back")
    before = complaint.status
    complaint.status = status_after(before, "send_back")
    _reopen_forwarding(session, complaint, forwarding, note, now, calendar)
    record_complaint_event(session, complaint, "sent_back", now=now, from_status=before,
                           actor=actor, agency=forwarding.agency, note=note,
                           data={"earlier_answer": forwarding.answer})
    forwarding.answer = ""
    return forwarding


def _reopen_forwarding(session: Session, complaint: Complaint, forwarding: ComplaintForwarding,
                       note: str, now: datetime, calendar: CityCalendar) -> None:
    forwarding.state, forwarding.note = ForwardingState.OPEN, note
    forwarding.due_at = _answer_due(session, complaint, now, calendar, forwarding.agency)
    forwarding.overdue_since = None
    forwarding.answered_at = forwarding.answered_by_id = None
    complaint.confirm_due_at = None


def decide_reopen(session: Session, *, actor: User, tracking_code: str, reopen: bool, note: str,
                  calendar: CityCalendar, now: datetime) -> Complaint:
    """Decide the citizen's reopen request: back to the agencies with a note, or closed with
    a reason that is published. Both show in the timeline."""
    note = _required(note, "note", "complaint.note_needed")
    complaint = complaint_for_coordinator(session, actor, tracking_code, lock=True)
    before = complaint.status
    complaint.status = status_after(before, "reopen" if reopen else "close")
    pending = [r for r in complaint.reopen_requests if r.decision is None]
    for request in pending:
        request.decision = ReopenDecision.REOPENED if reopen else ReopenDecision.CLOSED
        request.decision_note, request.decided_at, request.decided_by_id = note, now, actor.id
    if not reopen:
        complaint.closed_at, complaint.close_reason = now, note
        record_complaint_event(session, complaint, "closed", now=now, from_status=before,
                               actor=actor, note=note, public_note=True)
        return complaint
    for forwarding in complaint.forwardings:
        if forwarding.state is ForwardingState.ANSWERED:
            _reopen_forwarding(session, complaint, forwarding, note, now, calendar)
            record_complaint_event(session, complaint, "reopened", now=now, from_status=before,
                                   actor=actor, agency=forwarding.agency, note=note,
                                   public_note=True, data={"earlier_answer": forwarding.answer})
            forwarding.answer = ""
            before = complaint.status
    return complaint


def publish_complaint(session: Session, *, actor: User, tracking_code: str, public_text: str,
                      now: datetime) -> Complaint:
    """Put the complaint on the public board with the coordinator's text, which may carry no
    NIK, phone number or the complainant's name."""
    text = _required(public_text, "public_text", "complaint.public_text_needed",
                     minimum=MIN_ANSWER)
    complaint = complaint_for_coordinator(session, actor, tracking_code, lock=True)
    if not can_publish(complaint.status):
        raise InvalidTransition("complaint.verify_before_publishing")
    if redact(text, complaint) != text:
        raise ValidationFailed("complaint.remove_personal_data",
                               fields={"public_text": "complaint.remove_personal_data"})
    complaint.published, complaint.public_text, complaint.published_at = True, text, now
    record_complaint_event(session, complaint, "published", now=now,
                           from_status=complaint.status, actor=actor)
    return complaint


def unpublish_complaint(session: Session, *, actor: User, tracking_code: str,
                        now: datetime) -> Complaint:
    complaint = complaint_for_coordinator(session, actor, tracking_code, lock=True)
    if not complaint.published:
        raise InvalidTransition("complaint.not_published")
    complaint.published = False
    record_complaint_event(session, complaint, "unpublished", now=now,
                           from_status=complaint.status, actor=actor)
    return complaint
