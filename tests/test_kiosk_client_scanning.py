"""kiosk_client scans through SANE (the test backend, no hardware), joins pages into one PDF
("Tambah halaman") and uploads it under the kiosk's device token; the server checks it like any
upload and answers its upload id."""

from __future__ import annotations

import shutil

import pytest

from kiosk_client.scanning import SaneScanner, ScannerUnavailable, join_pages, upload_document
from tests.browser import live_server  # noqa: F401
from tests.builders import make_catalog
from tests.builders.berkas import pbg_with_documents
from tests.builders.kiosk import KIOSK_TOKEN, make_kiosk

needs_sane = pytest.mark.skipif(
    shutil.which("scanimage") is None,
    reason="SANE's scanimage is missing: apt-get install -y sane-utils")


@needs_sane
def test_two_scanned_pages_become_one_pdf_that_the_server_accepts(live_server, app,  # noqa: F811
                                                                 session, tmp_path):
    from services.berkas.files import Berkas
    from services.berkas.storage import FolderStore
    from tests.builders.berkas import KEYRING

    app.extensions["berkas"] = Berkas(FolderStore(tmp_path / "berkas"), KEYRING)
    make_catalog(session, pbg_with_documents(), agencies=["DPMPTSP", "DPUPR"])
    make_kiosk(session)
    session.close()
    scanner = SaneScanner(device="test", resolution=75)
    pages = [scanner.scan_page(), scanner.scan_page()]  # "Pindai", then "Tambah halaman"
    assert all(page.startswith(b"\x89PNG") for page in pages)
    answer = upload_document(live_server.url, KIOSK_TOKEN, join_pages(pages), "pindaian.pdf",
                             service_code="PBG", requirement="gambar_rencana")
    assert answer["media_type"] == "application/pdf" and answer["pages"] == 2
    assert answer["requirement"] == "gambar_rencana" and answer["upload_id"].startswith("upl_")
    with pytest.raises(ScannerUnavailable, match="Format ini tidak diterima|not accepted"):
        upload_document(live_server.url, KIOSK_TOKEN, pages[0], "halaman.png",
                        service_code="PBG", requirement="gambar_rencana")


def test_a_missing_scanner_says_how_to_install_it():
    with pytest.raises(ScannerUnavailable, match="apt-get install -y sane-utils"):
        SaneScanner(program="scanimage-not-installed").scan_page()


@needs_sane
def test_a_device_that_fails_is_reported():
    with pytest.raises(ScannerUnavailable):
        SaneScanner(device="no-such-device:0").scan_page()
