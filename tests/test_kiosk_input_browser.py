# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""Typing at the kiosk by touch, in Chromium at 1080x1920: one tap on "Lanjut", nothing typed
changed, searches in people's words, dates in three boxes, the NIK as on the card, the number
pad for digits-only fields, a language switch that keeps the answers, and "Dengarkan"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from services.models import Role
from tests.browser import browser, live_server, portrait_page  # noqa: F401
from tests.builders import make_user
from tests.kiosk_builders import NIK, PHONE
from tests.test_kiosk_browser import demo_kiosk, enrol  # noqa: F401
from tests.test_kiosk_guidance import needs_espeak
from tests.test_standards_browser import axe_source, serious_findings

pytestmark = pytest.mark.browser

MAX_PAGE_BYTES = 60 * 1024


def type_as_shown(page, text):
    """Tap each character's key as the keyboard shows it, never SHIFT: what the field's
    default case offers must be what the citizen wants."""
    for char in text:
        key = "SPACE" if char == " " else char.upper() if char.isalpha() else char
        button = page.locator(f"#osk [data-key='{key}']")
        if char.isalpha():
            assert button.inner_text() == char, f"the keyboard shows {button.inner_text()!r}"
        button.tap()


def tap_digits(page, digits):
    for digit in digits:
        page.tap(f"#osk [data-key='{digit}']")


def begin_identity_by_touch(page, server, nik=NIK):
    """Open SKTM and type the NIK and the name on the keyboard, leaving it open."""
    page.goto(f"{server.url}/kiosk/service/SKTM")
    page.tap("#start")
    page.tap("#nik")
    tap_digits(page, nik)
    page.tap("#name")
    type_as_shown(page, "SITI RAHAYU")


def start(page, server, code, lang="id"):
    """Open a service and pass the identity page (typed elsewhere) to its first question."""
    page.goto(f"{server.url}/kiosk/service/{code}?lang={lang}")
    page.tap("#start")
    page.fill("#nik", NIK)
    page.fill("#name", "SITI RAHAYU")
    page.fill("#phone", PHONE)
    page.tap("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kiosk/apply/page/1$"))


def test_one_tap_on_the_pages_lanjut_submits_with_the_keyboard_open(live_server, portrait_page,
                                                                     demo_kiosk, artifacts):
    page = portrait_page
    enrol(page, live_server)
    begin_identity_by_touch(page, live_server)
    page.tap("#phone")
    tap_digits(page, PHONE)
    expect(page.locator("#osk")).to_be_visible()  # the keyboard is still open
    page.screenshot(path=str(artifacts / "kiosk-input-keyboard-open.png"))
    page.locator("form.form button[type=submit]").tap()
    page.wait_for_url(re.compile(r".*/kiosk/apply/page/1$"), timeout=5000)

    # The keyboard's own "Lanjut" key sends the page too.
    page.tap("label[for='kecamatan-0']")
    page.tap("#kelurahan")
    type_as_shown(page, "SUKAMAJU")
    page.tap("#rt_rw")
    type_as_shown(page, "3/5")
    next_key = page.locator("#osk [data-key='NEXT']")
    expect(next_key).to_contain_text("Lanjut")
    page.screenshot(path=str(artifacts / "kiosk-input-keyboard-next-key.png"))
    next_key.tap()
    page.wait_for_url(re.compile(r".*/kiosk/apply/page/2$"), timeout=5000)


def test_a_field_tapped_before_the_screen_finished_loading_still_opens_the_keyboard(
        live_server, portrait_page, demo_kiosk):
    page = portrait_page
    enrol(page, live_server)
    held = []
    page.route("**/kiosk/kiosk.js*", lambda route: held.append(route))  # the script arrives only when released
    page.goto(f"{live_server.url}/kiosk/status", wait_until="commit")
    page.locator("#tracking_code").tap()  # not page.tap: that one waits for the load
    expect(page.locator("#tracking_code")).to_be_focused()
    expect(page.locator("#osk")).to_be_hidden()
    held[0].continue_()
    expect(page.locator("#osk")).to_be_visible()
    page.locator("#osk [data-key='A']").tap()
    expect(page.locator("#tracking_code")).to_have_value("A")


