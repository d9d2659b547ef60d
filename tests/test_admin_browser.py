"""An administrator edits a service in the browser and publishes a new version."""

import pytest

from services.demo import DEMO_PASSWORD, load_demo
from tests.browser import browser, desk_page, live_server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app_session):
    load_demo(app_session)
    app_session.commit()


def sign_in(page, url):
    page.goto(f"{url}/auth/login")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{url}/admin/")


def test_an_admin_changes_a_fee_in_the_browser_and_publishes_it(
        demo, live_server, desk_page, artifacts):  # noqa: F811
    page, url = desk_page, live_server.url
    before = page.request.get(f"{url}/api/v1/services/PBG").json()
    sign_in(page, url)
    page.get_by_role("link", name="Layanan").first.click()
    page.get_by_role("link", name="PBG").click()
    page.get_by_role("link", name="Standar pelayanan").click()
    page.screenshot(path=str(artifacts / "admin-service-standard.png"), full_page=False)
    page.get_by_label("Biaya (rupiah, 0 = gratis)").fill("250000")
    page.get_by_role("button", name="Simpan ke draf").click()
    number = before["version"] + 1
    publish = page.get_by_role("button", name=f"Terbitkan versi {number}")
    publish.wait_for()
    page.screenshot(path=str(artifacts / "admin-service-overview.png"))
    publish.click()
    page.get_by_text(f"Versi {number} diterbitkan").wait_for()

    after = page.request.get(f"{url}/api/v1/services/PBG").json()
    assert (after["version"], after["fee"]) == (number, 250000)

    page.get_by_role("link", name="Isian formulir").click()
    page.screenshot(path=str(artifacts / "admin-fields.png"), full_page=True)
    page.get_by_role("link", name="Pratinjau").first.click()
    page.screenshot(path=str(artifacts / "admin-preview.png"), full_page=True)
    page.get_by_role("link", name="Alur kerja").click()
    page.screenshot(path=str(artifacts / "admin-steps.png"), full_page=True)
    page.goto(f"{url}/admin/services/PBG/fields/new")
    page.screenshot(path=str(artifacts / "admin-field-form.png"), full_page=True)
