# ruff: noqa: F811  (fixtures imported from tests.browser and tests.test_pejabat_web are parameters)
"""The signing queue in chromium, as the Kepala Dinas PUPR at a desk PC signs a KRK."""

import pytest
from sqlalchemy import select

from services.demo import DEMO_PASSWORD
from services.models import IssuedDocument, RequestStatus, ServiceRequest
from tests.browser import browser, desk_page, live_server, sign_in  # noqa: F401
from tests.signing_support import PASSPHRASE, signing_world  # noqa: F401
from tests.test_pejabat_web import krk_drafted  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_official_signs_a_krk_by_touch_and_keyboard(
        live_server, desk_page, app_session, krk_drafted, artifacts):
    page = desk_page
    number, request_id = app_session.scalar(select(IssuedDocument)).number, krk_drafted.id
    app_session.close()  # on SQLite an open read would hold the lock against the server
    sign_in(page, live_server.url, "kepala.pupr", DEMO_PASSWORD, "/pejabat/")
    page.screenshot(path=str(artifacts / "pejabat-queue.png"), full_page=True)
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Baca PDF").click()
    opened.value.close()
    page.get_by_label(f"Pilih {number}").check()
    page.get_by_label("Passphrase sertifikat elektronik").fill(PASSPHRASE)
    page.get_by_role("button", name="Tandatangani").click()
    page.get_by_text("Keputusan ditandatangani dan terbit: 1.").wait_for()
    assert page.locator('[data-test="empty"]').is_visible()
    assert page.get_by_label("Passphrase sertifikat elektronik").count() == 0
    page.screenshot(path=str(artifacts / "pejabat-signed.png"), full_page=True)
    assert app_session.get(ServiceRequest, request_id).status is RequestStatus.APPROVED
