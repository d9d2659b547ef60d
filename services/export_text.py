"""Text that comes from data, made safe for where it goes outside HTML: ReportLab's paragraph
markup (an agency named ``<a href=...>`` must not become a link, nor ``<img src=x>`` break the
report) and CSV cells (a name starting with ``=`` must not become a spreadsheet formula).
Every PDF paragraph and every CSV export goes through here."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape  # nosec B406 - escapes text, parses no XML

from reportlab.platypus import Paragraph

# OWASP's list: a cell starting with one of these is read as a formula (or DDE) by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*%?")


def pdf_markup(value: object) -> str:
    """``value`` as literal text inside ReportLab paragraph markup."""
    return escape(str(value), {'"': "&quot;"})


def paragraph(value: object, style: Any) -> Paragraph:
    """A ReportLab paragraph showing ``value`` as it is, never as markup."""
    return Paragraph(pdf_markup(value), style)


def marked_paragraph(template: str, style: Any, **values: object) -> Paragraph:
    """A paragraph whose fixed ``template`` carries markup (<b>, <u>) around ``values``, each
    shown as it is, never as markup."""
    return Paragraph(template.format(**{k: pdf_markup(v) for k, v in values.items()}), style)


def csv_cell(value: object) -> str:
    """A cell spreadsheets read as text: one starting like a formula gets an apostrophe in
    front (OWASP's advice); plain numbers such as -5 or +12,5% stay numbers."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable[object]], *, delimiter: str = ",") -> str:
    """Rows (the header first) as CSV, every cell through csv_cell."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
