"""The yearly evaluation as a PDF (reportlab): headline figures against their targets, charts,
and the same tables the command center shows, outputs beside outcomes. It takes text already
in the reader's language, so it needs nothing of the web layer."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import (
    Table as PdfTable,
)

from services.export_text import paragraph

BRAND = colors.HexColor("#0b5394")


@dataclass(frozen=True)
class Table:
    """A table of display strings, shared by the page, its CSV download and the PDF."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    title: str
    labels: list[str]
    values: list[float | None]
    maximum: float | None = None


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    method: str
    headline: list[tuple[str, str, str]]  # (figure, actual, target)
    headline_columns: tuple[str, str, str]
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def _chart(chart: Chart, width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 30, 30
    bars.width, bars.height = width - 40, height - 55
    bars.data = [[value or 0 for value in chart.values] or [0]]
    bars.categoryAxis.categoryNames = chart.labels or [""]
    bars.categoryAxis.labels.fontSize = 7
    bars.categoryAxis.labels.angle = 30 if len(chart.labels) > 8 else 0
    bars.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 8 else "n"
    bars.valueAxis.valueMin = 0
    top = chart.maximum or max([v or 0 for v in chart.values] + [1])
    bars.valueAxis.valueMax = top
    bars.valueAxis.labels.fontSize = 7
    bars.bars[0].fillColor = BRAND
    drawing.add(bars)
    drawing.add(String(0, height - 12, chart.title, fontName="Helvetica-Bold", fontSize=10))
    return drawing


def _table(rows: Sequence[Sequence[str]], widths: list[float] | None = None) -> PdfTable:
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=7.5, leading=9)
    head = cell.clone("head", fontName="Helvetica-Bold", textColor=colors.white)
    data = [[paragraph(text, head if index == 0 else cell) for text in row]
            for index, row in enumerate(rows)]
    table = PdfTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), BRAND),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c9d1d9")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f6f9")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def render_report(report: Report) -> bytes:
    """Draw the report on landscape A4 pages; the same report always gives the same text."""
    buffer = io.BytesIO()
    page = landscape(A4)
    document = SimpleDocTemplate(buffer, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm, title=report.title,
                                 invariant=True)
    styles = getSampleStyleSheet()
    width = page[0] - 30 * mm
    story: list = [
        paragraph(report.title, styles["Title"]),
        paragraph(report.subtitle, styles["Heading3"]),
        paragraph(report.method, styles["BodyText"]),
        Spacer(1, 4 * mm),
        _table([list(report.headline_columns), *[list(row) for row in report.headline]],
               [width * 0.5, width * 0.25, width * 0.25]),
        Spacer(1, 6 * mm),
    ]
    for chart in report.charts:
        story.append(_chart(chart, width, 60 * mm))
        story.append(Spacer(1, 4 * mm))
    for table in report.tables:
        story.append(KeepTogether([paragraph(table.title, styles["Heading2"])]))
        story.append(_table([table.columns, *table.rows]))
        story.append(Spacer(1, 4 * mm))
    document.build(story)
    return buffer.getvalue()
