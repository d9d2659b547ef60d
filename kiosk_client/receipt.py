"""The receipt renderer: one reportlab PDF for the kiosk's thermal printer and for the citizen's
own download. Needs reportlab only (its QR and Code128 modules), so the server can import it."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

PAPER_WIDTHS_MM = (58, 80)
MARGIN_MM = {58: 3.0, 80: 4.0}
QR_SIZE_MM = {58: 30.0, 80: 36.0}

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "title": "TANDA TERIMA PERMOHONAN",
        "government": "PEMERINTAH",
        "tracking": "Kode pelacakan",
        "pin": "PIN",
        "pin_hidden": "PIN: lihat tanda terima pertama",
        "submitted": "Diajukan",
        "expected": "Perkiraan selesai",
        "product": "Produk",
        "fee": "Biaya",
        "free": "Gratis",
        "requirements": "Persyaratan yang dibawa:",
        "kiosk": "Kios",
        "applicant": "Pemohon",
        "scan": "Pindai untuk melihat status permohonan",
        "keep": "Simpan tanda terima ini. Jangan beri tahu PIN Anda kepada siapa pun.",
    },
    "en": {
        "title": "REQUEST RECEIPT",
        "government": "GOVERNMENT OF",
        "tracking": "Tracking code",
        "pin": "PIN",
        "pin_hidden": "PIN: see your first receipt",
        "submitted": "Submitted",
        "expected": "Expected completion",
        "product": "Product",
        "fee": "Fee",
        "free": "Free",
        "requirements": "Requirements to bring:",
        "kiosk": "Kiosk",
        "applicant": "Applicant",
        "scan": "Scan to see the status of your request",
        "keep": "Keep this receipt. Never tell anyone your PIN.",
    },
}


# A complaint's receipt words a few things differently (kind "complaint"); the rest is shared.
KIND_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "complaint": {
        "id": {
            "title": "TANDA TERIMA PENGADUAN",
            "tracking": "Kode pengaduan",
            "expected": "Diverifikasi paling lambat",
            "scan": "Pindai untuk membaca tanggapan dan menilainya",
        },
        "en": {
            "title": "COMPLAINT RECEIPT",
            "tracking": "Complaint code",
            "expected": "Verified by",
            "scan": "Scan to read the answer and rate it",
        },
    },
}


def labels(kind: str, language: str) -> dict[str, str]:
    """The receipt's fixed words for a kind of receipt ("request" or "complaint")."""
    lang = "en" if language == "en" else "id"
    return {**LABELS[lang], **KIND_LABELS.get(kind, {}).get(lang, {})}


@dataclass(frozen=True)
class Receipt:
    """Everything printed on a receipt; travels as JSON from the server to the kiosk client."""

    tracking_code: str  # grouped for reading aloud, e.g. K7QM-4XNA-P
    service_name: str
    city: str
    agency: str
    submitted_at: str  # local time, ISO 8601 with its offset
    timezone_label: str  # e.g. WIB
    expected_completion: str  # local date, ISO 8601
    fee: int  # rupiah
    status_url: str
    kiosk_code: str = ""
    pin: str | None = None  # None when it cannot be recovered (then it is not printed)
    applicant: str = ""  # masked, e.g. "S**** A*****"
    requirements: list[str] = field(default_factory=list)
    language: str = "id"
    # Worded by the server (long dates with WIB/WITA/WIT, the fee by its kind); a server that
    # sends none leaves the client to word them from the plain values above.
    submitted_text: str = ""
    expected_text: str = ""
    fee_text: str = ""
    product_text: str = ""
    kind: str = "request"  # or "complaint": its own title and words, no fee

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Receipt:
        known = set(cls.__dataclass_fields__)
        values = {key: value for key, value in data.items() if key in known}
        values["requirements"] = list(values.get("requirements") or [])
        return cls(**values)

    @property
    def barcode_value(self) -> str:
        return self.tracking_code.replace("-", "")


def format_rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def format_local_datetime(iso: str, tz_label: str) -> str:
    moment = datetime.fromisoformat(iso)
    return f"{moment:%d-%m-%Y %H:%M} {tz_label}".strip()


def format_local_date(iso: str) -> str:
    return f"{date.fromisoformat(iso):%d-%m-%Y}" if iso else "-"


@dataclass(frozen=True)
class _Line:
    text: str
    font: str
    size: float
    align: str = "left"  # left, centre
    gap_before: float = 0.0


