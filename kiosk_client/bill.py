"""The bill (SKRD/SKPD) renderer: one reportlab PDF for the kiosk's roll printer and for the
citizen's download, with the amount in figures and words, the tariff lines, the VA number and
the dynamic QRIS code. Needs reportlab only, so the server imports it to serve the same PDF.
Texts from data are escaped for ReportLab's markup (xml.sax.saxutils.escape)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape  # nosec B406 - escapes text for ReportLab, parses no XML

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kiosk_client.receipt import PAPER_WIDTHS_MM, _draw_qr, format_rupiah

MARGIN_MM = {58: 3.0, 80: 4.0}
QR_SIZE_MM = {58: 40.0, 80: 52.0}

TITLES = {"skrd": ("SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)", "REGIONAL LEVY ASSESSMENT (SKRD)"),
          "skpd": ("SURAT KETETAPAN PAJAK DAERAH (SKPD)", "REGIONAL TAX ASSESSMENT (SKPD)")}
WORDS = {
    "id": {"government": "PEMERINTAH", "number": "Nomor", "tracking": "Kode pelacakan",
           "service": "Layanan", "basis": "Dasar hukum", "lines": "Rincian", "rounding":
           "Pembulatan", "total": "Jumlah", "words": "Terbilang", "due": "Jatuh tempo",
           "va": "Kode bayar (virtual account)", "scan": "Bayar dengan QRIS: pindai kode ini "
           "dengan aplikasi bank atau dompet digital.", "paid": "LUNAS", "unpaid":
           "BELUM DIBAYAR", "cancelled": "DIBATALKAN", "expired": "KEDALUWARSA",
           "keep": "Tagihan ini tidak dapat diubah; perbaikan diterbitkan sebagai tagihan baru."},
    "en": {"government": "GOVERNMENT OF", "number": "Number", "tracking": "Tracking code",
           "service": "Service", "basis": "Legal basis", "lines": "Breakdown", "rounding":
           "Rounding", "total": "Total", "words": "In words", "due": "Due date",
           "va": "Payment code (virtual account)", "scan": "Pay by QRIS: scan this code with "
           "a banking or e-wallet app.", "paid": "PAID", "unpaid": "UNPAID",
           "cancelled": "CANCELLED", "expired": "EXPIRED",
           "keep": "This bill never changes; a correction is issued as a new bill."},
}


@dataclass(frozen=True)
class BillSlip:
    """Everything printed on a bill; travels as JSON from the server to the kiosk client."""

    number: str
    kind: str  # skrd or skpd
    city: str
    agency: str
    tracking_code: str
    service_name: str
    legal_basis: str
    lines: list[dict[str, Any]]  # {"label", "figures" (worded), "amount"}
    rounding: int
    amount: int
    amount_words: str
    due_text: str
    va_number: str
    qris: str  # the QRIS payload ("" once paid or cancelled)
    state: str  # unpaid, paid, cancelled, expired
    state_note: str = ""
    language: str = "id"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BillSlip:
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


def _style(size: float, bold: bool = False, centre: bool = False) -> ParagraphStyle:
    return ParagraphStyle("b", fontName="Helvetica-Bold" if bold else "Helvetica",
                          fontSize=size, leading=size * 1.25, alignment=1 if centre else 0)


def render_bill(bill: BillSlip, paper_mm: int = 80) -> bytes:
    """The bill as a one-page PDF as wide as the paper roll and as tall as needed."""
    if paper_mm not in PAPER_WIDTHS_MM:
        raise ValueError(f"paper width must be one of {PAPER_WIDTHS_MM} mm")
    lang = "en" if bill.language == "en" else "id"
    words = WORDS[lang]
    page_width = paper_mm * mm
    margin = MARGIN_MM[paper_mm] * mm
    width = page_width - 2 * margin
    body = 7.5 if paper_mm == 58 else 8.5
    title = TITLES.get(bill.kind, TITLES["skrd"])[1 if lang == "en" else 0]
    blocks: list[tuple[Paragraph, float]] = []

    def add(text: str, *, size: float = body, bold: bool = False, centre: bool = False,
            gap: float = 1.5) -> None:
        blocks.append((Paragraph(text, _style(size, bold, centre)), gap))

    e = escape
    add(f"{words['government']} {e(bill.city.upper())}", bold=True, centre=True, size=body + 1)
    add(e(bill.agency), centre=True)
    add(e(title), bold=True, centre=True, gap=4)
    add(f"{words['number']}: {e(bill.number)}", centre=True)
    state = words.get(bill.state, "")
    note = f" — {e(bill.state_note)}" if bill.state_note else ""
    add(f"<b>{state}</b>{note}", centre=True, size=body + 3, gap=3)
    add(f"{words['tracking']}: <b>{e(bill.tracking_code)}</b>", gap=4)
    add(f"{words['service']}: {e(bill.service_name)}")
    add(f"{words['basis']}: {e(bill.legal_basis)}", size=body - 1)
    add(f"<b>{words['lines']}</b>", gap=4)
    for line in bill.lines:
        add(f"{e(str(line['label']))}<br/>{e(str(line['figures']))} = "
            f"<b>{format_rupiah(int(line['amount']))}</b>", size=body - 0.5)
    if bill.rounding:
        add(f"{words['rounding']}: {format_rupiah(bill.rounding)}")
    add(f"{words['total']}: {format_rupiah(bill.amount)}", bold=True, size=body + 4, gap=4)
    add(f"{words['words']}: <i>{e(bill.amount_words)}</i>")
    add(f"{words['due']}: <b>{e(bill.due_text)}</b>", gap=3)
    add(f"{words['va']}:", gap=3)
    add(e(bill.va_number), bold=True, size=body + 5, centre=True)
    scan = Paragraph(words["scan"], _style(body - 1, centre=True))
    footer = Paragraph(words["keep"], _style(body - 1.5, centre=True))

    sizes = [(paragraph, gap, paragraph.wrap(width, 1000)[1]) for paragraph, gap in blocks]
    qr_size = QR_SIZE_MM[paper_mm] * mm if bill.qris else 0
    scan_height = scan.wrap(width, 1000)[1] if bill.qris else 0
    footer_height = footer.wrap(width, 1000)[1]
    height = (2 * margin + sum(gap + h for _, gap, h in sizes) + (4 * mm + qr_size + scan_height
              if bill.qris else 0) + 4 * mm + footer_height)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, height), pageCompression=1)
    canvas.setTitle(f"{title} {bill.number}")
    canvas.setAuthor(bill.city)
    y = height - margin
    for paragraph, gap, h in sizes:
        y -= gap + h
        paragraph.drawOn(canvas, margin, y)
    if bill.qris:
        y -= 4 * mm + qr_size
        _draw_qr(canvas, bill.qris, (page_width - qr_size) / 2, y, qr_size)
        y -= scan_height
        scan.drawOn(canvas, margin, y)
    y -= 4 * mm + footer_height
    footer.drawOn(canvas, margin, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