def test_what_is_typed_is_kept_exactly(live_server, portrait_page, demo_kiosk, artifacts, session):
    page = portrait_page
    enrol(page, live_server)
    start(page, live_server, "PBG")
    page.goto(f"{live_server.url}/kiosk/apply/page/3")
    page.tap("label[for='has_previous_permit-0']")
    page.tap("#previous_permit_number")
    expect(page.locator("#osk [data-key='SHIFT']")).to_have_attribute("aria-pressed", "true")
    type_as_shown(page, "IMB/123/2010")
    assert page.input_value("#previous_permit_number") == "IMB/123/2010"
    page.screenshot(path=str(artifacts / "kiosk-input-reference-capitals.png"))

    page.goto(f"{live_server.url}/kiosk/apply/identity")
    page.fill("#name", "")
    page.tap("#name")
    type_as_shown(page, "SITI RAHAYU")
    assert page.input_value("#name") == "SITI RAHAYU"

    make_user(session, "officer.mpp", role=Role.OFFICER, agency=None,
              password="sandi.petugas.2026")
    session.close()
    page.goto(f"{live_server.url}/kiosk/officer")
    page.tap("#username")
    expect(page.locator("#osk [data-key='SHIFT']")).to_have_attribute("aria-pressed", "false")
    type_as_shown(page, "officer.mpp")
    page.tap("#password")
    type_as_shown(page, "sandi.petugas.2026")
    page.screenshot(path=str(artifacts / "kiosk-input-officer-lower-case.png"))
    assert page.input_value("#username") == "officer.mpp"
    page.tap("form.form button[type=submit]")
    expect(page.locator(".officer")).to_contain_text("Officer.Mpp")


@pytest.mark.parametrize(("words", "service"), [
    ("IMB", "PBG"), ("RUMAH", "PBG"), ("MISKIN", "SKTM"), ("KTP HILANG", "KTP-EL-GANTI"),
    ("E-KTP", "KTP-EL-GANTI")])
def test_search_finds_services_by_the_words_people_use(live_server, portrait_page, demo_kiosk,
                                                       artifacts, words, service):
    page = portrait_page
    enrol(page, live_server)
    page.tap("#q")
    type_as_shown(page, words)
    page.tap("#osk [data-key='NEXT']")
    page.wait_for_url(re.compile(r".*/kiosk/\?q="))
    first = page.locator("ul.tiles.services a.tile").first
    assert first.get_attribute("href").endswith(f"/kiosk/service/{service}")
    if words == "IMB":
        page.screenshot(path=str(artifacts / "kiosk-input-search-imb.png"))


def test_a_date_is_typed_in_three_boxes_on_the_number_pad(live_server, portrait_page,
                                                          demo_kiosk, artifacts):
    page = portrait_page
    enrol(page, live_server)
    start(page, live_server, "AKTA-KELAHIRAN")
    page.tap("#birth_date-day")
    expect(page.locator("#osk.osk-digits")).to_be_visible()
    tap_digits(page, "17")
    page.tap("#birth_date-month")
    tap_digits(page, "13")
    page.tap("#birth_date-year")
    tap_digits(page, "2020")
    page.screenshot(path=str(artifacts / "kiosk-input-date-boxes.png"))
    page.tap("#osk [data-key='NEXT']")
    expect(page.locator("#birth_date-error")).to_have_text("Bulan harus antara 1 dan 12.")
    expect(page.locator("#birth_date-month")).to_have_value("13")  # kept to be corrected
    page.screenshot(path=str(artifacts / "kiosk-input-date-error.png"), full_page=True)

    page.tap("#birth_date-month")
    page.tap("#osk [data-key='BACK']")
    page.tap("#osk [data-key='BACK']")
    tap_digits(page, "8")
    page.tap("#birth_date-year")
    for _ in range(4):
        page.tap("#osk [data-key='BACK']")
    tap_digits(page, "2099")
    page.tap("#osk [data-key='NEXT']")
    expect(page.locator("#birth_date-error")).to_have_text(
        "Tanggal harus di masa lalu, tidak setelah hari ini.")
    page.tap("a[hreflang=en]")  # the boxes keep what was typed
    expect(page.locator("#birth_date-year")).to_have_value("2099")
    page.tap("#birth_date-year")
    page.tap("#osk [data-key='NEXT']")
    expect(page.locator("#birth_date-error")).to_have_text(
        "The date must be in the past, not after today.")


def test_the_nik_reads_4_4_4_4_with_a_count_and_a_plain_error(live_server, portrait_page,
                                                              demo_kiosk, artifacts):
    page = portrait_page
    enrol(page, live_server)
    page.goto(f"{live_server.url}/kiosk/service/SKTM")
    page.tap("#start")
    page.tap("#nik")
    tap_digits(page, NIK[:12])
    expect(page.locator("#nik")).to_have_value(f"{NIK[:4]} {NIK[4:8]} {NIK[8:12]}")
    expect(page.locator("#nik-count")).to_have_text("12 dari 16 angka")
    page.screenshot(path=str(artifacts / "kiosk-input-nik-count.png"))
    tap_digits(page, "0000")
    tap_digits(page, "9")  # a 17th digit is not taken
    expect(page.locator("#nik-count")).to_have_text("16 dari 16 angka")
    page.tap("#osk [data-key='NEXT']")
    expect(page.locator("#nik-error")).to_have_text(
        "NIK tidak dikenal. Periksa lagi 16 angka di KTP-el atau KK Anda.")
    expect(page.locator("#nik")).to_have_value(f"{NIK[:4]} {NIK[4:8]} {NIK[8:12]} 0000")
    page.screenshot(path=str(artifacts / "kiosk-input-nik-error.png"), full_page=True)


