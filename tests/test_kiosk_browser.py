# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""The kiosk in headless Chromium, by touch: the full flow in both languages, validation,
the idle wipe and Back, the status look-up, touch targets and page weight."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from services.catalog.transfer import import_catalog, read_catalog_file
from services.db import utcnow
from services.demo import DEMO_CATALOG
from services.kiosks.status import record_heartbeat
from services.models import NotificationConsent, OutboxChannel
from tests.browser import (  # noqa: F401
    LANDSCAPE,
    browser,
    landscape_page,
    live_server,
    portrait_page,
)
from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE, make_kiosk

pytestmark = pytest.mark.browser

MAX_PAGE_BYTES = 60 * 1024


@pytest.fixture
def demo_kiosk(app, session):
    import_catalog(session, read_catalog_file(DEMO_CATALOG), DEMO_CATALOG.name)
    session.commit()
    kiosk = make_kiosk(session)
    # Its client online with paper; dated ahead so a slow run does not outlive the heartbeat.
    record_heartbeat(session, kiosk, printer_state="ready", now=utcnow() + timedelta(minutes=30))
    session.commit()
    session.close()


def enrol(page, server):
    page.goto(f"{server.url}/kiosk/enrol")
    page.fill("#token", KIOSK_TOKEN)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/kiosk/")


def tap_keys(page, text):
    """Type on the on-screen keyboard or number pad, one tap per character."""
    for char in text:
        key = char.upper() if char.isalpha() else char
        if char == " ":
            key = "SPACE"
        button = page.locator(f"#osk [data-key='{key}']")
        if char.isalpha() and page.locator("#osk [data-key='SHIFT']").count():
            shown_lower = button.inner_text() == key.lower()
            if shown_lower == char.isupper():
                page.tap("#osk [data-key='SHIFT']")
        page.tap(f"#osk [data-key='{key}']")


def fill_by_touch(page, selector, text):
    page.tap(selector)
    expect(page.locator("#osk")).to_be_visible()
    tap_keys(page, text)
    page.tap("#osk [data-key='DONE']")
    assert page.locator(selector).input_value() == text


def continue_(page):
    page.tap("form.form button[type=submit]")


