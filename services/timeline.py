"""The citizen's timeline of a request, from its events: message codes the web layer words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.errors import Message
from services.formatting import long_date, rupiah
from services.models import Event, ServiceRequest

# The event kinds a citizen reads of, each worded by the message "timeline.<kind>" (in
# kiosk/wording.py, through the one gettext catalogue); internal events are not shown. The
# values a wording may name: agency, system, number, date, fee, reference.
WORDED_KINDS = frozenset({
    "submitted", "task_claimed", "task_reassigned", "task_released", "task_approved",
    "task_forwarded", "information_requested", "information_supplied", "request_rerouted",
    "deadline_extended", "request_rejected", "request_approved", "request_completed",
    "fee_assessed", "file_complete", "document_revoked", "request_overdue", "task_escalated",
    "requirement_checked", "signing_returned", "bill_paid", "bill_corrected", "bill_reminder",
    "payment_flagged", "bill_expired", "deemed_approved",
})
FALLBACK = "timeline.updated"
# The approval and the hand-over are worded by product kind: "timeline.<product>_<kind>".
PRODUCT_WORDED = {
    "external": frozenset({"request_approved", "request_completed"}),
    "item": frozenset({"request_approved", "request_completed"}),
    "answer": frozenset({"request_approved", "request_completed"}),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    text: Message  # worded by the web layer, in the language the entry was made for
    note: str


def entry_message(event: Event, lang: str) -> Message:
    """What the citizen reads of an event, as a message code and its values (the agency's
    name and dates in ``lang``)."""
    data = event.data or {}
    product = data.get("product_kind") or event.request.service_version.product_kind.value
    if event.kind in PRODUCT_WORDED.get(product, ()):
        code = f"timeline.{product}_{event.kind}"
    elif event.kind in WORDED_KINDS:
        code = f"timeline.{event.kind}"
    else:
        code = FALLBACK
    agency = data.get("agency_name", {})
    issued = data.get("external_date")
    return Message(code, {
        "agency": agency.get(lang) or agency.get("id") or "",
        "system": data.get("external_system", ""), "number": data.get("external_number", ""),
        "date": long_date(date.fromisoformat(issued), lang) if issued else "",
        "fee": rupiah(data.get("assessed_fee") or 0), "reference": data.get("fee_reference", ""),
        "days": data.get("clock_stopped_days", 0)})


def citizen_timeline(request: ServiceRequest, lang: str) -> list[TimelineEntry]:
    """What the citizen sees: every event they should know of, oldest first."""
    return [
        TimelineEntry(at=event.created_at, kind=event.kind, text=entry_message(event, lang),
                      note=event.note if (event.data or {}).get("public_note") else "")
        for event in request.events
        if not (event.data or {}).get("internal")
    ]
