"""The kiosk status page in chromium, as an administrator at a desk PC sees it."""

from datetime import timedelta

import pytest

from services.db import utcnow
from services.kiosks.devices import revoke_kiosk
from services.kiosks.status import record_heartbeat
from services.models import Role
from tests.browser import browser, desk_page, live_server, sign_in  # noqa: F401
from tests.builders import PASSWORD, make_user
from tests.builders.printing import make_kiosk, queued_receipt

pytestmark = pytest.mark.browser


def test_an_administrator_sees_kiosk_health_and_issues_an_enrolment_code(
        live_server, desk_page, app_session, artifacts):  # noqa: F811
    ready = make_kiosk(app_session, "KIOSK-MPP-01")
    no_paper = make_kiosk(app_session, "KIOSK-KEC-UTARA")
    silent = make_kiosk(app_session, "KIOSK-KEL-02")
    make_kiosk(app_session, "KIOSK-BARU")
    revoked = make_kiosk(app_session, "KIOSK-LAMA")
    for kiosk in (ready, no_paper, silent, revoked):
        kiosk.token_hash = f"hash-{kiosk.code}"
    queued_receipt(app_session, no_paper)
    record_heartbeat(app_session, ready, printer_state="ready", paper_low=True,
                     client_version="0.1.0", paper_mm=80)
    record_heartbeat(app_session, no_paper, printer_state="out_of_paper", client_version="0.1.0",
                     paper_mm=58)
    record_heartbeat(app_session, silent, printer_state="ready",
                     now=utcnow() - timedelta(hours=3))
    revoke_kiosk(app_session, revoked.code, actor=None)
    app_session.commit()
    make_user(app_session, "admin", Role.ADMIN)

    page = desk_page
    sign_in(page, live_server.url, "admin", PASSWORD, "/admin/kiosks")
    row = page.locator("#kiosk-KIOSK-KEC-UTARA")
    assert row.get_by_text("Kertas habis").is_visible()
    assert row.get_by_text("Menunggu printer").is_visible()
    page.screenshot(path=str(artifacts / "admin-kiosks.png"), full_page=True)

    page.locator("#kiosk-KIOSK-BARU").get_by_role(
        "button", name="Terbitkan kode pendaftaran").click()
    code = page.locator(".enrolment-code").inner_text()
    assert len(code) == 12
    page.screenshot(path=str(artifacts / "admin-kiosk-enrolment-code.png"), full_page=True)
