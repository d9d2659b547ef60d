# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""The IKM survey in headless Chromium: a finished request looked up at the kiosk and rated by
touch (portrait and landscape), and on a phone at /status."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from services.models import SurveyResponse
from tests.browser import (  # noqa: F401
    browser,
    landscape_page,
    live_server,
    portrait_page,
)
from tests.builders.ikm import finished_city
from tests.builders.kiosk import make_kiosk
from tests.test_kiosk_browser import enrol, look_up, small_targets

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# The answer tapped for each question (u1..u9): IKM 25 x 31/9 = 86.11, B.
CHOSEN = (4, 3, 3, 4, 4, 3, 4, 3, 3)


@pytest.fixture
def finished(app, session):
    make_kiosk(session)
    request, pin = finished_city(session)
    session.close()
    return request, pin


def small_survey_targets(page):
    """The survey's answers and its send button smaller than 48 CSS px either way."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'form.survey label.choice, #send-survey'))
      .map(el => [el.outerHTML.slice(0, 60), el.getBoundingClientRect()])
      .filter(([, r]) => r.width < 48 || r.height < 48).map(([html]) => html)""")


def answer_by_touch(page, screenshot_path):
    for number, value in enumerate(CHOSEN, start=1):
        page.tap(f"label[for='u{number}-{value}']")
        expect(page.locator(f"#u{number}-{value}")).to_be_checked()
    assert small_survey_targets(page) == []
    page.screenshot(path=str(screenshot_path), full_page=True)
    page.tap("#send-survey")
    expect(page.locator("#survey-thanks")).to_be_visible()


def stored_answers(session):
    found = [r.answers() for r in session.scalars(select(SurveyResponse))]
    session.close()
    return found


@pytest.mark.parametrize("layout", ["portrait", "landscape"])
def test_a_citizen_rates_a_finished_request_by_touch_at_the_kiosk(
        live_server, portrait_page, landscape_page, finished, session, artifacts, layout):
    page = portrait_page if layout == "portrait" else landscape_page
    request, pin = finished
    page.goto(f"{live_server.url}/kiosk/enrol")
    enrol(page, live_server)
    look_up(page, request.tracking_code, pin)
    expect(page.locator("#status-text")).to_have_text("Disetujui")
    assert small_targets(page) == []
    page.screenshot(path=str(artifacts / f"ikm-kiosk-{layout}-offer.png"))
    page.tap("#start-survey")
    expect(page.locator("h1")).to_have_text("Survei Kepuasan Masyarakat")
    # Sent with a question left out: it is marked, the rest stay chosen.
    page.tap("label[for='u1-4']")
    page.tap("#send-survey")
    expect(page.locator("#u2-error")).to_be_visible()
    expect(page.locator("#u1-4")).to_be_checked()
    assert small_targets(page) == []  # every target of the kiosk page, header included
    page.screenshot(path=str(artifacts / f"ikm-kiosk-{layout}-missing.png"))
    answer_by_touch(page, artifacts / f"ikm-kiosk-{layout}-survey.png")
    page.screenshot(path=str(artifacts / f"ikm-kiosk-{layout}-thanks.png"))
    page.tap("#finish")
    page.wait_for_url(f"{live_server.url}/kiosk/")
    assert stored_answers(session) == [CHOSEN]


def test_a_citizen_rates_a_finished_request_on_a_phone(live_server, browser, finished, session,
                                                       artifacts):
    request, pin = finished
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/status?code={request.tracking_code}&lang=en")
        page.fill("#pin", pin)
        page.tap("button[type=submit]")
        expect(page.locator("#start-survey")).to_be_visible()
        page.screenshot(path=str(artifacts / "ikm-phone-offer.png"), full_page=True)
        page.tap("#start-survey")
        expect(page.locator("h1")).to_have_text("Public Satisfaction Survey")
        answer_by_touch(page, artifacts / "ikm-phone-survey.png")
        page.screenshot(path=str(artifacts / "ikm-phone-thanks.png"))
    finally:
        context.close()
    assert stored_answers(session) == [CHOSEN]
