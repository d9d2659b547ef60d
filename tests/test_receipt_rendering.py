"""The receipt PDF: what a citizen can read on it and what a phone or scanner reads from it."""

import pytest

from kiosk_client.receipt import render_qr_page, render_receipt
from tests.builders.printing import decoded_codes, pdf_text, require_tools, sample_receipt


@pytest.fixture(autouse=True)
def _tools():
    require_tools("pdftotext", "pdftoppm", "zbarimg")


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_the_receipt_shows_the_tracking_code_pin_and_what_to_bring(paper_mm):
    text = pdf_text(render_receipt(sample_receipt(), paper_mm))
    for expected in ("K7QM-4XNA-P", "PIN: 042917", "PEMERINTAH KOTA CONTOH", "Dinas Sosial",
                     "Surat Keterangan Tidak Mampu", "25-11-2026 15:23 WIB", "02-12-2026",
                     "Rp150.000", "KIOSK-MPP-01", "Fotokopi KTP", "S*** A*****"):
        assert expected in text


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_the_qr_code_opens_the_status_page_and_the_barcode_is_the_tracking_code(paper_mm,
                                                                                 tmp_path):
    codes = decoded_codes(render_receipt(sample_receipt(), paper_mm), tmp_path)
    assert codes == {"QR-Code": "http://127.0.0.1:8000/status?code=K7QM-4XNA-P",
                     "CODE-128": "K7QM4XNAP"}


def test_the_page_is_as_wide_as_the_paper_roll():
    import re

    for paper_mm, points in ((58, 164.4), (80, 226.8)):
        box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+)", render_receipt(sample_receipt(),
                                                                          paper_mm))
        assert box and abs(float(box.group(1)) - points) < 0.1


def test_an_english_receipt_speaks_english():
    text = pdf_text(render_receipt(sample_receipt(language="en", fee=0)))
    assert "Tracking code" in text and "Requirements to bring" in text and "Free" in text
    assert "Kode pelacakan" not in text


def test_a_receipt_without_a_recoverable_pin_says_where_the_pin_is():
    text = pdf_text(render_receipt(sample_receipt(pin=None)))
    assert "PIN: lihat tanda terima pertama" in text


def test_only_the_paper_widths_of_kiosk_printers_are_accepted():
    with pytest.raises(ValueError):
        render_receipt(sample_receipt(), 110)


def test_the_qr_only_page_holds_the_same_code(tmp_path):
    url = sample_receipt().status_url
    assert decoded_codes(render_qr_page(url), tmp_path) == {"QR-Code": url}


def test_the_renderer_needs_only_reportlab_and_the_standard_library():
    import sys
    from pathlib import Path

    from tests.test_architecture import imported_modules

    path = Path(__file__).resolve().parent.parent / "kiosk_client" / "receipt.py"
    outside = {name for name in imported_modules(path)
               if name.split(".")[0] not in sys.stdlib_module_names | {"reportlab"}}
    assert outside == set()
