"""A queue ticket on paper: the print job the kiosk's client renders with kiosk_client.ticket.
Its content is whole when queued (a ticket holds no secret), so a reprint needs no look-up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.audit import record_audit
from services.codes import format_tracking_code
from services.formatting import long_datetime
from services.frontoffice.queue import Place
from services.models import Kiosk, PrintJob, PrintJobState, QueueTicket, ServiceRequest


def follow_url(base_url: str, ticket: QueueTicket) -> str:
    """The phone page that follows the ticket's place in the line."""
    return f"{base_url.rstrip('/')}/antrean/{ticket.follow_key}"


def ticket_print_data(session: Session, ticket: QueueTicket, place: Place, *, city: str,
                      base_url: str, tz: str, language: str, kiosk_code: str = "") -> dict[str, Any]:
    """What the printed ticket shows, as JSON-ready values."""
    lang = "en" if language == "en" else "id"
    request = session.get(ServiceRequest, ticket.request_id) if ticket.request_id else None
    return {
        "language": lang, "city": city, "group": ticket.group.name, "label": ticket.label,
        "taken_text": long_datetime(ticket.taken_at, tz, lang),
        "wait_minutes": place.wait_minutes or 0,
        "ahead": (place.position or 1) - 1,
        "follow_url": follow_url(base_url, ticket),
        "tracking_code": format_tracking_code(request.tracking_code) if request else "",
        "booked": ticket.booking_id is not None, "kiosk_code": kiosk_code,
    }


def queue_ticket_print(session: Session, ticket: QueueTicket, kiosk: Kiosk,
                       data: dict[str, Any], *, now: datetime) -> PrintJob:
    """Queue the ticket at this kiosk's printer. Not committed."""
    # No request_id: the request's receipt screen reads its own print state by it.
    job = PrintJob(kiosk_id=kiosk.id, request_id=None, kind="ticket",
                   state=PrintJobState.PENDING, payload={"ticket": data}, created_at=now)
    session.add(job)
    session.flush()
    record_audit(session, None, "queue_ticket_print", "print_job", str(job.id),
                 {"kiosk": kiosk.code, "ticket": ticket.label})
    return job
