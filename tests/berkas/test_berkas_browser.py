"""The berkas walk in Chromium: the DPMPTSP clerk sees the PBG drawing and KTP inline, marks the
drawing tidak sesuai with a reason and returns the file; the citizen replaces the drawing on a
phone (390x844) with a preview; the clerk checks it again and records berkas lengkap, and the
request's clock starts there."""

from __future__ import annotations

import shutil

import pytest

from services.models import ServiceRequest
from tests.browser import browser, desk_page, live_server, page_in_new_context, sign_in  # noqa: F401
from tests.builders import PASSWORD
from tests.builders.berkas import pdf

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                 reason="pdftoppm is missing: apt-get install -y poppler-utils")]
PHONE = {"width": 390, "height": 844}


def pictures_shown(page) -> int:  # type: ignore[no-untyped-def]
    """How many document pictures on the page have loaded and drawn."""
    return sum(1 for img in page.locator("figure.document img").all()
               if img.evaluate("img => img.complete && img.naturalWidth > 0"))


def check(page, key: str, verdict: str, reason: str = "") -> None:  # type: ignore[no-untyped-def]
    form = page.locator(f"[data-test=requirement-{key}] form.requirement-check")
    form.locator("select[name=verdict]").select_option(verdict)
    form.locator("input[name=reason]").fill(reason)
    form.get_by_role("button", name="Catat").click()
    page.wait_for_url("**/clerk/requests/*")


@pytest.mark.parametrize("berkas", ["folder"], indirect=True)
def test_clerk_returns_the_drawing_and_the_citizen_replaces_it_on_a_phone(
        live_server, desk_page, browser, app, session, filed, berkas, artifacts,  # noqa: F811
        tmp_path):
    app.extensions["berkas"] = berkas
    code, pin = filed["request"].tracking_code, filed["pin"]
    session.close()  # on SQLite an open read would hold the write lock against the server
    page = desk_page
    sign_in(page, live_server.url, "clerk.dpmptsp", PASSWORD, f"/clerk/requests/{code}")
    page.locator("figure.document img").last.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    assert pictures_shown(page) == 3  # the drawing's two pages and the KTP photo
    check(page, "gambar_rencana", "tidak_sesuai", "Gambar belum ditandatangani perencana")
    check(page, "ktp", "sesuai")
    check(page, "kk_asli", "sesuai")
    assert page.locator("[data-test=verdict-gambar_rencana]").inner_text() == "Tidak sesuai"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / "berkas-clerk-check.png"), full_page=True)
    page.locator("[data-test=berkas-tidak-lengkap-button]").click()
    page.wait_for_url("**/clerk/requests/*")
    assert page.locator("[data-test=request-status]").inner_text() == "Menunggu kelengkapan"

    signed = tmp_path / "gambar-ditandatangani.pdf"
    signed.write_bytes(pdf(2))
    for phone in page_in_new_context(browser, viewport=PHONE, has_touch=True):
        phone.goto(f"{live_server.url}/status")
        phone.fill("input[name=tracking_code]", code)
        phone.fill("input[name=pin]", pin)
        phone.click("#lookup")
        phone.locator("[data-test=berkas-gambar_rencana]").wait_for()
        assert phone.get_by_text("Alasan petugas: Gambar belum ditandatangani perencana").is_visible()
        assert phone.locator("[data-test=berkas-ktp]").count() == 0
        phone.set_input_files("input[name=berkas_gambar_rencana]", str(signed))
        phone.locator(".berkas-preview .berkas-name").wait_for(state="visible")
        assert "gambar-ditandatangani.pdf" in phone.locator(".berkas-name").inner_text()
        phone.screenshot(path=str(artifacts / "berkas-phone-replace.png"), full_page=True)
        phone.click("#supply")
        phone.locator("#sent-notice").wait_for()

    page.reload()
    page.get_by_role("button", name="Ambil tugas ini").click()
    page.wait_for_url("**/clerk/requests/*")
    page.wait_for_load_state("networkidle")
    assert pictures_shown(page) == 3
    assert page.locator("[data-test=verdict-gambar_rencana]").count() == 0  # checked anew
    check(page, "gambar_rencana", "sesuai")
    page.locator("[data-test=berkas-lengkap-button]").click()
    page.wait_for_url("**/clerk/requests/*")
    page.locator("[data-test=berkas-lengkap]").wait_for()
    page.screenshot(path=str(artifacts / "berkas-clerk-lengkap.png"), full_page=True)
    session.expire_all()
    request = session.get(ServiceRequest, filed["request"].id)
    assert request.file_complete_at is not None and request.due_at is not None
