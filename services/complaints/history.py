"""A complaint's events (every change leaves exactly one) and their wording for citizens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.models import Agency, Complaint, ComplaintEvent, ComplaintStatus, User

# Event kind -> (Indonesian, English) for the citizen's timeline and the public board.
WORDING: dict[str, tuple[str, str]] = {
    "submitted": ("Pengaduan diterima dan menunggu verifikasi koordinator.",
                  "Your complaint was received and awaits the coordinator's check."),
    "forwarded": ("Pengaduan diverifikasi dan diteruskan ke {agency}.",
                  "The complaint was checked and passed to {agency}."),
    "declined": ("Pengaduan tidak dapat diproses.", "The complaint cannot be processed."),
    "answered": ("{agency} memberi tanggapan (tindak lanjut).",
                 "{agency} answered (follow-up)."),
    "sent_back": ("Koordinator meminta {agency} melengkapi tanggapannya.",
                  "The coordinator asked {agency} to complete its answer."),
    "rated": ("Pelapor menilai tanggapan.", "The complainant rated the answer."),
    "reopen_requested": ("Pelapor menyatakan masalah belum selesai dan meminta pengaduan "
                         "dibuka kembali.", "The complainant said the problem is not solved "
                         "and asked to reopen the complaint."),
    "reopened": ("Koordinator membuka kembali pengaduan ke {agency}.",
                 "The coordinator reopened the complaint to {agency}."),
    "closed": ("Koordinator menutup pengaduan.", "The coordinator closed the complaint."),
    "closed_unconfirmed": ("Pengaduan ditutup tanpa konfirmasi pelapor.",
                           "The complaint was closed without the complainant's confirmation."),
    "resolved": ("Pelapor menyatakan masalah selesai.", "The complainant said it is solved."),
    "published": ("Pengaduan ditampilkan di papan pengaduan publik.",
                  "The complaint was put on the public complaints board."),
    "unpublished": ("Pengaduan ditarik dari papan pengaduan publik.",
                    "The complaint was taken off the public complaints board."),
    "forward_overdue": ("Batas waktu verifikasi terlewati; pimpinan diberi tahu.",
                        "The time to check the complaint passed; the heads were notified."),
    "answer_overdue": ("Batas waktu tanggapan {agency} terlewati; pimpinan diberi tahu.",
                       "{agency}'s time to answer passed; its head was notified."),
}
EVENT_KINDS = frozenset(WORDING)
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
    text: str
    note: str


def event_text(event: ComplaintEvent, lang: str) -> str:
    indonesian, english = WORDING[event.kind]
    name = event.agency.name(lang) if event.agency is not None else ""
    return (english if lang == "en" else indonesian).format(agency=name)


def complaint_timeline(complaint: Complaint, lang: str,
                       note_text: Any = None) -> list[ComplaintTimelineEntry]:
    """The events a citizen (or the public) may see, oldest first; ``note_text`` rewrites a
    public note for its audience (e.g. redaction for the board)."""
    return [
        ComplaintTimelineEntry(
            at=event.created_at, kind=event.kind, text=event_text(event, lang),
            note=(note_text(event.note) if note_text else event.note)
            if event.public_note else "")
        for event in complaint.events if not event.internal
    ]
