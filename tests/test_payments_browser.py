# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""The issue's done-when in Chromium: PUPR has billed a PBG's retribusi; on the citizen's
phone (390x844) the status page shows the bill with a QRIS code that zbarimg decodes from the
screenshot to a payload with the amount and a CRC that verifies; "Bayar (simulasi)" has the
demo bank (a real HTTP server on a loopback port) pay it by signed SNAP calls, the page then
says LUNAS and the request moves on; the treasurer sees the payment (1920x1080)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kiosk.bank.simulator import DemoBank, DemoBankServer
from services.demo import DEMO_PASSWORD
from services.models import BillState, RequestStatus
from services.payments.qris import crc_verifies, payload_amount, payload_bill_number
from tests.browser import LANDSCAPE, browser, live_server, page_in_new_context  # noqa: F401
from tests.builders.payments import standing_bill
from tests.builders.printing import require_tools
from tests.test_payments_status import billed

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def zbar(png: Path) -> list[str]:
    answer = subprocess.run(["zbarimg", "--quiet", "--xml", str(png)], capture_output=True,
                            check=False)
    return re.findall(r"<data><!\[CDATA\[(.*?)\]\]></data>", answer.stdout.decode(), re.S)


def test_a_citizen_pays_the_pbg_levy_by_the_qris_on_the_status_page_and_it_moves_on(
        app, live_server, browser, session, artifacts):
    require_tools("zbarimg")
    request, pin = billed(session)
    bill = standing_bill(session, request)
    session.commit()
    session.close()  # on SQLite an open read would hold the write lock against the server
    config = app.config
    bank = DemoBank(app_url=live_server.url, client_key=config["BANK_CLIENT_KEY"],
                    client_secret=config["BANK_CLIENT_SECRET"],
                    private_key_pem=(Path(config["BANK_PUBLIC_KEY"]).parent
                                     / "bank_private.pem").read_bytes(),
                    va_prefix=config["VA_PREFIX"])
    with DemoBankServer(bank) as bank_server:
        app.config.update(DEMO_MODE=True, BANK_URL=bank_server.url)
        for page in page_in_new_context(browser, viewport=PHONE, has_touch=True):
            page.goto(f"{live_server.url}/status?code={request.tracking_code}")
            page.fill("input[name=pin]", pin)
            page.click("button[type=submit]")
            expect(page.locator("#bill-amount")).to_have_text("Rp1.080.000")
            expect(page.locator("#status-text")).to_have_text("Menunggu pembayaran")
            shot = artifacts / "payment-status-phone.png"
            page.screenshot(path=str(shot), full_page=True)
            [payload] = zbar(shot)
            assert crc_verifies(payload) and payload_amount(payload) == 1_080_000
            assert payload_bill_number(payload) == bill.number
            page.click("#pay-simulated")
            expect(page.locator("#bill-paid")).to_be_visible()
            expect(page.locator("#status-text")).to_have_text("Sedang diproses")
            page.screenshot(path=str(artifacts / "payment-status-phone-paid.png"),
                            full_page=True)
        for page in page_in_new_context(browser, viewport=LANDSCAPE):
            page.goto(f"{live_server.url}/auth/login")
            page.fill("input[name=username]", "bendahara")
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
            expect(page.locator("h1")).to_contain_text("Pembayaran tanggal")
            expect(page.locator("td", has_text=bill.number)).to_be_visible()
            page.screenshot(path=str(artifacts / "payment-treasurer.png"), full_page=True)
    session.expire_all()
    assert standing_bill(session, request).state is BillState.PAID
    assert session.get(type(request), request.id).status is RequestStatus.IN_PROGRESS


def test_at_the_kiosk_the_bill_shows_by_touch_and_prints(app, live_server, browser, session,
                                                          artifacts):
    from datetime import timedelta

    from sqlalchemy import select

    from services.db import utcnow
    from services.kiosks.status import record_heartbeat
    from services.models import PrintJob
    from tests.browser import PORTRAIT
    from tests.builders.kiosk import make_kiosk
    from tests.test_kiosk_browser import enrol, look_up, small_targets

    request, pin = billed(session)
    kiosk = make_kiosk(session)
    record_heartbeat(session, kiosk, printer_state="ready", now=utcnow() + timedelta(minutes=30))
    session.commit()
    session.close()
    for page in page_in_new_context(browser, viewport=PORTRAIT, has_touch=True):
        enrol(page, live_server)
        look_up(page, request.tracking_code, pin)
        expect(page.locator("#bill-amount")).to_have_text("Rp1.080.000")
        expect(page.locator("#bill-qris svg")).to_be_visible()
        page.screenshot(path=str(artifacts / "payment-kiosk-portrait.png"), full_page=True)
        assert small_targets(page) == []
        page.tap("#bill-print")
        expect(page.get_by_text("Tagihan sedang dicetak")).to_be_visible()
    assert session.scalar(select(PrintJob.kind).where(PrintJob.request_id == request.id)) \
        == "bill"
