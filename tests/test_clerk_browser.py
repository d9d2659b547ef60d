"""The clerk workspace in a real browser on a desk PC (1366x768): the queue and a request."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.db import utcnow
from services.workflow.queues import claim_next_task
from services.workflow.tasks import approve_task
from tests.browser import browser, desk_page, live_server  # noqa: F401
from tests.builders import PASSWORD
from tests.builders.workflow import make_city, open_task, submit

pytestmark = pytest.mark.browser


def test_a_clerk_works_the_queue_in_the_browser(live_server, desk_page, app_session,  # noqa: F811
                                               artifacts):
    staff = make_city(app_session)
    now = utcnow()
    first, _ = submit(app_session, now=now - timedelta(days=9))  # overdue by now
    for days, area in ((2, 300), (1, 900), (0, 120)):
        submit(app_session, now=now - timedelta(days=days), floor_area=area)
    submit(app_session, "SKTM", now=now)
    claim_next_task(app_session, actor=staff["clerk2.dpmptsp"])
    app_session.commit()
    earlier, _ = submit(app_session, now=now - timedelta(days=1), floor_area=650,
                        purpose="Rumah tinggal dua lantai")
    approve_task(app_session, actor=staff["clerk.dpmptsp"],
                 task_id=open_task(app_session, earlier, "DPMPTSP").id, note="Berkas lengkap")
    app_session.commit()
    earlier_code = earlier.tracking_code
    app_session.close()  # on SQLite an open read would hold the write lock against the server

    page = desk_page
    page.goto(f"{live_server.url}/auth/login")
    page.fill("input[name=username]", "clerk.dpmptsp")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/clerk/")
    assert page.get_by_role("heading", name="Antrean instansi").is_visible()
    assert page.locator("table.queue tbody tr").count() == 3  # ready at DPMPTSP
    page.screenshot(path=str(artifacts / "clerk-queue.png"), full_page=True)

    page.click("[data-test=claim-next]")
    page.wait_for_url("**/clerk/requests/*")
    assert page.get_by_text("Siti Aminah").is_visible()
    page.get_by_text("Kembalikan untuk dilengkapi").click()
    assert page.get_by_label("Floor Area").is_visible()
    page.screenshot(path=str(artifacts / "clerk-request.png"), full_page=True)
    page.fill("textarea[name=note] >> nth=0", "Dokumen sesuai")
    page.get_by_role("button", name="Setujui tahap ini").click()
    page.wait_for_url("**/clerk/requests/*")
    assert page.get_by_text("Tahap disetujui.").is_visible()

    page.goto(f"{live_server.url}/clerk/?view=overdue")
    page.screenshot(path=str(artifacts / "clerk-queue-overdue.png"), full_page=True)
    page.goto(f"{live_server.url}/clerk/requests/{earlier_code}")
    page.screenshot(path=str(artifacts / "clerk-request-stage2.png"), full_page=True)


def test_a_supervisor_sees_the_agency_figures_and_a_citizen_verifies_a_document(
        live_server, desk_page, app, app_session, artifacts):  # noqa: F811
    from services.documents import VerificationKeys, verification_code
    from services.models import IssuedDocument

    staff = make_city(app_session)
    now = utcnow()
    for days in (12, 9, 1):
        submit(app_session, now=now - timedelta(days=days))
    claim_next_task(app_session, actor=staff["clerk.dpmptsp"])
    app_session.commit()
    done, _ = submit(app_session, now=now - timedelta(days=3), floor_area=120)
    for agency in ("DPMPTSP", "DLH", "DPMPTSP"):
        approve_task(app_session, actor=staff[f"clerk.{agency.lower()}"],
                     task_id=open_task(app_session, done, agency).id)
        app_session.commit()
    code = verification_code(VerificationKeys.parse(app.config["VERIFY_KEYS"]),
                             app_session.scalars(select(IssuedDocument)).one())
    app_session.close()

    page = desk_page
    page.goto(f"{live_server.url}/auth/login")
    page.fill("input[name=username]", "spv.dpmptsp")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/clerk/supervisor")
    assert page.get_by_role("heading", name="Ringkasan instansi").is_visible()
    assert page.locator("table.queue tbody tr").count() == 2  # two overdue tasks
    page.screenshot(path=str(artifacts / "clerk-supervisor.png"), full_page=True)
    page.goto(f"{live_server.url}/verify/{code}")
    assert page.get_by_text("Dokumen asli dan berlaku.").is_visible()
    page.screenshot(path=str(artifacts / "verify-valid.png"), full_page=True)
