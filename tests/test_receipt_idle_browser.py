# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""Both receipt screens, a request's and a complaint's, go with the idle wipe in Chromium:
the screen's print-state poll (every 3 s) is no sign of a citizen, so once the kiosk has sat
idle past the timeout the next tap finds the code and PIN gone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from services.db import utcnow
from services.demo import load_demo
from services.kiosks.status import record_heartbeat
from services.models import Kiosk
from tests.browser import browser, live_server, portrait_page  # noqa: F401
from tests.builders.kiosk import KIOSK_TOKEN
from tests.test_complaints_browser import file_at_the_kiosk
from tests.test_kiosk_browser import apply_for_sktm, enrol

pytestmark = pytest.mark.browser

# The server's idle timeout in the test; the page's own timer keeps the default (90 s), so
# only the server can wipe here: what the poll must not prevent.
SERVER_IDLE_SECONDS = 4


@pytest.fixture
def demo_city(app, app_session):
    """The demo city, its kiosk's client online with paper (dated ahead, so that a slow run
    does not outlive the heartbeat)."""
    load_demo(app_session, device_token=KIOSK_TOKEN)
    record_heartbeat(app_session, app_session.scalar(select(Kiosk)), printer_state="ready",
                     now=utcnow() + timedelta(minutes=30))
    app_session.commit()
    app_session.close()  # on SQLite an open read would hold the write lock against the server


def left_alone(app, page, poll_path: str) -> int:
    """Walk away from the receipt screen past the server's idle timeout while the screen polls
    its print state; how many polls it made meanwhile."""
    polls = []
    page.on("request", lambda request: polls.append(request.url)
            if request.url.split("?")[0].endswith(poll_path) else None)
    app.config.update(IDLE_TIMEOUT_SECONDS=SERVER_IDLE_SECONDS)
    page.wait_for_timeout((SERVER_IDLE_SECONDS + 4) * 1000)  # two polls at the least
    return len(polls)


def assert_wiped(page, server, pin: str) -> None:
    """The next citizen's first touch (here a reload) finds the attract screen, no PIN: the
    server wiped it (the reloaded page's own timer, now short too, has had no time to)."""
    page.reload()
    assert page.url == f"{server.url}/kiosk/"
    assert pin not in page.content()
    page.go_back()
    page.wait_for_load_state()
    assert pin not in page.content()


def test_the_idle_wipe_clears_a_requests_receipt_screen(app, live_server, portrait_page,
                                                         demo_city, artifacts):
    page = portrait_page
    enrol(page, live_server)
    _code, pin = apply_for_sktm(page, live_server, artifacts, "idle-request", "id")
    expect(page.locator("#pin")).to_have_text(pin)
    assert left_alone(app, page, "/kiosk/apply/print") >= 2
    assert_wiped(page, live_server, pin)


def test_the_idle_wipe_clears_a_complaints_receipt_screen(app, live_server, portrait_page,
                                                          demo_city, artifacts):
    page = portrait_page
    _code, pin = file_at_the_kiosk(page, live_server, artifacts)
    expect(page.locator("#pin")).to_have_text(pin)
    assert left_alone(app, page, "/kiosk/pengaduan/cetak") >= 2
    assert_wiped(page, live_server, pin)
