"""The browser test support itself: Debian's chromium renders a page the app serves."""

import pytest

from tests.browser import browser, desk_page, live_server  # noqa: F401

pytestmark = pytest.mark.browser


def test_chromium_shows_the_login_page_in_indonesian(live_server, desk_page, artifacts):  # noqa: F811
    desk_page.goto(f"{live_server.url}/auth/login")
    assert desk_page.locator("html").get_attribute("lang") == "id"
    assert desk_page.get_by_role("heading", name="Masuk petugas").is_visible()
    desk_page.screenshot(path=str(artifacts / "login.png"))