@pytest.mark.parametrize(("code", "field", "typed", "message"), [
    ("KK-PERUBAHAN", "kk_number", "12345", "Isi 16 angka."),
    ("PB-UMK", "kbli_code", "123", "Isi 5 angka."),
])
def test_digits_only_fields_get_the_number_pad_and_say_how_many(live_server, portrait_page,
                                                                demo_kiosk, artifacts, code,
                                                                field, typed, message):
    page = portrait_page
    enrol(page, live_server)
    start(page, live_server, code)
    page.tap(f"#{field}")
    expect(page.locator("#osk.osk-digits")).to_be_visible()
    tap_digits(page, typed)
    page.screenshot(path=str(artifacts / f"kiosk-input-numpad-{field}.png"))
    page.tap("#osk [data-key='NEXT']")
    expect(page.locator(f"#{field}-error")).to_have_text(message)


def test_switching_language_keeps_what_was_typed(live_server, portrait_page, demo_kiosk,
                                                 artifacts):
    page = portrait_page
    enrol(page, live_server)
    begin_identity_by_touch(page, live_server)
    page.tap("label[for='notify-1']")
    page.tap("a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#name")).to_have_value("SITI RAHAYU")
    expect(page.locator("#nik")).to_have_value(f"{NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}")
    expect(page.locator("#nik-count")).to_have_text("16 of 16 digits")
    expect(page.locator("#notify-1")).to_be_checked()
    page.screenshot(path=str(artifacts / "kiosk-input-language-kept.png"))
    page.reload()  # carried once only: a later load shows the draft as saved
    expect(page.locator("#name")).to_have_value("")


@needs_espeak
def test_dengarkan_plays_the_page_in_the_chosen_language(live_server, portrait_page,
                                                         demo_kiosk, artifacts):
    page = portrait_page
    enrol(page, live_server)
    page.goto(f"{live_server.url}/kiosk/service/SKTM?lang=en")
    page.tap("#start")
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "/listen" in url]  # nothing until it is tapped
    expect(page.locator("#listen")).to_contain_text("Listen")
    page.tap("#listen")
    page.wait_for_function("() => document.getElementById('listen-audio').duration > 1",
                           timeout=15000)
    source = page.eval_on_selector("#listen-audio", "audio => audio.currentSrc")
    assert source.endswith("/kiosk/apply/identity/listen")
    audio = page.request.get(source)
    body = audio.body()
    assert audio.status == 200 and audio.headers["content-type"] == "audio/wav"
    assert len(body) > 1000 and body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    expect(page.locator("#listen-notice")).to_be_hidden()
    page.screenshot(path=str(artifacts / "kiosk-input-listen.png"))


def test_dengarkan_says_so_when_the_sound_cannot_be_made(app, live_server, portrait_page,
                                                         demo_kiosk, artifacts):
    page = portrait_page
    enrol(page, live_server)
    page.goto(f"{live_server.url}/kiosk/service/SKTM")
    page.tap("#start")
    expect(page.locator("#listen")).to_be_enabled()
    app.config["SPEECH_ENGINE"] = "no-such-speech-engine"  # gone after the page was shown
    app.extensions.pop("kiosk_speech", None)
    page.tap("#listen")
    expect(page.locator("#listen-notice")).to_have_text(
        "Suara panduan tidak dapat diputar. Minta bantuan petugas.")
    page.screenshot(path=str(artifacts / "kiosk-input-listen-unavailable.png"))
    page.reload()
    expect(page.locator("#listen-off")).to_be_disabled()
    expect(page.locator("#listen-off-notice")).to_contain_text("tidak tersedia di kiosk ini")


def test_the_changed_screens_pass_axe_and_stay_light(browser, live_server, portrait_page,
                                                     demo_kiosk, artifacts):
    source = axe_source()
    page = portrait_page
    enrol(page, live_server)
    start(page, live_server, "AKTA-KELAHIRAN")
    enrolled = page.context.storage_state()
    for path in ("/kiosk/apply/identity", "/kiosk/apply/page/1", "/kiosk/apply/page/2"):
        context = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True,
                                      storage_state=enrolled, bypass_csp=True)
        fresh = context.new_page()
        finished = []
        fresh.on("requestfinished", lambda request, finished=finished: finished.append(request))
        fresh.goto(f"{live_server.url}{path}", wait_until="networkidle")
        sizes = [r.sizes() for r in finished]
        total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
        print(f"{path}: {len(sizes)} requests, {total} bytes transferred")
        assert total <= MAX_PAGE_BYTES, (path, total)
        fresh.tap("input.input")
        assert serious_findings(fresh, source) == [], path
        context.close()
