# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""The kiosk's screens in headless Chromium at 1080x1920, by touch (issue 13): the receipt says
"printing" only when it prints and what to do next, "Selesai" and "Batal" ask first, "Kembali"
after "Ubah", page titles, text size and language reset, the clerk's question above the answer,
and calling the officer. Screenshots go to test-artifacts/; axe finds nothing serious."""

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
from services.models import Kiosk, OfficerCall, Role
from tests.browser import (  # noqa: F401
    PORTRAIT,
    browser,
    desk_page,
    live_server,
    page_in_new_context,
)
from tests.builders import PASSWORD, make_user
from tests.kiosk_builders import NIK, PHONE, make_kiosk
from tests.test_kiosk_browser import enrol
from tests.test_standards_browser import axe_source, serious_findings

pytestmark = pytest.mark.browser

MAX_PAGE_BYTES = 60 * 1024


@pytest.fixture
def portrait_page(browser):
    """A kiosk screen standing upright; axe is injected by the tests, so CSP is bypassed."""
    yield from page_in_new_context(browser, viewport=PORTRAIT, has_touch=True, bypass_csp=True)


@pytest.fixture
def demo_kiosk(app, session):
    import_catalog(session, read_catalog_file(DEMO_CATALOG), DEMO_CATALOG.name)
    session.commit()
    kiosk = make_kiosk(session)
    session.close()
    return kiosk


def heartbeat(session, printer_state="ready"):
    """The kiosk client reports in; dated ahead so a slow run keeps it online."""
    kiosk = session.scalar(select(Kiosk))
    record_heartbeat(session, kiosk, printer_state=printer_state,
                     now=utcnow() + timedelta(minutes=30))
    session.commit()
    session.close()



def next_page(page):
    """Close the on-screen keyboard if open (issue 13 item 1 is another branch's), then Lanjut."""
    if page.locator("#osk").is_visible():
        page.tap("#osk [data-key='DONE']")
    page.tap("form.form button[type=submit]")


def past_documents(page):
    """The documents step the demo services ask for: each may be handed in later, so on."""
    page.wait_for_url(re.compile(r".*/apply/berkas$"))
    page.tap("#documents-next")
    page.wait_for_url(re.compile(r".*/apply/check$"))


def identity(page, server, service="KRK"):
    page.goto(f"{server.url}/kiosk/service/{service}")
    page.tap("#start")
    page.fill("#nik", NIK)
    page.fill("#name", "SITI RAHAYU")
    page.fill("#phone", PHONE)
    next_page(page)


def file_krk(page, server):
    """A one-page service filed by touch; ends on the receipt screen."""
    identity(page, server)
    page.wait_for_url(re.compile(r".*/apply/page/1$"))
    page.fill("#land_address", "Jl. Melati 5")
    page.fill("#land_certificate_number", "SHM 123")
    page.fill("#land_area_m2", "120")
    page.tap("label[for='planned_use-0']")
    next_page(page)
    past_documents(page)
    page.tap("#submit")
    page.wait_for_url(re.compile(r".*/apply/done$"))


def shot(page, artifacts, name, full=False):
    page.screenshot(path=str(artifacts / f"screens-{name}.png"), full_page=full)


def no_serious_findings(page):
    assert serious_findings(page, axe_source()) == []


def test_the_receipt_says_printing_only_when_it_prints_and_what_to_do_next(
        live_server, portrait_page, demo_kiosk, session, artifacts):
    page = portrait_page
    heartbeat(session, "out_of_paper")
    enrol(page, live_server)
    file_krk(page, live_server)
    printing = page.locator("#printing")
    expect(printing).to_have_attribute("data-print-state", "unavailable")
    expect(page.locator("#print-note")).to_contain_text("kertas printer habis")
    assert "sedang dicetak" not in page.inner_text("main")
    expect(page.locator("#print")).to_be_disabled()
    # What next: the documents to bring, where to take them, and the status QR code.
    expect(page.locator(".documents li").first).to_be_visible()
    expect(page.locator(".where")).to_contain_text("Dinas")
    qr = page.locator(".status-qr svg.qr")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 200
    shot(page, artifacts, "receipt-out-of-paper", full=True)
    # Paper back: the screen notices by itself and offers to print.
    heartbeat(session, "ready")
    expect(printing).to_have_attribute("data-print-state", "ready", timeout=10000)
    expect(page.locator("#print")).to_be_enabled()
    page.tap("#print")
    expect(page.locator("#printing")).to_have_attribute("data-print-state", "printing")
    expect(page.locator("#print-note")).to_contain_text("sedang dicetak")
    shot(page, artifacts, "receipt-printing")
    no_serious_findings(page)


def test_selesai_asks_before_leaving_a_receipt_neither_printed_nor_photographed(
        live_server, portrait_page, demo_kiosk, session, artifacts):
    page = portrait_page
    heartbeat(session, "offline")
    enrol(page, live_server)
    file_krk(page, live_server)
    page.tap("#finish")
    expect(page.locator("#confirm")).to_be_visible()
    expect(page.locator("#confirm-text")).to_contain_text("belum dicetak atau difoto")
    shot(page, artifacts, "receipt-finish-asks")
    page.tap("#confirm-no")
    expect(page.locator("#confirm")).to_be_hidden()
    assert page.url.endswith("/apply/done")
    page.tap("#photographed")
    expect(page.locator("#photographed")).to_have_attribute("aria-pressed", "true")
    page.tap("#finish")  # kept by a photo: no question
    page.wait_for_url(f"{live_server.url}/kiosk/")


def test_cancel_asks_first_sits_away_from_back_and_shows_only_with_a_draft(
        live_server, portrait_page, demo_kiosk, artifacts):
    page = portrait_page
    enrol(page, live_server)
    expect(page.locator("#cancel")).to_have_count(0)  # nothing to wipe on the attract screen
    page.goto(f"{live_server.url}/kiosk/status")
    expect(page.locator("#cancel")).to_have_count(0)
    identity(page, live_server)
    page.wait_for_url(re.compile(r".*/apply/page/1$"))
    cancel, back = page.locator("#cancel").bounding_box(), page.locator("a.back").bounding_box()
    assert abs(cancel["y"] - back["y"]) > 300  # not right under (or over) Kembali
    page.tap("#cancel")
    expect(page.locator("#confirm")).to_be_visible()
    shot(page, artifacts, "cancel-asks")
    no_serious_findings(page)
    page.tap("#confirm-no")
    assert page.url.endswith("/apply/page/1")
    page.fill("#land_address", "Jl. Melati 5")
    page.tap("#cancel")
    page.tap("#confirm-yes")
    page.wait_for_url(f"{live_server.url}/kiosk/")
    page.goto(f"{live_server.url}/kiosk/apply/page/1")
    page.wait_for_url(f"{live_server.url}/kiosk/")


def test_back_on_a_page_opened_from_change_returns_to_the_check_page(
        live_server, portrait_page, demo_kiosk):
    page = portrait_page
    enrol(page, live_server)
    identity(page, live_server, "PBG")
    page.tap("label[for='building_function-0']")
    page.fill("#building_address", "Jl. Kenanga 7")
    page.fill("#land_certificate_number", "SHM 9")
    next_page(page)
    page.fill("#floor_area_m2", "90")
    page.fill("#floors", "1")
    next_page(page)
    page.tap("label[for='has_previous_permit-1']")
    next_page(page)
    past_documents(page)
    page.locator("dl.answers .row", has_text="Luas total lantai").locator("a").tap()
    page.wait_for_url(re.compile(r".*/apply/page/2\?back=check$"))
    page.tap("a.back")
    page.wait_for_url(re.compile(r".*/apply/check$"))
    page.locator("dl.answers .row", has_text="NIK").locator("a").tap()
    page.tap("a.back")
    page.wait_for_url(re.compile(r".*/apply/check$"))


def test_each_field_page_has_its_title_and_marks_optional_fields(
        live_server, portrait_page, demo_kiosk, artifacts):
    page = portrait_page
    enrol(page, live_server)
    identity(page, live_server, "PBG")
    expect(page.locator("h1")).to_have_text("Data bangunan")
    assert page.title().startswith("Data bangunan")
    page.tap("label[for='building_function-0']")
    page.fill("#building_address", "Jl. Kenanga 7")
    page.fill("#land_certificate_number", "SHM 9")
    next_page(page)
    expect(page.locator("h1")).to_have_text("Luas dan perencana")
    expect(page.locator("label[for=designer_name] .optional")).to_have_text("(tidak wajib)")
    expect(page.locator("label[for=floors] .optional")).to_have_count(0)
    shot(page, artifacts, "page-title-optional", full=True)
    no_serious_findings(page)


def test_large_text_and_language_reset_for_the_next_citizen_and_sit_at_the_bottom(
        app, live_server, portrait_page, demo_kiosk, session, artifacts):
    page = portrait_page
    heartbeat(session)
    enrol(page, live_server)
    # Within reach: the controls sit in the bottom band of the 1920 px screen.
    for control in ("#large-text", ".dock a[hreflang=en]", "#call-officer"):
        assert page.locator(control).bounding_box()["y"] > PORTRAIT["height"] - 200, control
    page.tap(".dock a[hreflang=en]")
    page.tap("#large-text")
    expect(page.locator("html")).to_have_class("large")
    file_krk(page, live_server)
    page.tap("#print")
    expect(page.locator("#printing")).to_have_attribute("data-print-state", "printing")
    page.tap("#finish")
    page.tap("#confirm-yes")
    page.wait_for_url(f"{live_server.url}/kiosk/")
    assert page.locator("html").get_attribute("lang") == "id"
    expect(page.locator("html")).not_to_have_class("large")
    # On the attract screen too: large text and English left there are wiped after idle.
    page.tap("#large-text")
    page.tap(".dock a[hreflang=en]")
    expect(page.locator("html")).to_have_class("large")
    app.config.update(IDLE_TIMEOUT_SECONDS=3, IDLE_WARNING_SECONDS=1)
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "id", timeout=8000)
    expect(page.locator("html")).not_to_have_class("large")
    shot(page, artifacts, "attract-after-idle")


