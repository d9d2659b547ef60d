"""The decision a ``document`` product is: a KEPUTUSAN in Tata Naskah Dinas form (Permendagri
1/2023), drawn from the service's decision template (catalog data), the request's answers and
what the clerk recorded at approval, and signed by the agency's official.

``decision_content`` fixes what the decision says when the clerk approves (a plain dict kept
with the document); ``render_decision_pdf`` draws it, so the draft the official reads and the
signed file say the same. Every text from data is escaped for ReportLab's markup."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from services.export_text import marked_paragraph, paragraph
from services.formatting import long_date

BSRE_NOTICE = ("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat "
               "elektronik yang diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), BSSN")
DRAFT_NOTICE = "KONSEP - belum ditandatangani; bukan dokumen yang sah."
ORDINALS = ("KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM", "KETUJUH",
            "KEDELAPAN", "KESEMBILAN", "KESEPULUH")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
RECORD_NEEDED = "decision.record_needed"


def record_fields(template: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """The facts of a decision the clerk records at approval (key and label)."""
    return [{"key": str(field["record"]), "label": str(field["label"])}
            for field in (template or {}).get("fields", []) if field.get("record")]


def missing_records(template: Mapping[str, Any] | None,
                    values: Mapping[str, str]) -> dict[str, str]:
    """The recorded facts the clerk left empty, by form field name (``record_<key>``)."""
    return {f"record_{field['key']}": RECORD_NEEDED for field in record_fields(template)
            if not str(values.get(field["key"], "")).strip()}


def _title(text: str) -> str:
    """ "KEPALA DINAS PEKERJAAN UMUM DAN PENATAAN RUANG" -> "Kepala Dinas Pekerjaan Umum dan
    Penataan Ruang": conjunctions and prepositions stay lower case."""
    small = {"dan", "atau", "di", "ke", "dari", "untuk", "tentang", "yang", "pada", "jo."}
    words = text.split()
    return " ".join(word.lower() if index and word.lower() in small else
                    word[:1].upper() + word[1:].lower() for index, word in enumerate(words))


def _shown(value: Any, choices: Mapping[str, str]) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    text = str(value)
    return choices.get(text, text)


def decision_content(*, template: Mapping[str, Any], number: str, city: str,
                     agency: Mapping[str, str], product: str, legal_basis: list[str],
                     holder_name: str, holder_nik: str, answers: Mapping[str, Any],
                     choice_labels: Mapping[str, Mapping[str, str]],
                     records: Mapping[str, str], valid_until: date | None) -> dict[str, Any]:
    """What the decision says, fixed at the clerk's approval (a pure function of its inputs)."""
    about = str(template["about"]).strip()
    head = f"KEPALA {agency['name'].upper()} {city.upper()}"
    considering = [str(text) for text in template.get("considering") or []] or [
        f"bahwa berdasarkan permohonan {holder_name} dan hasil pemeriksaan persyaratan, "
        f"pemohon memenuhi ketentuan untuk memperoleh {product}",
        f"bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
        f"Keputusan {_title(head)} tentang {_title(about)}",
    ]
    facts = [["Nama", holder_name], ["NIK", holder_nik]]
    for field in template.get("fields") or []:
        if field.get("answer"):
            key = str(field["answer"])
            value = _shown(answers.get(key), choice_labels.get(key, {}))
        else:
            value = str(records.get(str(field["record"]), "")).strip() or "-"
        suffix = str(field.get("suffix") or "")
        facts.append([str(field["label"]), f"{value}{' ' + suffix if suffix and value != '-' else ''}"])
    decides = [str(text) for text in template.get("decides") or []] or [
        f"Memberikan {product} kepada pemohon dengan keterangan sebagai berikut:"]
    closing = "Keputusan ini mulai berlaku pada tanggal ditetapkan"
    closing += (f" sampai dengan tanggal {long_date(valid_until, 'id')}." if valid_until
                else ".")
    return {
        "number": number, "classification": str(template["classification"]),
        "title": f"KEPUTUSAN {head}", "about": about.upper(), "head": head,
        "city": city, "agency": dict(agency), "considering": considering,
        "remembering": list(legal_basis), "decides": decides, "facts": facts,
        "closing": closing,
    }


@dataclass(frozen=True)
class Signatory:
    """Who signs, as the signature block shows them."""

    name: str
    jabatan: str
    nip: str


