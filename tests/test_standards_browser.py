# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""The public service standards (/layanan) and the kiosk's service page in chromium: axe-core
finds nothing serious or critical, and screenshots are kept in test-artifacts/ to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import browser, live_server, portrait_page  # noqa: F401
from tests.test_kiosk_browser import demo_kiosk, enrol  # noqa: F401  (the demo kiosk fixture)

pytestmark = pytest.mark.browser


def axe_source() -> Path:
    """axe-core's axe.min.js as the axe-playwright-python package ships it (test extra)."""
    try:
        import axe_playwright_python
    except ImportError:
        pytest.skip("!!! axe-playwright-python is not installed: accessibility checks SKIPPED "
                    "(pip install -e .[test])")
    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    if not path.exists():
        pytest.skip(f"!!! {path} is missing: accessibility checks SKIPPED")
    return path


def serious_findings(page, source: Path) -> list[str]:
    page.add_script_tag(path=str(source))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            f"{[node['target'] for node in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def phone_page(browser):
    # The pages forbid inline scripts (CSP); axe is injected by the test, so CSP is bypassed here.
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def print_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_public_standards_pass_axe_and_name_every_component(
        live_server, demo_kiosk, phone_page, print_page, artifacts):
    source = axe_source()
    page = print_page
    page.goto(f"{live_server.url}/layanan")
    assert page.title().startswith("Standar Pelayanan Publik")
    assert page.locator("meta[name=description]").get_attribute("content")
    assert page.locator("meta[name=robots]").count() == 0
    codes = [link.get_attribute("href") for link in page.locator(".standard-list a").all()]
    assert len(codes) >= 15
    page.screenshot(path=str(artifacts / "layanan-index.png"), full_page=True)
    assert serious_findings(page, source) == []
    for href in codes:
        page.goto(f"{live_server.url}{href}")
        text = page.locator("main").inner_text()
        for component in ("Dasar hukum", "Persyaratan", "Sistem, mekanisme, dan prosedur",
                          "Jangka waktu penyelesaian", "Biaya/tarif", "Produk pelayanan",
                          "Penanganan pengaduan, saran, dan masukan"):
            assert component in text, (href, component)
        assert "Standar Pelayanan" in page.title()
    page.goto(f"{live_server.url}/layanan/PBG")
    text = page.locator("main").inner_text()
    for component in ("Dasar hukum", "Persyaratan", "Sistem, mekanisme, dan prosedur",
                      "Jangka waktu penyelesaian", "Biaya/tarif", "Produk pelayanan",
                      "Sarana, prasarana, dan/atau fasilitas",
                      "Penanganan pengaduan, saran, dan masukan", "Jaminan pelayanan",
                      "Jaminan keamanan dan keselamatan pelayanan", "Penetapan standar",
                      "Konsultasi publik", "Maklumat Pelayanan"):
        assert component in text, component
    assert "Nomor 503/12/DPMPTSP/2026 tanggal 15 Januari 2026" in text
    assert "Kompetensi pelaksana" not in text  # a management component stays inside
    assert serious_findings(page, source) == []
    page.screenshot(path=str(artifacts / "layanan-pbg.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "layanan-pbg-print.png"), full_page=True)
    phone_page.goto(f"{live_server.url}/layanan/KK-PERUBAHAN")
    assert serious_findings(phone_page, source) == []
    phone_page.screenshot(path=str(artifacts / "layanan-kk-phone.png"), full_page=True)


def test_the_kiosk_service_page_shows_the_standard(live_server, demo_kiosk, portrait_page,
                                                    artifacts):
    page = portrait_page
    enrol(page, live_server)
    page.goto(f"{live_server.url}/kiosk/service/PBG")
    text = page.locator("main").inner_text()
    assert "Retribusi dihitung setelah verifikasi" in text and "Gratis" not in text
    assert "Dasar hukum" in text and "PP 16/2021" in text
    page.screenshot(path=str(artifacts / "kiosk-service-pbg-portrait.png"), full_page=True)
    page.goto(f"{live_server.url}/kiosk/service/KK-PERUBAHAN")
    page.screenshot(path=str(artifacts / "kiosk-service-kk-portrait.png"), full_page=True)
