# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""The issue's done-when in Chromium: at the demo kiosk (1080x1920, touch) a citizen files a
confidential complaint about a health clinic; the coordinator forwards it to Dinkes and
publishes it; Dinkes answers; the answer shows on /pengaduan without the name, and the
citizen rates it on a phone (390x844)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from services.demo import DEMO_PASSWORD, load_demo
from services.models import Complaint, ComplaintStatus, Privacy
from tests.browser import browser, live_server, portrait_page  # noqa: F401
from tests.builders.kiosk import KIOSK_TOKEN
from tests.test_kiosk_browser import continue_, enrol, fill_by_touch, small_targets

pytestmark = pytest.mark.browser

PHONE_VIEWPORT = {"width": 390, "height": 844}
NAME, PHONE = "Siti Aminah", "081234567890"
COMPLAINT = "Antrean lima jam di puskesmas dan petugas loket membentak pasien lansia"
ANSWER = "Petugas loket sudah ditegur dan antrean kini memakai nomor urut elektronik."


@pytest.fixture
def demo_city(app, app_session):
    load_demo(app_session, device_token=KIOSK_TOKEN)
    app_session.commit()
    app_session.close()  # on SQLite an open read would hold the write lock against the server


def sign_in(page, server, username):
    page.goto(f"{server.url}/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")


NOTIFY_CHOICES = ("whatsapp", "sms", "none")


def file_at_the_kiosk(page, server, artifacts, notify=None):
    """By touch, from the attract screen to the code and PIN; ``notify`` picks the news
    channel (untouched: none)."""
    enrol(page, server)
    page.tap("#complain")
    page.screenshot(path=str(artifacts / "complaint-kiosk-categories.png"), full_page=True)
    assert small_targets(page) == []
    page.tap("[data-category=kesehatan]")
    fill_by_touch(page, "#description", COMPLAINT)
    fill_by_touch(page, "#location", "Puskesmas Sukamaju")
    page.screenshot(path=str(artifacts / "complaint-kiosk-text.png"))
    continue_(page)
    expect(page.get_by_text("UU 25/2009 Pasal 50")).to_be_visible()
    page.tap("label[for='privacy-1']")  # confidential
    page.screenshot(path=str(artifacts / "complaint-kiosk-privacy.png"), full_page=True)
    assert small_targets(page) == []
    continue_(page)
    fill_by_touch(page, "#name", NAME)
    fill_by_touch(page, "#phone", PHONE)
    if notify is not None:
        expect(page.get_by_text("tentang pengaduan ini")).to_be_visible()  # the consent
        page.tap(f"label[for='notify-{NOTIFY_CHOICES.index(notify)}']")
    page.screenshot(path=str(artifacts / "complaint-kiosk-identity.png"))
    continue_(page)
    expect(page.get_by_text(COMPLAINT)).to_be_visible()
    page.screenshot(path=str(artifacts / "complaint-kiosk-check.png"), full_page=True)
    page.tap("#submit")
    expect(page.locator("#pin")).to_be_visible()
    page.screenshot(path=str(artifacts / "complaint-kiosk-done.png"), full_page=True)
    return page.locator("#tracking-code").inner_text(), page.locator("#pin").inner_text()


def forward_publish_and_answer(browser, live_server, code, artifacts):
    """At a desk: the coordinator forwards the complaint to Dinkes and publishes it; Dinkes,
    which never sees who complained, answers."""
    desk = browser.new_context(viewport={"width": 1366, "height": 768})
    page = desk.new_page()
    sign_in(page, live_server, "koordinator.pengaduan")
    page.wait_for_url("**/koordinator/")
    page.screenshot(path=str(artifacts / "complaint-coordinator-inbox.png"), full_page=True)
    page.click(f"text={code}")
    expect(page.get_by_text(NAME)).to_be_visible()  # the coordinator alone sees who it is
    expect(page.locator("input[name=agencies][value=DINKES]")).to_be_checked()
    page.screenshot(path=str(artifacts / "complaint-coordinator-complaint.png"), full_page=True)
    page.click("#do-forward")
    expect(page.locator("[data-test=forwarding-DINKES]")).to_be_visible()
    page.fill("#public_text", "Antrean lima jam dan petugas loket yang membentak pasien lansia "
                              "di Puskesmas Sukamaju.")
    page.click("#do-publish")
    expect(page.locator(".flash-status")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, live_server, "clerk.dinkes")
    page.goto(f"{live_server.url}/clerk/pengaduan")
    page.screenshot(path=str(artifacts / "complaint-clerk-queue.png"), full_page=True)
    page.click(f"text={code}")
    expect(page.locator("[data-test=complainant]")).to_have_text("Rahasia")
    assert NAME not in page.content() and PHONE not in page.content()
    page.fill("#answer-text", ANSWER)
    page.screenshot(path=str(artifacts / "complaint-clerk-answer.png"), full_page=True)
    page.click("#send-answer")
    expect(page.locator(".flash-status")).to_be_visible()
    assert NAME not in page.content()
    desk.close()


def test_confidential_clinic_complaint_from_kiosk_to_rating_on_a_phone(
        browser, live_server, portrait_page, demo_city, app_session, artifacts):
    code, pin = file_at_the_kiosk(portrait_page, live_server, artifacts)
    complaint = app_session.scalar(select(Complaint))
    assert complaint.privacy is Privacy.CONFIDENTIAL and complaint.complainant_name == NAME
    app_session.close()
    # The idle wipe and "Selesai" leave nothing: the attract screen again.
    portrait_page.tap("#finish")
    expect(portrait_page.locator("#complain")).to_be_visible()

    forward_publish_and_answer(browser, live_server, code, artifacts)

    phone = browser.new_context(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/pengaduan")
    expect(page.locator(".answer").get_by_text(ANSWER)).to_be_visible()
    assert NAME not in page.content() and "Siti" not in page.content()
    page.screenshot(path=str(artifacts / "complaint-phone-board.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    page.goto(f"{live_server.url}/pengaduan/cek?code={code}")
    page.fill("#pin", pin)
    page.tap("#lookup")
    expect(page.locator("#answer-DINKES")).to_have_text(ANSWER)
    page.screenshot(path=str(artifacts / "complaint-phone-answer.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    page.tap("label[for='rating-3']")  # 4 of 5
    page.tap("label[for='resolved-0']")  # yes, solved
    page.tap("#send-rating")
    expect(page.locator("#status-text")).to_have_text("Selesai (dikonfirmasi pelapor)")
    page.screenshot(path=str(artifacts / "complaint-phone-rated.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    phone.close()
    complaint = app_session.scalar(select(Complaint))
    assert complaint.status is ComplaintStatus.RESOLVED and complaint.rating == 4


def test_anonymous_complaint_on_a_phone_asks_no_identity(browser, live_server, demo_city,
                                                        app_session, artifacts):
    phone = browser.new_context(viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/pengaduan")
    page.tap("#new-complaint")
    page.screenshot(path=str(artifacts / "complaint-phone-new.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    page.select_option("#category", "infrastruktur")
    page.fill("#description", "Lampu jalan di depan pasar mati sejak dua minggu.")
    page.tap("label[for='privacy-2']")  # anonymous
    expect(page.locator("#identity")).to_be_hidden()
    page.tap("#send")
    expect(page.locator("#pin")).to_be_visible()
    page.screenshot(path=str(artifacts / "complaint-phone-filed.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    phone.close()
    complaint = app_session.scalar(select(Complaint))
    assert complaint.privacy is Privacy.ANONYMOUS and complaint.complainant_phone is None