def test_the_assisted_header_stays_within_two_rows_at_1080(
        live_server, portrait_page, demo_kiosk, app_session, artifacts):
    make_user(app_session, "officer.mpp", Role.OFFICER, password=PASSWORD)
    page = portrait_page
    enrol(page, live_server)
    page.goto(f"{live_server.url}/kiosk/officer")
    page.fill("#username", "officer.mpp")
    page.fill("#password", PASSWORD)
    next_page(page)
    page.wait_for_url(f"{live_server.url}/kiosk/")
    identity(page, live_server)
    page.wait_for_url(re.compile(r".*/apply/page/1$"))
    expect(page.locator(".officer")).to_be_visible()
    height = page.locator("header.bar").bounding_box()["height"]
    assert height < 2 * 96 + 20, height  # two rows at most (each at least 96 px)
    shot(page, artifacts, "assisted-header")


def test_a_citizen_calls_an_officer_who_answers_from_the_officer_screen(
        browser, live_server, portrait_page, desk_page, demo_kiosk, app_session, artifacts):
    make_user(app_session, "officer.mpp", Role.OFFICER, password=PASSWORD)
    make_user(app_session, "admin", Role.ADMIN, password=PASSWORD)
    citizen = portrait_page
    enrol(citizen, live_server)
    identity(citizen, live_server)
    citizen.wait_for_url(re.compile(r".*/apply/page/1$"))
    citizen.fill("#land_address", "Jl. Melati 5")
    citizen.tap("#osk [data-key='DONE']")  # the dock gives way to the keyboard while typing
    citizen.tap("#call-officer")
    expect(citizen.locator("#call-status")).to_have_text(
        "Petugas sudah dipanggil. Mohon tunggu sebentar.")
    assert citizen.input_value("#land_address") == "Jl. Melati 5"  # nothing typed is lost
    shot(citizen, artifacts, "call-waiting")

    # The officer's screen at another kiosk PC, and the admin kiosks page, see it at once.
    context = browser.new_context(viewport=PORTRAIT, has_touch=True, bypass_csp=True)
    officer = context.new_page()
    enrol(officer, live_server)
    officer.goto(f"{live_server.url}/kiosk/officer")
    officer.fill("#username", "officer.mpp")
    officer.fill("#password", PASSWORD)
    next_page(officer)
    officer.wait_for_url(f"{live_server.url}/kiosk/")
    officer.goto(f"{live_server.url}/kiosk/officer")
    call = officer.locator(".officer-call")
    expect(call).to_contain_text("Kiosk KIOSK-TEST-01")
    expect(call.locator(".call-waited")).to_contain_text("detik")
    shot(officer, artifacts, "officer-calls")
    no_serious_findings(officer)

    desk_page.goto(f"{live_server.url}/auth/login?next=/admin/kiosks")
    desk_page.fill("#username", "admin")
    desk_page.fill("#password", PASSWORD)
    desk_page.get_by_role("button", name="Masuk").click()
    desk_page.wait_for_url("**/admin/kiosks")
    expect(desk_page.locator(".officer-call")).to_contain_text("Kiosk KIOSK-TEST-01")
    desk_page.screenshot(path=str(artifacts / "screens-admin-calls.png"))

    officer.locator(".officer-call button").tap()
    expect(officer.locator(".no-calls")).to_be_visible()
    # The citizen's kiosk hears within a few seconds, without a reload.
    expect(citizen.locator("#call-status")).to_have_text("Petugas segera datang.", timeout=8000)
    expect(desk_page.locator(".no-calls")).to_be_visible(timeout=8000)
    shot(citizen, artifacts, "call-coming")
    context.close()
    app_session.expire_all()
    answered = app_session.scalar(select(OfficerCall))
    assert answered.acknowledged_by.username == "officer.mpp"


