"""A complaint's events (every change leaves exactly one) and what citizens read of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.errors import Message
from services.models import Agency, Complaint, ComplaintEvent, ComplaintStatus, User

# Every kind of complaint event; the citizen's timeline and the public board word each with
# the message "complaint_event.<kind>" (kiosk/wording.py), naming {agency} where there is one.
EVENT_KINDS = frozenset({
    "submitted", "forwarded", "declined", "answered", "sent_back", "rated", "reopen_requested",
    "reopened", "closed", "closed_unconfirmed", "resolved", "published", "unpublished",
    "forward_overdue", "answer_overdue",
})
# Events whose note the citizen wrote: only the coordinator reads those notes.
CITIZEN_KINDS = frozenset({"submitted", "rated", "reopen_requested", "resolved"})


def record_complaint_event(session: Session, complaint: Complaint, kind: str, *, now: datetime,
                           from_status: ComplaintStatus | None, actor: User | None = None,
                           actor_label: str = "", agency: Agency | None = None,
                           note: str = "", public_note: bool = False, internal: bool = False,
                           data: dict[str, Any] | None = None) -> ComplaintEvent:
    """Add one event for a change already made to ``complaint`` (its new status is current)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown complaint event kind {kind!r}")
    event = ComplaintEvent(
        complaint=complaint, kind=kind, actor_id=actor.id if actor else None,
        actor_label=actor_label or (actor.full_name if actor else ""),
        agency_id=agency.id if agency else None, from_status=from_status,
        to_status=complaint.status, note=note, public_note=public_note, internal=internal,
        data=dict(data or {}), created_at=now)
    session.add(event)
    return event


@dataclass(frozen=True)
class ComplaintTimelineEntry:
    at: datetime
    kind: str
    text: Message  # worded by the web layer, in the language the entry was made for
    note: str


def event_message(event: ComplaintEvent, lang: str) -> Message:
    """What a citizen reads of the event, as a message code and the agency's name in ``lang``."""
    return Message(f"complaint_event.{event.kind}",
                   {"agency": event.agency.name(lang) if event.agency is not None else ""})


def complaint_timeline(complaint: Complaint, lang: str,
                       note_text: Any = None) -> list[ComplaintTimelineEntry]:
    """The events a citizen (or the public) may see, oldest first; ``note_text`` rewrites a
    public note for its audience (e.g. redaction for the board)."""
    return [
        ComplaintTimelineEntry(
            at=event.created_at, kind=event.kind, text=event_message(event, lang),
            note=(note_text(event.note) if note_text else event.note)
            if event.public_note else "")
        for event in complaint.events if not event.internal
    ]
