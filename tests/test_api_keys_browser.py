"""API keys and the API documentation in chromium, as an administrator at a desk PC sees them."""

import pytest

from services.models import Role
from tests.browser import browser, desk_page, live_server, sign_in  # noqa: F401
from tests.builders import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_an_administrator_issues_a_key_sees_it_once_and_revokes_it(
        live_server, desk_page, app_session, artifacts):  # noqa: F811
    make_user(app_session, "admin", Role.ADMIN)
    page = desk_page
    sign_in(page, live_server.url, "admin", PASSWORD, "/admin/api-keys")
    page.get_by_role("link", name="Terbitkan kunci").click()
    page.get_by_label("Nama kunci").fill("Aplikasi Warga")
    page.get_by_label("Sistem pemilik").fill("Diskominfo")
    page.get_by_label("Mengajukan permohonan (requests:submit)").check()
    page.screenshot(path=str(artifacts / "admin-api-key-new.png"), full_page=True)
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    secret = page.locator(".api-key-secret").inner_text().strip()
    assert secret.startswith("ek_")
    page.screenshot(path=str(artifacts / "admin-api-key-issued.png"), full_page=True)

    page.get_by_role("link", name="Kembali ke daftar kunci").click()
    assert secret not in page.content()
    page.screenshot(path=str(artifacts / "admin-api-keys.png"), full_page=True)
    page.get_by_role("button", name=f"Cabut kunci {secret[:10]}").click()
    assert page.get_by_text("Dicabut", exact=True).is_visible()


def test_the_api_documentation_page_loads_only_from_this_server(
        live_server, desk_page, artifacts):  # noqa: F811
    page = desk_page
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    assert page.get_by_role("heading", name="e-Kiosk API").is_visible()
    assert page.get_by_text("POST /api/v1/requests", exact=True).first.is_visible()
    page.screenshot(path=str(artifacts / "api-docs.png"))
    assert hosts == {live_server.url.split("/")[2]}
    assert violations == []
