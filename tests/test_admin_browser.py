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
    before = page.request.get(f"{url}/api/v1/services/SKTM").json()
    sign_in(page, url)
    page.get_by_role("link", name="Layanan").first.click()
    page.get_by_role("link", name="SKTM").click()
    page.get_by_role("link", name="Standar pelayanan").click()
    page.screenshot(path=str(artifacts / "admin-service-standard.png"), full_page=True)
    page.get_by_label("Jenis biaya").select_option("tariff")
    page.get_by_label("Tarif (rupiah; 0 bila gratis atau dihitung)").fill("250000")
    page.get_by_label("Dasar hukum biaya (Indonesia)").fill("Perda Kota Contoh 1/2024 Pasal 12")
    page.get_by_label("Dasar hukum biaya (Inggris)").fill("City Regulation 1/2024 Art. 12")
    page.get_by_role("button", name="Simpan ke draf").click()
    number = before["version"] + 1
    publish = page.get_by_role("button", name=f"Terbitkan versi {number}")
    publish.wait_for()
    page.screenshot(path=str(artifacts / "admin-service-overview.png"))
    publish.click()
    page.get_by_text(f"Versi {number} diterbitkan").wait_for()

    after = page.request.get(f"{url}/api/v1/services/SKTM").json()
    assert (after["version"], after["fee"], after["fee_kind"]) == (number, 250000, "tariff")

    page.get_by_role("link", name="Isian formulir").click()
    page.screenshot(path=str(artifacts / "admin-fields.png"), full_page=True)
    page.get_by_role("link", name="Pratinjau").first.click()
    page.screenshot(path=str(artifacts / "admin-preview.png"), full_page=True)
    page.get_by_role("link", name="Alur kerja").click()
    page.screenshot(path=str(artifacts / "admin-steps.png"), full_page=True)
    page.goto(f"{url}/admin/services/PBG/fields/new")
    page.screenshot(path=str(artifacts / "admin-field-form.png"), full_page=True)


@pytest.mark.parametrize(("path", "heading"), [
    ("/admin/", "Administrasi"),
    ("/admin/agencies/", "Instansi"),
    ("/admin/users/?role=clerk", "Pengguna"),
    ("/admin/holidays/?year=2026", "Hari libur 2026"),
    ("/admin/audit/", "Log audit"),
    ("/admin/services/", "Layanan"),
    ("/admin/services/SURAT-PINDAH/steps/", "Surat Keterangan Pindah"),
    ("/admin/kiosks", "Kios"),
    ("/admin/services/SURAT-PINDAH/steps/0/edit", "Surat Keterangan Pindah"),
    ("/admin/services/PBG/?lang=en", "Building Approval"),
])
def test_each_admin_page_shows_its_heading_at_a_desk(
        demo, live_server, desk_page, artifacts, path, heading):  # noqa: F811
    sign_in(desk_page, live_server.url)
    desk_page.goto(live_server.url + path)
    assert heading in desk_page.locator("h1").inner_text()
    name = path.strip("/").replace("/", "-").split("?")[0] or "admin"
    desk_page.screenshot(path=str(artifacts / f"desk-{name}.png"), full_page=True)


def test_a_refused_field_shows_its_problem_beside_the_input(
        demo, live_server, desk_page, artifacts):  # noqa: F811
    sign_in(desk_page, live_server.url)
    desk_page.goto(f"{live_server.url}/admin/services/SKTM/fields/new")
    desk_page.get_by_label("Kunci").fill("Bad Key")
    desk_page.get_by_label("Jenis isian").select_option("choice")
    desk_page.get_by_role("button", name="Simpan ke draf").click()
    assert desk_page.locator("#key-error").is_visible()
    assert desk_page.locator("#choices-error").is_visible()
    desk_page.screenshot(path=str(artifacts / "admin-field-form-errors.png"), full_page=True)


def test_an_admin_sees_all_fourteen_components_and_records_a_consultation(
        demo, live_server, desk_page, artifacts):  # noqa: F811
    page, url = desk_page, live_server.url
    sign_in(page, url)
    page.screenshot(path=str(artifacts / "admin-dashboard.png"), full_page=True)
    page.goto(f"{url}/admin/services/PBG/")
    page.get_by_role("link", name="Pengelolaan & penetapan").click()
    rows = page.locator("table.components tbody tr")
    assert rows.count() == 14
    assert page.locator("#komponen-kompetensi").inner_text().endswith("internal")
    page.get_by_label("Tanggal konsultasi").fill("2026-11-20")
    page.get_by_label("Peserta").fill("Asosiasi pengembang")
    page.get_by_label("Ringkasan hasil").fill("Konsultasi TPA/TPT untuk semua bangunan")
    page.get_by_role("button", name="Catat konsultasi").click()
    assert "Asosiasi pengembang" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "admin-service-management.png"), full_page=True)