def _layout(receipt: Receipt, width: float) -> list[_Line]:
    """The receipt's text lines, wrapped to the paper, before the codes."""
    words = labels(receipt.kind, receipt.language)
    narrow = width < 60 * mm
    body = 7.5 if narrow else 9.0
    big = 17.0 if narrow else 22.0
    lines: list[_Line] = []

    def add(text: str, font: str = "Helvetica", size: float = body, align: str = "left",
            gap: float = 0.0) -> None:
        for index, piece in enumerate(simpleSplit(text, font, size, width) or [""]):
            lines.append(_Line(piece, font, size, align, gap if index == 0 else 0.0))

    add(f"{words['government']} {receipt.city.upper()}", "Helvetica-Bold", body + 1, "centre")
    if receipt.agency:
        add(receipt.agency, "Helvetica", body, "centre")
    add(words["title"], "Helvetica-Bold", body + 0.5, "centre", gap=4)
    add(receipt.service_name, "Helvetica-Bold", body + 1, "centre", gap=3)
    add(words["tracking"], "Helvetica", body, "centre", gap=5)
    add(receipt.tracking_code, "Helvetica-Bold", big, "centre", gap=2)
    if receipt.pin:
        add(f"{words['pin']}: {receipt.pin}", "Helvetica-Bold", body + 4, "centre", gap=4)
    else:
        add(words["pin_hidden"], "Helvetica", body, "centre", gap=4)
    if receipt.applicant:
        add(f"{words['applicant']}: {receipt.applicant}", gap=6)
    submitted = receipt.submitted_text or format_local_datetime(receipt.submitted_at,
                                                                receipt.timezone_label)
    add(f"{words['submitted']}: {submitted}", gap=0 if receipt.applicant else 6)
    expected = receipt.expected_text or format_local_date(receipt.expected_completion)
    add(f"{words['expected']}: {expected}")
    if receipt.kind == "request":
        fee = receipt.fee_text or (format_rupiah(receipt.fee) if receipt.fee else words["free"])
        add(f"{words['fee']}: {fee}")
    if receipt.product_text:
        add(f"{words['product']}: {receipt.product_text}")
    if receipt.kiosk_code:
        add(f"{words['kiosk']}: {receipt.kiosk_code}")
    if receipt.requirements:
        add(words["requirements"], "Helvetica-Bold", body, gap=5)
        for requirement in receipt.requirements:
            add(f"- {requirement}")
    return lines


def render_receipt(receipt: Receipt, paper_mm: int = 80) -> bytes:
    """The receipt as a one-page PDF exactly as wide as the paper roll and as tall as needed."""
    if paper_mm not in PAPER_WIDTHS_MM:
        raise ValueError(f"paper width must be one of {PAPER_WIDTHS_MM} mm")
    words = labels(receipt.kind, receipt.language)
    page_width = paper_mm * mm
    margin = MARGIN_MM[paper_mm] * mm
    width = page_width - 2 * margin
    lines = _layout(receipt, width)
    footer = simpleSplit(words["keep"], "Helvetica-Oblique", 7, width)
    scan = simpleSplit(words["scan"], "Helvetica", 7, width)

    qr_size = QR_SIZE_MM[paper_mm] * mm
    barcode = _code128(receipt.barcode_value, width)

    text_height = sum(line.size * 1.25 + line.gap_before for line in lines)
    height = (margin + text_height + 4 * mm + qr_size + len(scan) * 9 + 4 * mm
              + barcode.height + 4 * mm + len(footer) * 9 + margin)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, height), pageCompression=1)
    canvas.setTitle(f"{words['title'].title()} {receipt.tracking_code}")
    canvas.setAuthor(receipt.city)
    y = height - margin
    for line in lines:
        y -= line.gap_before + line.size * 1.25
        canvas.setFont(line.font, line.size)
        if line.align == "centre":
            canvas.drawCentredString(page_width / 2, y + line.size * 0.25, line.text)
        else:
            canvas.drawString(margin, y + line.size * 0.25, line.text)

    y -= 4 * mm + qr_size
    _draw_qr(canvas, receipt.status_url, (page_width - qr_size) / 2, y, qr_size)
    canvas.setFont("Helvetica", 7)
    for text in scan:
        y -= 9
        canvas.drawCentredString(page_width / 2, y, text)

    y -= 4 * mm + barcode.height
    barcode.drawOn(canvas, (page_width - barcode.width) / 2, y)

    y -= 4 * mm
    canvas.setFont("Helvetica-Oblique", 7)
    for text in footer:
        y -= 9
        canvas.drawCentredString(page_width / 2, y, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _code128(value: str, max_width: float) -> Code128:
    """A Code128 barcode with the widest bars (up to 0.5 mm) that fit ``max_width``."""
    unit = Code128(value, barWidth=1.0, humanReadable=False, quiet=False)
    bar_width = min(max_width / unit.width, 0.5 * mm)
    return Code128(value, barWidth=bar_width, barHeight=10 * mm, humanReadable=False,
                   quiet=False)


def _draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """A QR code of ``value`` filling a size x size square at (x, y)."""
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0,
                                             size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def render_qr_page(value: str, paper_mm: int = 80) -> bytes:
    """A page holding only a QR code, as the receipt draws it (the benchmark's yardstick)."""
    size = QR_SIZE_MM[paper_mm] * mm
    page_width = paper_mm * mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, size + 8 * mm), pageCompression=1)
    _draw_qr(canvas, value, (page_width - size) / 2, 4 * mm, size)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
