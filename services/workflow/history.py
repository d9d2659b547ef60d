"""Writing a request's events: every change of a request leaves exactly one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.models import Agency, Event, RequestStatus, ServiceRequest, Task, User
from services.outbox.notices import notify_event

# Every kind of event the workflow writes; each has citizen wording in services.timeline.
EVENT_KINDS = frozenset({
    "task_claimed", "task_reassigned", "task_released", "task_approved", "task_forwarded",
    "information_requested", "information_supplied", "request_rerouted", "deadline_extended",
    "task_escalated", "deemed_approved",
    "request_overdue",
    "request_rejected", "request_approved", "request_completed", "document_revoked",
    "fee_assessed", "file_complete", "requirement_checked",
    "bill_paid", "bill_corrected", "bill_reminder", "bill_expired", "payment_flagged",
    "signing_returned",
})


def agency_names(agency: Agency) -> dict[str, str]:
    """How the timeline names an agency, in both languages."""
    return {"id": agency.name_id, "en": agency.name_en, "code": agency.code}


def record_event(session: Session, request: ServiceRequest, kind: str, *, now: datetime,
                 from_status: RequestStatus, actor: User | None = None,
                 actor_label: str = "", task: Task | None = None, agency: Agency | None = None,
                 note: str = "", public_note: bool = False, internal: bool = False,
                 data: dict[str, Any] | None = None) -> Event:
    """Add one event for a change already made to ``request`` (its new status is current), with
    the outbox rows that tell the citizen and the subscribers about it."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    body: dict[str, Any] = dict(data or {})
    if agency is not None or task is not None:
        body["agency_name"] = agency_names(agency or task.agency)  # type: ignore[union-attr]
    if public_note:
        body["public_note"] = True
    if internal:
        body["internal"] = True
    event = Event(request=request, task_id=task.id if task is not None else None, kind=kind,
                  actor_id=actor.id if actor else None,
                  actor_label=actor_label or (actor.full_name if actor else ""),
                  from_status=from_status, to_status=request.status, note=note, data=body,
                  created_at=now)
    session.add(event)
    notify_event(session, event)  # messages and webhooks commit, or roll back, with the event
    return event
