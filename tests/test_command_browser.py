"""The command center and the public performance page as their readers see them."""

import pytest

from services.models import Role
from tests.browser import browser, desk_page, live_server  # noqa: F401
from tests.builders import PASSWORD, make_user
from tests.builders.workflow import make_city, submit
from tests.test_command_web import decide_sktm

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app_session):
    staff = make_city(app_session)
    make_user(app_session, "pimpinan", Role.LEADERSHIP, agency=None)
    decide_sktm(app_session, staff, 12, "utara")
    decide_sktm(app_session, staff, 4, "selatan")
    submit(app_session, "PBG", floor_area=800)
    app_session.commit()


def sign_in(page, url, username):
    page.goto(f"{url}/auth/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_leadership_reads_the_command_center_at_a_desk(
        demo, live_server, desk_page, artifacts):  # noqa: F811
    sign_in(desk_page, live_server.url, "pimpinan")
    desk_page.wait_for_url(f"{live_server.url}/command/")
    assert "Pusat komando" in desk_page.locator("h1").inner_text()
    assert desk_page.locator("svg.chart").count() == 2
    weight = sum(len(desk_page.request.get(live_server.url + path).body())
                 for path in ("/command/", "/static/css/staff.css"))
    assert weight <= 150_000
    desk_page.screenshot(path=str(artifacts / "desk-command.png"), full_page=True)


def test_the_public_performance_page_reads_on_a_phone(
        demo, live_server, browser, artifacts):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/kinerja")
    assert page.locator("h1").inner_text() == "Kinerja pelayanan publik"
    assert page.get_by_role("row").filter(has_text="Agency KEC-UTARA").count() == 1
    page.screenshot(path=str(artifacts / "phone-kinerja.png"), full_page=True)
    context.close()
