"""Browser test support: the app served on a free local port, and Debian's chromium driven
by Playwright. Import these fixtures in a conftest: ``from tests.browser import *``."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.threads import join_all

CHROMIUM = os.environ.get("KIOSK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}


class LiveServer:
    """The test app served by werkzeug in a thread, on 127.0.0.1 and a free port."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        join_all([self.thread], timeout=10)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with LiveServer(app) as server:
        yield server


# One chromium for the whole run: every test module imports the `browser` fixture, which makes
# one session fixture per module, and Playwright's sync API allows only one instance at a time.
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"!!! {CHROMIUM} is not installed: browser tests SKIPPED "
                    "(apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    if not _SHARED:
        playwright = sync_playwright().start()
        _SHARED.update(playwright=playwright, users=0, browser=playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True))
    _SHARED["users"] += 1
    yield _SHARED["browser"]
    _SHARED["users"] -= 1
    if _SHARED["users"] == 0:
        _SHARED["browser"].close()
        _SHARED["playwright"].stop()
        _SHARED.clear()


def page_in_new_context(browser, **context_options) -> Iterator:  # type: ignore[no-untyped-def]
    context = browser.new_context(**context_options)
    page = context.new_page()
    taps_after_load(page)
    yield page
    context.close()


def taps_after_load(page) -> None:  # type: ignore[no-untyped-def]
    """A tap waits for the page to finish loading, its scripts included: a citizen cannot tap
    a field before the screen is drawn, but a test on a busy machine can, and the on-screen
    keyboard would then never open (a tap that led to a new page returns once it is on its
    way; this waits for it to load)."""
    tap = page.tap

    def tap_when_loaded(selector, **options):  # type: ignore[no-untyped-def]
        # The element first, then its document's load: right after a tap on a link the old
        # page still answers "loaded", and the new one's field can be tapped while its scripts
        # are still on their way.
        page.locator(selector).first.wait_for(state="visible")
        page.wait_for_load_state("load")  # (a string to evaluate would break the page's CSP)
        return tap(selector, **options)

    page.tap = tap_when_loaded


@pytest.fixture
def portrait_page(browser) -> Iterator:  # type: ignore[no-untyped-def]
    """A kiosk screen standing upright."""
    yield from page_in_new_context(browser, viewport=PORTRAIT, has_touch=True)


@pytest.fixture
def landscape_page(browser) -> Iterator:  # type: ignore[no-untyped-def]
    """A kiosk screen lying wide."""
    yield from page_in_new_context(browser, viewport=LANDSCAPE, has_touch=True)


@pytest.fixture
def desk_page(browser) -> Iterator:  # type: ignore[no-untyped-def]
    """A clerk's or administrator's desk PC."""
    yield from page_in_new_context(browser, viewport={"width": 1366, "height": 768})


def sign_in(page, base_url: str, username: str, password: str,  # type: ignore[no-untyped-def]
            next_path: str) -> None:
    """Sign in on the login page and wait for the page it leads to."""
    page.goto(f"{base_url}/auth/login?next={next_path}")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**{next_path}")
