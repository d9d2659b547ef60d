"""The product as an A4 PDF: city header, number, holder, service, dates, agency and a QR code
pointing at the public verification page."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from services.catalog.standard import fee_name
from services.city_calendar import DEFAULT_TIMEZONE
from services.codes import format_tracking_code
from services.formatting import long_datetime, long_local_date, rupiah
from services.models import IssuedDocument

QR_SIZE = 38 * mm


def _local(moment: datetime | None, tz: str) -> str:
    """ "10 Maret 2026", the way Indonesian official letters write dates."""
    return long_local_date(moment, tz) if moment else "-"


def _qr(canvas: Canvas, text: str, x: float, y: float) -> None:
    widget = QrCodeWidget(text, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE,
                      transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _fit(canvas: Canvas, text: str, room: float, font: str, size: float) -> str:
    """Shorten ``text`` with an ellipsis until it fits ``room`` points."""
    if canvas.stringWidth(text, font, size) <= room:
        return text
    while text and canvas.stringWidth(text + "...", font, size) > room:
        text = text[:-1]
    return text + "..."


def render_document_pdf(document: IssuedDocument, *, city_name: str, verify_url: str,
                        tz: str = DEFAULT_TIMEZONE, signed: bool = False) -> bytes:
    """Draw the document; the same record always gives the same content. Only a document
    that will carry the city's electronic signature (``signed``) says it needs no wet one."""
    request = document.request
    version = request.service_version
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"{version.product_id} {document.number}")
    width, height = A4
    left = 22 * mm
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawCentredString(width / 2, height - 25 * mm, f"PEMERINTAH {city_name.upper()}")
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawCentredString(width / 2, height - 32 * mm, document.agency.name_id.upper())
    canvas.setFont("Helvetica", 9)
    contact = " · ".join(part for part in (document.agency.address, document.agency.phone) if part)
    if contact:
        canvas.drawCentredString(width / 2, height - 37 * mm, contact)
    canvas.setLineWidth(1.5)
    canvas.line(left, height - 41 * mm, width - left, height - 41 * mm)

    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawCentredString(width / 2, height - 55 * mm, version.product_id.upper())
    canvas.setFont("Helvetica", 10)
    canvas.drawCentredString(width / 2, height - 61 * mm, f"Nomor: {document.number}")

    rows = [
        ("Nama pemegang / Holder", request.applicant_name),
        ("NIK", request.applicant_nik),
        ("Layanan / Service", version.name_id),
        ("Kode pelacakan / Tracking code", format_tracking_code(request.tracking_code)),
        ("Tanggal terbit / Date of issue", _local(document.issued_at, tz)),
        ("Berlaku sampai / Valid until",
         _local(document.valid_until, tz) if document.valid_until else "Seterusnya / Indefinite"),
        ("Instansi penerbit / Issued by", document.agency.name_id),
    ]
    if request.assessed_fee is not None:
        rows.append((fee_name(version), f"{rupiah(request.assessed_fee)} "
                                         f"({request.fee_reference})"))
    y = height - 80 * mm
    for label, value in rows:
        canvas.setFont("Helvetica", 10)
        canvas.drawString(left, y, label)
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(left + 62 * mm, y, f": {value}")
        y -= 9 * mm

    qr_y = 35 * mm
    _qr(canvas, verify_url, left, qr_y)
    canvas.setFont("Helvetica", 9)
    text_x = left + QR_SIZE + 6 * mm
    text = canvas.beginText(text_x, qr_y + QR_SIZE - 8 * mm)
    text.textLines([
        "Pindai kode QR untuk memeriksa keaslian dokumen ini.",
        "Scan the QR code to check that this document is genuine.",
        "",
        _fit(canvas, verify_url, width - left - text_x, "Helvetica", 9),
    ])
    canvas.drawText(text)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(left, qr_y - 7 * mm, f"{city_name}, {_local(document.issued_at, tz)}")
    canvas.setFont("Helvetica-Oblique", 8)
    if signed:
        lines = [f"Ditandatangani secara elektronik (PAdES) oleh Pemerintah {city_name}; sah tanpa "
                 "tanda tangan basah (UU ITE Pasal 11).",
                 "This document is signed electronically and needs no wet signature. "
                 f"Diterbitkan {long_datetime(document.issued_at, tz)}."]
    else:
        lines = ["Salinan tanpa tanda tangan elektronik: sah setelah ditandatangani dan dicap "
                 "instansi penerbit.",
                 "Unsigned copy: valid once signed and stamped by the issuing agency. "
                 f"Diterbitkan {long_datetime(document.issued_at, tz)}."]
    for index, line in enumerate(lines):
        canvas.drawString(left, 20 * mm - index * 4 * mm,
                          _fit(canvas, line, width - 2 * left, "Helvetica-Oblique", 8))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
