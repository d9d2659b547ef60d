"""Names from data stay text in PDFs and CSV downloads (issue 28, items 6 and 7): no ReportLab
markup (a link, a font, an image that breaks the report) and no spreadsheet formula."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from services.export_text import csv_cell, csv_text, pdf_markup
from services.models import Agency
from services.performance.report import Report, Table, render_report
from tests.builders import login
from tests.builders.printing import pdf_text, require_tools
from tests.test_command_web import city, decide_sktm  # noqa: F401 - the fixture

LINK_NAME = ('Dinas <font color="red" size="30">MERAH</font> '
             '<a href="http://evil.example/phish">Klik</a>')
IMAGE_NAME = "Dinas <img src=x> Rusak"
FORMULA_NAME = '=HYPERLINK("http://evil.example/phish","Klik")'


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+A1*2", "'+A1*2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), (FORMULA_NAME, "'" + FORMULA_NAME),
    ("Dinas Sosial", "Dinas Sosial"), ("-5", "-5"), ("+12,5%", "+12,5%"), ("", ""), (7, "7"),
])
def test_csv_cells_that_start_like_a_formula_get_an_apostrophe(cell, written):
    assert csv_cell(cell) == written


def test_pdf_markup_is_literal_text():
    assert pdf_markup(IMAGE_NAME) == "Dinas &lt;img src=x&gt; Rusak"
    assert pdf_markup('a & "b"') == "a &amp; &quot;b&quot;"


def report_naming(*names: str) -> Report:
    rows = [[name, "3", "100%"] for name in names]
    return Report(title=f"Evaluasi {names[0]}", subtitle=names[-1], method="<b>metode</b>",
                  headline=[(names[0], "1", "2")], headline_columns=("Angka", "Nyata", "Target"),
                  tables=[Table("agencies", f"Tabel {names[0]}", ["Instansi", "N", "%"], rows)])


def test_the_yearly_pdf_shows_markup_in_names_as_text(artifacts: Path):
    require_tools("pdftotext")
    pdf = render_report(report_naming(LINK_NAME, IMAGE_NAME))  # <img src=x> broke it: a 500
    (artifacts / "evaluasi-nama-markup.pdf").write_bytes(pdf)
    assert b"/URI" not in pdf and b"/Link" not in pdf  # no working link
    text = " ".join(pdf_text(pdf).split())
    assert '<a href="http://evil.example/phish">Klik</a>' in text
    assert "<img src=x>" in text and "<b>metode</b>" in text


def rename(session, code: str, name: str) -> None:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    agency.name_id = agency.name_en = name
    session.commit()


def test_the_command_centers_pdf_and_csv_keep_hostile_agency_names_inert(client, app_session,
                                                                        city):  # noqa: F811
    require_tools("pdftotext")
    decide_sktm(app_session, city, 1)
    rename(app_session, "KEC-UTARA", IMAGE_NAME)
    rename(app_session, "KEC-SELATAN", LINK_NAME)
    rename(app_session, "DLH", FORMULA_NAME)
    login(client, "walikota")
    response = client.get("/command/report.pdf")
    assert response.status_code == 200 and b"/URI" not in response.data
    assert "<img src=x>" in pdf_text(response.data)
    for key in ("agencies", "outcomes"):
        download = client.get(f"/command/{key}.csv")
        assert download.status_code == 200
        cells = [cell for row in csv.reader(io.StringIO(download.get_data(as_text=True)))
                 for cell in row]
        assert "'" + FORMULA_NAME in cells and FORMULA_NAME not in cells, key
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")], key


def test_csv_text_writes_every_row_through_the_cell_rule():
    assert csv_text([["a", "=b"], ["@c", "-1"]]).splitlines() == ["a,'=b", "'@c,-1"]


def test_no_pdf_paragraph_or_csv_writer_bypasses_the_one_helper():
    root = Path(__file__).resolve().parent.parent
    direct = re.compile(r"\bParagraph\(|csv\.(?:writer|DictWriter)\(")
    offenders = [f"{path.relative_to(root)}:{n}"
                 for folder in ("kiosk", "services", "kiosk_client")
                 # kiosk_client imports nothing of the server's: its slips escape on their own.
                 for path in (root / folder).rglob("*.py")
                 if path.name != "export_text.py" and path.parent.name != "kiosk_client"
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if direct.search(line)]
    assert offenders == []