def small_targets(page):
    """Visible tap targets smaller than 48 CSS px in either direction (measured once the page,
    stylesheet included, has loaded: a loaded machine may answer the DOM before the CSS)."""
    page.wait_for_load_state("load")
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'a, button, input:not([type=radio]):not([type=hidden]), textarea, label.choice'))
      .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden'))
      .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
      .filter(([, r]) => r.width < 48 || r.height < 48)
      .map(([html]) => html)""")


def apply_for_sktm(page, server, artifacts, name, lang):
    """From the attract screen to the confirmation, by touch only; returns (code, pin)."""
    if lang == "en":
        page.tap("a.lang[hreflang=en]")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=str(artifacts / f"kiosk-{name}-home.png"))
    assert small_targets(page) == []
    page.tap("a[href$='/kiosk/category/sosial']")
    page.tap("a[href$='/kiosk/service/SKTM']")
    expect(page.locator(".standard")).to_be_visible()
    page.screenshot(path=str(artifacts / f"kiosk-{name}-service.png"), full_page=True)
    page.tap("#start")

    page.tap("#nik")
    expect(page.locator("#osk.osk-digits")).to_be_visible()
    page.screenshot(path=str(artifacts / f"kiosk-{name}-numpad.png"))
    tap_keys(page, NIK)
    page.tap("#osk [data-key='DONE']")
    page.tap("#name")
    tap_keys(page, "Siti Aminah")
    page.screenshot(path=str(artifacts / f"kiosk-{name}-keyboard.png"))
    page.tap("#osk [data-key='DONE']")
    assert page.locator("#name").input_value() == "Siti Aminah"
    fill_by_touch(page, "#phone", PHONE)
    expect(page.locator("#notify-2")).to_be_checked()  # "tidak usah" unless the citizen asks
    page.tap("label[for='notify-0']")  # WhatsApp
    expect(page.locator("#notify-0")).to_be_checked()
    page.screenshot(path=str(artifacts / f"kiosk-{name}-identity-notify.png"), full_page=True)
    assert small_targets(page) == []
    continue_(page)

    page.tap("label[for='kecamatan-0']")
    fill_by_touch(page, "#kelurahan", "Sukamaju")
    fill_by_touch(page, "#rt_rw", "3/5")
    continue_(page)

    expect(page.locator("#purpose_other-field")).to_be_hidden()
    page.tap("label[for='purpose-3']")  # "lainnya" shows the field that asks what for
    expect(page.locator("#purpose_other-field")).to_be_visible()
    fill_by_touch(page, "#purpose_other", "Beasiswa")
    fill_by_touch(page, "#household_members", "4")
    fill_by_touch(page, "#monthly_income", "1500000")
    page.tap("label[for='in_dtks-1']")
    page.screenshot(path=str(artifacts / f"kiosk-{name}-page2.png"), full_page=True)
    assert small_targets(page) == []
    continue_(page)

    # The documents SKTM asks for: each may be handed in later, so the citizen goes on.
    page.wait_for_url(re.compile(r".*/kiosk/apply/berkas$"))
    page.screenshot(path=str(artifacts / f"kiosk-{name}-documents.png"), full_page=True)
    page.tap("#documents-next")
    page.wait_for_url(re.compile(r".*/kiosk/apply/check$"))
    assert "Sukamaju" in page.inner_text("main") and NIK in page.inner_text("main")
    page.locator("dl.answers .row", has_text="Sukamaju").locator("a").tap()
    page.tap("#kelurahan")
    for _ in "Sukamaju":
        page.tap("#osk [data-key='BACK']")
    tap_keys(page, "Mekarsari")
    page.tap("#osk [data-key='DONE']")
    continue_(page)
    page.wait_for_url(re.compile(r".*/kiosk/apply/check$"))
    assert "Mekarsari" in page.inner_text("main")
    page.screenshot(path=str(artifacts / f"kiosk-{name}-check.png"), full_page=True)
    assert small_targets(page) == []
    page.tap("#submit")

    page.wait_for_url(re.compile(r".*/kiosk/apply/done$"))
    code = page.inner_text("#tracking-code")
    pin = page.inner_text("#pin")
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]", code) and re.fullmatch(r"\d{6}", pin)
    assert small_targets(page) == []
    page.tap("#print")
    # The page the print request returns (its notice), not the tapped page's disabled button.
    expect(page.locator("#printing[data-print-state=printing] #print-note")).to_be_visible()
    expect(page.locator("#print")).to_be_disabled()
    page.screenshot(path=str(artifacts / f"kiosk-{name}-done.png"))
    return code, pin


def look_up(page, code, pin, start="a[href$='/kiosk/status']"):
    """From the attract screen, by touch: the look-up (``start``), the code and the PIN."""
    page.tap(start)
    fill_by_touch(page, "#tracking_code", code)
    page.tap("#pin")
    tap_keys(page, pin)
    page.tap("#osk [data-key='DONE']")
    page.tap("#lookup")


def test_a_citizen_applies_by_touch_in_indonesian_portrait(live_server, portrait_page,
                                                            demo_kiosk, artifacts, session):
    page = portrait_page
    enrol(page, live_server)
    code, pin = apply_for_sktm(page, live_server, artifacts, "portrait-id", "id")
    assert "Permohonan terkirim" in page.inner_text("h1")
    assert session.scalar(select(NotificationConsent)).channel is OutboxChannel.WHATSAPP
    session.commit()
    page.tap("#finish")
    page.tap("#confirm-yes")  # printing, not yet printed: "Selesai" asks first
    look_up(page, code, pin)
    expect(page.locator("#status-text")).to_have_text("Diterima")
    assert "Permohonan diterima." in page.inner_text(".timeline")
    page.screenshot(path=str(artifacts / "kiosk-portrait-id-status.png"))


def test_a_citizen_applies_by_touch_in_english_landscape(live_server, landscape_page,
                                                          demo_kiosk, artifacts):
    page = landscape_page
    enrol(page, live_server)
    code, pin = apply_for_sktm(page, live_server, artifacts, "landscape-en", "en")
    expect(page.locator("h1")).to_have_text("Request sent")
    assert page.locator("html").get_attribute("lang") == "en"
    page.tap("#finish")
    page.tap("#confirm-yes")  # printing, not yet printed: "Selesai" asks first
    page.wait_for_url(f"{live_server.url}/kiosk/")
    assert page.locator("html").get_attribute("lang") == "id"  # the next citizen starts afresh
    look_up(page, code, "000000" if pin != "000000" else "111111")
    expect(page.locator(".notice-error")).to_contain_text("tidak cocok")
    page.screenshot(path=str(artifacts / "kiosk-landscape-status-wrong.png"))


def test_errors_show_beside_the_fields(live_server, portrait_page, demo_kiosk,
                                       artifacts):
    page = portrait_page
    enrol(page, live_server)
    page.goto(f"{live_server.url}/kiosk/service/SKTM?lang=en")
    page.tap("#start")
    page.tap("#nik")
    tap_keys(page, "3578014506900000")
    page.tap("#osk [data-key='DONE']")
    fill_by_touch(page, "#phone", "0211234")
    continue_(page)
    expect(page.locator("#nik-error")).to_be_visible()
    assert page.inner_text("#nik-error").endswith("This NIK is not recognised. Check the 16 "
                                                  "digits on your KTP-el or family card (KK) "
                                                  "again.")
    assert "This is required." in page.inner_text("#name-error")
    assert "must start with 08" in page.inner_text("#phone-error")
    assert page.get_attribute("#nik", "aria-describedby") == "nik-error nik-count"
    page.screenshot(path=str(artifacts / "kiosk-portrait-errors.png"), full_page=True)


def test_the_idle_wipe_returns_to_the_start_and_back_shows_nothing(app, live_server,
                                                                   portrait_page, demo_kiosk,
                                                                   artifacts):
    page = portrait_page
    enrol(page, live_server)
    page.tap("a.lang[hreflang=en]")
    page.tap("#large-text")
    expect(page.locator("html")).to_have_class("large")
    expect(page.locator("#large-text")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(artifacts / "kiosk-portrait-large-text.png"))
    page.tap("a[href$='/kiosk/category/sosial']")
    page.tap("a[href$='/kiosk/service/SKTM']")
    page.tap("#start")
    page.tap("#nik")
    tap_keys(page, NIK)
    page.tap("#osk [data-key='DONE']")
    fill_by_touch(page, "#name", "Siti Aminah")
    fill_by_touch(page, "#phone", PHONE)
    continue_(page)
    page.wait_for_url(re.compile(r".*/kiosk/apply/page/1$"))
    # Short timers only once the typing is done (typing by touch on a loaded machine may take
    # longer than they last); the reload hands them to the page's own idle timer.
    app.config.update(IDLE_TIMEOUT_SECONDS=4, IDLE_WARNING_SECONDS=2)
    page.reload()
    page.locator("#idle").wait_for(state="visible", timeout=5000)
    page.screenshot(path=str(artifacts / "kiosk-portrait-still-there.png"))
    page.wait_for_url(f"{live_server.url}/kiosk/", timeout=6000)
    assert page.locator("html").get_attribute("lang") == "id"
    expect(page.locator("html")).not_to_have_class("large")  # the next citizen starts afresh
    for _ in range(3):
        page.go_back()
        page.wait_for_load_state()
        text = page.content()
        assert NIK not in text and "Siti Aminah" not in text and PHONE not in text
    page.screenshot(path=str(artifacts / "kiosk-portrait-after-wipe-back.png"))


def test_an_out_of_service_kiosk_says_so_in_both_languages(live_server, portrait_page,
                                                           landscape_page, demo_kiosk, session,
                                                           artifacts):
    from services.kiosks.devices import set_in_service

    for page in (portrait_page, landscape_page):
        enrol(page, live_server)
    set_in_service(session, "KIOSK-TEST-01", False, "Pemeliharaan printer / printer maintenance",
                   actor=None)
    session.commit()
    session.close()
    for name, page in (("portrait", portrait_page), ("landscape", landscape_page)):
        page.goto(f"{live_server.url}/kiosk/")
        expect(page.locator("section[lang=id] h1")).to_contain_text("tidak melayani")
        expect(page.locator("section[lang=en] h1")).to_contain_text("out of service")
        page.screenshot(path=str(artifacts / f"kiosk-{name}-out-of-service.png"))


def test_a_kiosk_page_is_light_and_loads_nothing_from_another_host(browser, live_server,
                                                                   landscape_page, demo_kiosk):
    enrol(landscape_page, live_server)
    enrolled = landscape_page.context.storage_state()
    for path in ("/kiosk/", "/kiosk/service/PBG", "/kiosk/category/kependudukan",
                 "/kiosk/status"):
        # A fresh context per page: an empty HTTP cache, so everything comes over the wire.
        context = browser.new_context(viewport=LANDSCAPE, has_touch=True,
                                      storage_state=enrolled)
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request, finished=finished: finished.append(request))
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        assert all(r.url.startswith(live_server.url) for r in finished), path
        sizes = [r.sizes() for r in finished]
        total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
        kinds = {r.resource_type for r in finished}
        context.close()
        assert kinds == {"document", "stylesheet", "script"}, path
        assert all(s["responseBodySize"] > 0 for s in sizes), path
        print(f"{path}: {len(sizes)} requests, {total} bytes transferred")
        assert total <= MAX_PAGE_BYTES, (path, total)


def test_a_citizen_answers_a_return_for_information_by_touch(live_server, portrait_page, app,
                                                             session, artifacts):
    from tests.builders.workflow import returned_for_information

    make_kiosk(session)
    request, pin = returned_for_information(session, note="Sebutkan luas lantai dua.")
    page = portrait_page
    enrol(page, live_server)
    look_up(page, f"{request.tracking_code[:4]}-{request.tracking_code[4:8]}-"
                  f"{request.tracking_code[8:]}", pin)
    expect(page.locator("#needs-info")).to_be_visible()
    fill_by_touch(page, "#note", "Lantai 2 120 m2")
    page.screenshot(path=str(artifacts / "kiosk-portrait-needs-info.png"), full_page=True)
    page.tap("#supply")
    expect(page.locator("p.notice[role=status]")).to_be_visible()
    expect(page.locator("#needs-info")).to_have_count(0)
    expect(page.locator(".timeline")).to_contain_text("Lantai 2 120 m2")
    page.screenshot(path=str(artifacts / "kiosk-portrait-information-sent.png"), full_page=True)