def test_the_keyboard_carries_the_call_button_and_keeps_what_was_typed(
        live_server, portrait_page, demo_kiosk, app_session, artifacts):
    citizen = portrait_page
    enrol(citizen, live_server)
    identity(citizen, live_server)
    citizen.wait_for_url(re.compile(r".*/apply/page/1$"))
    citizen.tap("#land_address")
    for key in "JL":
        citizen.tap(f"#osk [data-key='{key}']")
    expect(citizen.locator(".dock")).to_be_hidden()  # the keyboard covers the bottom bar
    call_key = citizen.locator("#osk [data-key='CALL']")
    expect(call_key).to_contain_text("Panggil petugas")
    shot(citizen, artifacts, "call-from-keyboard")
    call_key.tap()
    expect(citizen.locator("#call-status")).to_have_text(
        "Petugas sudah dipanggil. Mohon tunggu sebentar.")
    expect(citizen.locator("#osk")).to_be_hidden()
    assert citizen.input_value("#land_address") == "JL"
    assert app_session.scalar(select(OfficerCall.kiosk_id)) is not None
    citizen.tap("#land_address")  # the keyboard opens again where the citizen left off
    expect(citizen.locator("#osk")).to_be_visible()


def test_the_officers_desk_shows_a_new_call_without_a_reload_and_answers_it(
        browser, live_server, portrait_page, demo_kiosk, app_session, artifacts):
    make_user(app_session, "officer.mpp", Role.OFFICER, password=PASSWORD)
    desk = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    desk_page = desk.new_page()  # (bypass_csp: for axe, injected as a script)
    desk_page.goto(f"{live_server.url}/auth/login")
    desk_page.fill("#username", "officer.mpp")
    desk_page.fill("#password", PASSWORD)
    desk_page.get_by_role("button", name="Masuk").click()
    desk_page.wait_for_url("**/petugas/")
    expect(desk_page.locator(".no-calls")).to_be_visible()

    citizen = portrait_page
    enrol(citizen, live_server)
    citizen.tap("#call-officer")
    expect(citizen.locator("#call-status")).to_have_text(
        "Petugas sudah dipanggil. Mohon tunggu sebentar.")
    # The desk re-reads its list every few seconds: the call appears with no reload.
    call = desk_page.locator(".officer-call")
    expect(call).to_contain_text("Kiosk KIOSK-TEST-01", timeout=8000)
    desk_page.screenshot(path=str(artifacts / "screens-officer-desk.png"))
    no_serious_findings(desk_page)
    call.get_by_role("button", name="Saya datang").click()
    desk_page.wait_for_url("**/petugas/")
    expect(desk_page.locator(".no-calls")).to_be_visible()
    expect(citizen.locator("#call-status")).to_have_text("Petugas segera datang.", timeout=8000)
    desk.close()


