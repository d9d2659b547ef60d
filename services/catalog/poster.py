"""The service standard as an A3 poster (reportlab), the way an MPP hangs it on the wall: the
public components of Pasal 21, how the standard was set, and the unit's Maklumat Pelayanan.
Every text from the catalog is escaped for ReportLab's markup."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A3
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from services.catalog.standard import (
    consultation_lines,
    decree_text,
    in_language,
    maklumat_units,
    standard_components,
)
from services.export_text import paragraph
from services.formatting import long_date
from services.models import ServiceVersion

BRAND = colors.HexColor("#0b5394")
PROMISE = colors.HexColor("#0a6b3d")

TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=30, leading=36,
                       textColor=colors.white)
CITY = ParagraphStyle("city", fontName="Helvetica", fontSize=16, leading=20,
                      textColor=colors.white)
HEAD = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=15, leading=19,
                      textColor=BRAND)
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=13, leading=17)
SMALL = ParagraphStyle("small", fontName="Helvetica", fontSize=10, leading=13,
                       textColor=colors.HexColor("#444444"))
PLEDGE = ParagraphStyle("pledge", fontName="Helvetica-Oblique", fontSize=14, leading=19)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return paragraph(text, style)


def _items(items: list[str], numbered: bool) -> ListFlowable:
    return ListFlowable([ListItem(_p(item, BODY), leftIndent=14) for item in items if item],
                        bulletType="1" if numbered else "bullet", start=1 if numbered else None,
                        bulletFontSize=11, leftIndent=14)


def standard_poster(version: ServiceVersion, *, city: str, lang: str) -> bytes:
    """The A3 poster of one published version of a service's standard."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A3, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm,
                                 title=f"Standar Pelayanan {version.text('name', lang)}",
                                 author=city)
    width = A3[0] - 36 * mm
    banner = Table([[_p(in_language(lang, "STANDAR PELAYANAN", "SERVICE STANDARD"), CITY)],
                    [_p(version.text("name", lang), TITLE)], [_p(city, CITY)]],
                   colWidths=[width])
    banner.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), BRAND),
                                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                                ("TOPPADDING", (0, 0), (-1, 0), 10),
                                ("BOTTOMPADDING", (0, -1), (-1, -1), 12)]))
    story: list = [banner, Spacer(1, 6 * mm)]
    rows = [[_p(part.title, HEAD), _items(part.items, part.key == "prosedur")]
            for part in standard_components(version, lang)]
    grid = Table(rows, colWidths=[70 * mm, width - 70 * mm], repeatRows=0)
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#bbbbbb")),
                              ("TOPPADDING", (0, 0), (-1, -1), 6),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    story += [grid, Spacer(1, 5 * mm)]
    decree = decree_text(version, lang)
    if decree:
        story.append(_p(decree + ".", SMALL))
    for line in consultation_lines(version, lang):
        story.append(_p(in_language(lang, "Konsultasi publik ", "Public consultation ") + line, SMALL))
    for unit in maklumat_units(version):
        pledge = unit.maklumat_en if lang == "en" and unit.maklumat_en else unit.maklumat_id
        box = Table([[_p(in_language(lang, "MAKLUMAT PELAYANAN", "SERVICE DECLARATION")
                         + " · " + unit.name(lang), HEAD)],
                     *[[_p(paragraph, PLEDGE)] for paragraph in pledge.split("\n")
                       if paragraph.strip()],
                     [_p(f"{unit.maklumat_signer}, "
                         f"{long_date(unit.maklumat_date, lang) if unit.maklumat_date else ''}",
                         BODY)]],
                    colWidths=[width])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 2, PROMISE),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 12),
                                 ("TOPPADDING", (0, 0), (-1, 0), 8),
                                 ("BOTTOMPADDING", (0, -1), (-1, -1), 10)]))
        story += [Spacer(1, 6 * mm), KeepTogether(box)]
    story += [Spacer(1, 4 * mm), _p(in_language(lang, "Versi standar {n}", "Standard version {n}")
                                    .format(n=version.number), SMALL)]
    document.build(story)
    return buffer.getvalue()