def format_nip(nip: str) -> str:
    """The NIP grouped as printed on letters: 19700101 199503 1 001."""
    digits = "".join(nip.split())
    if len(digits) != 18:
        return digits
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="Times-Roman", fontSize=10.5, leading=12.6,
                          alignment=TA_JUSTIFY)
    return {
        "body": base,
        "left": ParagraphStyle("left", parent=base, alignment=TA_LEFT),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontName="Times-Bold", fontSize=12,
                                alignment=TA_CENTER),
        "kop1": ParagraphStyle("kop1", parent=base, fontName="Times-Bold", fontSize=15,
                               leading=18, alignment=TA_CENTER),
        "kop2": ParagraphStyle("kop2", parent=base, fontName="Times-Bold", fontSize=13,
                               leading=16, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11,
                                alignment=TA_CENTER),
        "note": ParagraphStyle("note", parent=base, fontName="Times-Italic", fontSize=8.5,
                               leading=10.5),
        "draft": ParagraphStyle("draft", parent=base, fontName="Helvetica-Bold", fontSize=11,
                                textColor="#b00020", alignment=TA_CENTER),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return paragraph(text, style)


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0,
                                             size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def _listed(label: str, items: list[str], marks: str, style: ParagraphStyle) -> Table:
    """ "Menimbang : a. ...;" rows: the label, a colon, the mark and the text."""
    rows = []
    for index, item in enumerate(items):
        mark = (marks[index] if marks != "1" else str(index + 1)) + "."
        text = item.rstrip(" ;.") + ";"
        rows.append([_p(label if index == 0 else "", style), _p(":" if index == 0 else "", style),
                     _p(mark, style), _p(text, style)])
    table = Table(rows, colWidths=[27 * mm, 4 * mm, 7 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def render_decision_pdf(content: Mapping[str, Any], *, signatory: Signatory, signed_on: date,
                        verify_url: str, draft: bool = False) -> bytes:
    """Draw the decision as an A4 PDF with selectable text; a draft says so on its face and
    carries no signature notice."""
    styles = _styles()
    body = styles["body"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm, topMargin=12 * mm,
        bottomMargin=20 * mm, title=f"{content['title']} {content['number']}",
        author=str(content["agency"].get("name", "")), invariant=True)
    agency = content["agency"]
    contact = " · ".join(part for part in (agency.get("address", ""), agency.get("phone", ""),
                                          agency.get("email", "")) if part)
    story: list[Any] = [
        _p(f"PEMERINTAH {content['city'].upper()}", styles["kop1"]),
        _p(agency.get("name", "").upper(), styles["kop2"]),
        _p(contact, styles["small"]),
    ]
    story += [HRFlowable(width="100%", thickness=2, color="#000000", spaceBefore=2,
                         spaceAfter=1),
              HRFlowable(width="100%", thickness=0.6, color="#000000", spaceAfter=4 * mm)]
    if draft:
        story += [_p(DRAFT_NOTICE, styles["draft"]), Spacer(1, 2 * mm)]
    story += [
        _p(content["title"], styles["title"]),
        _p(f"NOMOR {content['number']}", styles["title"]),
        Spacer(1, 1.5 * mm), _p("TENTANG", styles["title"]),
        _p(content["about"], styles["title"]), Spacer(1, 3 * mm),
        _p(f"{content['head']},", styles["title"]), Spacer(1, 3 * mm),
        _listed("Menimbang", list(content["considering"]), LETTERS, body), Spacer(1, 2 * mm),
        _listed("Mengingat", list(content["remembering"]), "1", body), Spacer(1, 4 * mm),
        _p("MEMUTUSKAN:", styles["title"]), Spacer(1, 2 * mm),
    ]
    about_text = f"{content['title']} TENTANG {content['about']}."
    rows = [[_p("Menetapkan", body), _p(":", body), _p(about_text, body)]]
    decides = list(content["decides"])
    left = styles["left"]
    facts = Table([[_p(label, left), _p(":", left), _p(value, left)]
                   for label, value in content["facts"]],
                  colWidths=[58 * mm, 4 * mm, None])
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    rows.append([_p(ORDINALS[0], body), _p(":", body), [_p(decides[0], body), facts]])
    for index, text in enumerate([*decides[1:], content["closing"]], start=1):
        rows.append([_p(ORDINALS[min(index, len(ORDINALS) - 1)], body), _p(":", body),
                     _p(text, body)])
    diktum = Table(rows, colWidths=[27 * mm, 4 * mm, None])
    diktum.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    story += [diktum, Spacer(1, 3 * mm)]

    block = [
        _p(f"Ditetapkan di {content['city']}", left),
        _p(f"pada tanggal {long_date(signed_on, 'id')}", left), Spacer(1, 2 * mm),
        _p(f"{signatory.jabatan.upper()},", left), Spacer(1, 2 * mm),
        _p("KONSEP" if draft else "Ditandatangani secara elektronik", styles["note"]),
        Spacer(1, 2 * mm),
        marked_paragraph("<u><b>{name}</b></u>", left, name=signatory.name),
        _p(f"NIP {format_nip(signatory.nip)}", left),
    ]
    qr = _qr(verify_url, 30 * mm)
    check = _p("Pindai kode QR untuk memeriksa keaslian dokumen ini: " + verify_url,
               styles["note"])
    signature = Table([[[qr, check], block]], colWidths=[70 * mm, None])
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(KeepTogether([signature]))

    def footer(canvas: Any, page: Any) -> None:
        """The BSrE notice at the foot of every page of a signed decision."""
        if draft:
            return
        notice = _p(BSRE_NOTICE + ".", styles["note"])
        width = A4[0] - document.leftMargin - document.rightMargin
        _, height = notice.wrapOn(canvas, width, 20 * mm)
        notice.drawOn(canvas, document.leftMargin, 8 * mm + (10 * mm - height))

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