def test_the_clerks_question_stands_above_the_answer_and_a_refresh_shows_it_sent(
        live_server, portrait_page, app, session, artifacts):
    from tests.builders.workflow import returned_for_information

    make_kiosk(session)
    request, pin = returned_for_information(session, note="Sebutkan luas lantai dua.",
                                            fields=["floor_area"])
    code = request.tracking_code
    page = portrait_page
    enrol(page, live_server)
    page.goto(f"{live_server.url}/kiosk/status")
    page.fill("#tracking_code", code)
    page.fill("#pin", pin)
    page.tap("#lookup")
    question = page.locator(".clerk-question")
    expect(question).to_contain_text("Sebutkan luas lantai dua.")
    expect(question.locator(".question-fields")).to_contain_text("Floor Area")
    # Directly above the answer box: nothing but the hint between them.
    gap = page.locator("#note").bounding_box()["y"] - (question.bounding_box()["y"]
                                                       + question.bounding_box()["height"])
    assert 0 < gap < 250, gap
    shot(page, artifacts, "clerk-question", full=True)
    no_serious_findings(page)
    page.fill("#note", "Lantai 2 120 m2")
    page.tap("#supply")
    page.wait_for_url(re.compile(r".*/kiosk/status/information/sent$"))
    expect(page.locator("#sent-notice")).to_be_visible()
    page.reload()
    expect(page.locator("#sent-notice")).to_be_visible()
    expect(page.locator("#needs-info")).to_have_count(0)
    expect(page.locator(".timeline")).to_contain_text("Lantai 2 120 m2")
    shot(page, artifacts, "information-sent-refreshed")


