"""The citizen's timeline of a request, worded for citizens in both languages, from its events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.models import Event, ServiceRequest

# Event kind -> (Indonesian, English). {agency} is the agency that acted, when there is one.
WORDING: dict[str, tuple[str, str]] = {
    "submitted": ("Permohonan diterima.", "Your request was received."),
}
FALLBACK = ("Permohonan diperbarui.", "Your request was updated.")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    text: str
    note: str


def entry_text(event: Event, lang: str) -> str:
    indonesian, english = WORDING.get(event.kind, FALLBACK)
    agency = (event.data or {}).get("agency_name", {})
    name = agency.get(lang) or agency.get("id") or ""
    return (english if lang == "en" else indonesian).format(agency=name)


def citizen_timeline(request: ServiceRequest, lang: str) -> list[TimelineEntry]:
    """What the citizen sees: every event they should know of, oldest first."""
    return [
        TimelineEntry(at=event.created_at, kind=event.kind, text=entry_text(event, lang),
                      note=event.note if (event.data or {}).get("public_note") else "")
        for event in request.events
        if not (event.data or {}).get("internal")
    ]
