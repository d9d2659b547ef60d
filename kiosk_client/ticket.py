"""The queue ticket as the kiosk's thermal printer prints it: the number large, the counter
group, the estimated wait, the tracking code of the request it is for, and a QR code to follow
the place in the line on a phone. Needs reportlab only, as the receipt does."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from kiosk_client.receipt import MARGIN_MM, PAPER_WIDTHS_MM, QR_SIZE_MM, _draw_qr

TICKET_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "title": "NOMOR ANTREAN",
        "wait": "Perkiraan tunggu: {minutes} menit ({ahead} orang di depan Anda)",
        "tracking": "Permohonan",
        "booking": "Janji temu",
        "scan": "Pindai untuk memantau antrean di ponsel",
        "keep": "Perhatikan layar dan panggilan suara. Nomor berlaku hari ini saja.",
    },
    "en": {
        "title": "QUEUE NUMBER",
        "wait": "Estimated wait: {minutes} min ({ahead} people ahead of you)",
        "tracking": "Request",
        "booking": "Appointment",
        "scan": "Scan to follow the queue on your phone",
        "keep": "Watch the display and listen for your number. Valid today only.",
    },
}


@dataclass(frozen=True)
class Ticket:
    language: str
    city: str
    group: str
    label: str
    taken_text: str
    wait_minutes: int
    ahead: int
    follow_url: str
    tracking_code: str = ""
    booked: bool = False
    kiosk_code: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ticket:
        return cls(language=str(data.get("language", "id")), city=str(data.get("city", "")),
                   group=str(data.get("group", "")), label=str(data["label"]),
                   taken_text=str(data.get("taken_text", "")),
                   wait_minutes=int(data.get("wait_minutes", 0)),
                   ahead=int(data.get("ahead", 0)), follow_url=str(data["follow_url"]),
                   tracking_code=str(data.get("tracking_code") or ""),
                   booked=bool(data.get("booked")), kiosk_code=str(data.get("kiosk_code", "")))


def render_ticket(ticket: Ticket, paper_mm: int = 80) -> bytes:
    """The ticket as a one-page PDF as wide as the paper roll."""
    if paper_mm not in PAPER_WIDTHS_MM:
        raise ValueError(f"paper width must be one of {PAPER_WIDTHS_MM} mm")
    words = TICKET_LABELS["en" if ticket.language == "en" else "id"]
    page_width = paper_mm * mm
    margin = MARGIN_MM[paper_mm] * mm
    width = page_width - 2 * margin
    number_size = 44 if paper_mm == 80 else 34
    lines: list[tuple[str, str, float]] = [
        (ticket.city.upper(), "Helvetica-Bold", 9),
        (words["title"], "Helvetica-Bold", 11),
        (ticket.group, "Helvetica-Bold", 14),
        (ticket.label, "Helvetica-Bold", number_size),
        (ticket.taken_text, "Helvetica", 8),
    ]
    for text in simpleSplit(words["wait"].format(minutes=ticket.wait_minutes, ahead=ticket.ahead),
                            "Helvetica", 9, width):
        lines.append((text, "Helvetica", 9))
    if ticket.tracking_code:
        lines.append((f"{words['tracking']}: {ticket.tracking_code}", "Helvetica-Bold", 10))
    if ticket.booked:
        lines.append((words["booking"], "Helvetica-Oblique", 9))
    qr_size = QR_SIZE_MM[paper_mm] * mm * 0.8
    scan = simpleSplit(words["scan"], "Helvetica", 7, width)
    footer = simpleSplit(words["keep"], "Helvetica-Oblique", 7, width)
    height = (margin + sum(size * 1.3 for _t, _f, size in lines) + 4 * mm + qr_size
              + len(scan) * 9 + 3 * mm + len(footer) * 9 + margin)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, height), pageCompression=1)
    canvas.setTitle(f"{words['title'].title()} {ticket.label}")
    canvas.setAuthor(ticket.city)
    y = height - margin
    for text, font, size in lines:
        y -= size * 1.3
        canvas.setFont(font, size)
        canvas.drawCentredString(page_width / 2, y + size * 0.25, text)
    y -= 4 * mm + qr_size
    _draw_qr(canvas, ticket.follow_url, (page_width - qr_size) / 2, y, qr_size)
    canvas.setFont("Helvetica", 7)
    for text in scan:
        y -= 9
        canvas.drawCentredString(page_width / 2, y, text)
    y -= 3 * mm
    canvas.setFont("Helvetica-Oblique", 7)
    for text in footer:
        y -= 9
        canvas.drawCentredString(page_width / 2, y, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