def test_changed_kiosk_screens_stay_light(browser, live_server, portrait_page, demo_kiosk,
                                          session):
    heartbeat(session)
    page = portrait_page
    enrol(page, live_server)
    file_krk(page, live_server)
    enrolled = page.context.storage_state()
    for path in ("/kiosk/", "/kiosk/apply/done", "/kiosk/service/PBG"):
        context = browser.new_context(viewport=PORTRAIT, has_touch=True, storage_state=enrolled)
        fresh = context.new_page()
        finished = []
        fresh.on("requestfinished", lambda request, finished=finished: finished.append(request))
        fresh.goto(f"{live_server.url}{path}", wait_until="networkidle")
        total = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
                    for r in finished)
        context.close()
        print(f"{path}: {len(finished)} requests, {total} bytes")
        assert total <= MAX_PAGE_BYTES, (path, total)


def test_the_return_forms_checkboxes_are_at_least_24_px(live_server, desk_page, session,
                                                       artifacts):
    from tests.workflow_support import make_city, submit

    make_city(session)
    request, _pin = submit(session, "PBG")
    code = request.tracking_code
    session.commit()
    session.close()
    page = desk_page
    page.goto(f"{live_server.url}/login?next=/clerk/requests/{code}")
    page.fill("#username", "clerk.dpmptsp")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**/clerk/requests/{code}")
    page.get_by_text("Kembalikan untuk dilengkapi").first.click()
    boxes = page.locator(".fields-to-fix input[type=checkbox]")
    assert boxes.count() >= 1
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    page.screenshot(path=str(artifacts / "screens-return-form.png"))
