# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""In Chromium: the coordinator sees, above the text for agencies and above the public text,
what still looks like a name or a number to redact by hand (issue 28, item 1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import browser, desk_page, live_server, sign_in  # noqa: F401
from tests.builders import PASSWORD
from tests.builders.complaints import file, make_complaint_city

pytestmark = pytest.mark.browser


def test_the_coordinator_sees_what_to_redact_by_hand(app, session, live_server, desk_page,
                                                     artifacts):
    make_complaint_city(session)
    complaint = file(session, privacy="anonymous", description=(
        "Nama saya Budi Santoso. Petugas loket Puskesmas membentak saya, hubungi "
        "0812-3456-7899 atau budi.santoso@contoh.id.")).complaint
    session.commit()
    sign_in(desk_page, live_server.url, "koordinator.pengaduan", PASSWORD,
            f"/koordinator/pengaduan/{complaint.tracking_code}")
    flags = desk_page.locator("[data-test=suspects-agency_text]")
    expect(flags).to_be_visible()
    expect(flags.locator("mark", has_text="Budi Santoso")).to_be_visible()
    expect(flags.locator("mark", has_text="budi.santoso@contoh.id")).to_be_visible()
    # The phone number is taken out of the pre-filled text already.
    expect(desk_page.locator("#agency_text")).not_to_contain_text("0812")
    desk_page.screenshot(path=str(artifacts / "complaint-coordinator-suspects.png"),
                         full_page=True)
