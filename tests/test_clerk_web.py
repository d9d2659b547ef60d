"""The clerk workspace over HTTP: queue, claim, request page, actions, supervisor pages, the
document PDF and its public verification page, the citizen's information API, `flask sla`."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.db import utcnow
from services.documents import VerificationKeys, verification_code
from services.models import IssuedDocument, RequestStatus, Task, TaskStatus
from services.workflow.tasks import approve_task, return_for_information
from tests.builders import login
from tests.builders.workflow import make_city, open_task, submit


@pytest.fixture
def staff(app_session):
    return make_city(app_session)


def approved(session, staff, **answers):
    request, pin = submit(session, now=utcnow() - timedelta(hours=1), floor_area=120)
    for agency in ("DPMPTSP", "DLH", "DPMPTSP"):
        approve_task(session, actor=staff[f"clerk.{agency.lower()}"],
                     task_id=open_task(session, request, agency).id)
        session.commit()
    return request


def test_clerks_and_supervisors_land_on_their_queue(client, staff):
    assert login(client, "clerk.dpmptsp").headers["Location"].endswith("/clerk/")
    client.post("/auth/logout")
    assert login(client, "spv.dlh").headers["Location"].endswith("/clerk/")


def test_the_clerk_workspace_needs_agency_staff(client, app_session, staff):
    assert client.get("/clerk/").status_code == 302
    from services.models import Role
    from tests.builders import make_user
    make_user(app_session, "boss", Role.ADMIN)
    login(client, "boss")
    assert client.get("/clerk/").status_code == 403


def test_the_queue_lists_ready_tasks_and_finds_by_tracking_code(client, app_session, staff):
    request, _ = submit(app_session, now=utcnow())
    other, _ = submit(app_session, "SKTM", now=utcnow())
    login(client, "clerk.dpmptsp")
    page = client.get("/clerk/").get_data(as_text=True)
    code = request.tracking_code
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in page and "S*** A*****" in page
    assert "Siti Aminah" not in page  # names are masked in lists
    found = client.get(f"/clerk/?q={code.lower()}").get_data(as_text=True)
    assert code[:4] in found
    other_code = other.tracking_code
    assert other_code[:4] + "-" not in client.get(f"/clerk/?q={other_code}").get_data(as_text=True)
    assert client.get("/clerk/?service=SKTM").get_data(as_text=True).count("class=\"code\"") == 0


def test_the_queue_page_links_to_the_next_page_until_the_last(client, app_session, staff):
    from services.workflow.queues import PAGE_SIZE
    for minutes in range(PAGE_SIZE + 2):
        submit(app_session, now=utcnow() - timedelta(minutes=minutes))
    app_session.commit()
    login(client, "clerk.dpmptsp")
    first = client.get("/clerk/").get_data(as_text=True)
    assert first.count('class="code"') == PAGE_SIZE and "Awal antrean" not in first
    next_url = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(next_url).get_data(as_text=True)
    assert second.count('class="code"') == 2 and 'rel="next"' not in second
    assert "Awal antrean" in second
    codes = re.compile(r'class="code">([^<]+)<')
    assert not set(codes.findall(first)) & set(codes.findall(second))


def test_claim_next_opens_the_request_with_everything_the_clerk_needs(client, app_session, staff):
    request, _ = submit(app_session, now=utcnow())
    login(client, "clerk.dpmptsp")
    response = client.post("/clerk/claim")
    assert response.headers["Location"].endswith(f"/clerk/requests/{request.tracking_code}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for text in ("Siti Aminah", "3578014506900001", "081234567890", "Floor Area", "750",
                 "Permohonan Anda mulai diproses", "Setujui tahap ini", "Teruskan"):
        assert text in page
    assert client.post("/clerk/claim").headers["Location"].endswith("/clerk/")  # queue empty


def test_approving_rejecting_returning_and_forwarding_through_the_pages(client, app_session,
                                                                          staff):
    first, pin = submit(app_session, now=utcnow())
    second, _ = submit(app_session, now=utcnow())
    third, _ = submit(app_session, now=utcnow())
    login(client, "clerk.dpmptsp")
    t1, t2, t3 = (open_task(app_session, r, "DPMPTSP").id for r in (first, second, third))
    assert client.post(f"/clerk/tasks/{t1}/approve", data={"note": "lengkap"}).status_code == 302
    assert client.post(f"/clerk/tasks/{t2}/reject", data={"reason": ""}).status_code == 302
    assert client.post(f"/clerk/tasks/{t2}/reject",
                       data={"reason": "Bukan wilayah kami"}).status_code == 302
    assert client.post(f"/clerk/tasks/{t3}/forward",
                       data={f"f{t3}-to_agency": "DPUPR", f"f{t3}-note": "teknis"}
                       ).status_code == 302
    app_session.expire_all()
    assert [t.status for t in app_session.get(type(first), first.id).tasks if t.stage == 2] == \
        [TaskStatus.READY, TaskStatus.READY]
    assert app_session.get(type(first), second.id).status is RequestStatus.REJECTED
    assert app_session.get(Task, t3).outcome.value == "forwarded"
    done = client.post(f"/clerk/tasks/{t2}/approve", data={})
    assert done.status_code == 409  # the request is closed


def test_returning_for_information_and_the_citizen_answering_by_api(client, app_session, staff):
    request, pin = submit(app_session, now=utcnow())
    task = open_task(app_session, request, "DPMPTSP").id
    login(client, "clerk.dpmptsp")
    page = client.get(f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    assert 'value="floor_area"' in page  # the clerk can point at the answers to fix
    client.post(f"/clerk/tasks/{task}/return",
                data={"note": "Luas lantai?", "fields": ["floor_area"]})
    app_session.expire_all()
    asked = app_session.get(type(request), request.id).events[-1]
    assert (asked.kind, asked.data["fields"]) == ("information_requested", ["floor_area"])
    url = f"/api/v1/requests/{request.tracking_code}/information"
    wrong = "000000" if pin != "000000" else "111111"
    assert client.post(url, json={"pin": wrong, "note": "x"}).status_code == 404
    bad = client.post(url, json={"pin": pin, "answers": {"floor_area": "-1"}})
    assert bad.status_code == 422 and "floor_area" in bad.get_json()["error"]["fields"]
    ok = client.post(url, json={"pin": pin, "answers": {"floor_area": 600}, "note": "diperbaiki"})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    body = ok.get_json()
    assert body["status"] == "in_progress"
    assert [e["kind"] for e in body["timeline"]][-2:] == ["information_requested",
                                                          "information_supplied"]
    assert client.post(url, json={"pin": pin, "note": "lagi"}).status_code == 409
    app_session.expire_all()
    assert app_session.get(Task, task).status is TaskStatus.READY


def test_the_document_pdf_and_its_public_verification(client, app, app_session, staff):
    request = approved(app_session, staff)
    login(client, "clerk.dpmptsp")
    pdf = client.get(f"/clerk/requests/{request.tracking_code}/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    document = app_session.scalar(select(IssuedDocument))
    code = verification_code(VerificationKeys.parse(app.config["VERIFY_KEYS"]), document)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Dokumen asli dan berlaku." in page and "S*** A*****" in page
    assert "Siti Aminah" not in page and "3578014506900001" not in page
    tampered = client.get(f"/verify/{code[:-2]}xx")
    assert tampered.status_code == 404 and "tidak dikenal" in tampered.get_data(as_text=True)
    refused = client.post(f"/clerk/requests/{request.tracking_code}/revoke",
                          data={"category": "data_error", "reason": "Palsu"})
    assert refused.status_code == 403  # a clerk, not a supervisor
    client.post("/auth/logout")
    login(client, "spv.dpmptsp")
    assert "revoke-category" in client.get(
        f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    client.post(f"/clerk/requests/{request.tracking_code}/revoke",
                data={"category": "data_error", "reason": "NIK 3578014506900001 Palsu"})
    revoked = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "DICABUT" in revoked and "Kesalahan data pada dokumen" in revoked
    assert "Palsu" not in revoked and "3578014506900001" not in revoked
    client.post(f"/clerk/requests/{request.tracking_code}/complete")
    app_session.expire_all()
    assert app_session.get(type(request), request.id).status is RequestStatus.COMPLETED


def test_supervisors_see_backlog_overdue_and_reassign(client, app_session, staff):
    request, _ = submit(app_session, now=utcnow() - timedelta(days=20))
    task = open_task(app_session, request, "DPMPTSP").id
    login(client, "clerk.dpmptsp")
    assert client.get("/clerk/supervisor").status_code == 403
    assert client.post(f"/clerk/tasks/{task}/extend",
                       data={"days": 2, "reason": "x"}).status_code == 403
    refused = client.post(f"/clerk/tasks/{task}/reassign",
                          data={"to_user": staff["clerk2.dpmptsp"].id})
    assert refused.status_code == 403  # not a 500 (issue 28, item 5)
    app_session.expire_all()
    assert app_session.get(Task, task).claimed_by_id is None
    client.post("/auth/logout")
    login(client, "spv.dpmptsp")
    page = client.get("/clerk/supervisor").get_data(as_text=True)
    assert request.tracking_code[:4] in page and "Service PBG" in page
    response = client.post(f"/clerk/tasks/{task}/reassign",
                           data={"to_user": staff["clerk2.dpmptsp"].id})
    assert response.status_code == 302
    assert client.post(f"/clerk/tasks/{task}/extend",
                       data={"days": 3, "reason": "Survei lapangan"}).status_code == 302
    app_session.expire_all()
    moved = app_session.get(Task, task)
    assert moved.claimed_by_id == staff["clerk2.dpmptsp"].id
    assert [e.kind for e in moved.request.events][-2:] == ["task_reassigned", "deadline_extended"]


def test_the_sla_sweep_command_escalates_overdue_tasks(runner, app_session, staff):
    request, _ = submit(app_session, now=utcnow() - timedelta(days=20))
    result = runner.invoke(args=["sla", "sweep"])
    assert result.exit_code == 0, result.output
    assert "1 task(s) and 1 request(s) newly overdue" in result.output
    assert request.tracking_code in result.output
    assert "0 task(s) and 0 request(s)" in runner.invoke(args=["sla", "sweep"]).output


def other_agency_routes(request, task_id):
    code = request.tracking_code
    return [
        ("get", f"/clerk/requests/{code}", {}),
        ("get", f"/clerk/requests/{code}/document.pdf", {}),
        ("post", f"/clerk/requests/{code}/complete", {}),
        ("post", f"/clerk/requests/{code}/revoke", {"category": "data_error", "reason": "x"}),
        ("post", f"/clerk/tasks/{task_id}/claim", {}),
        ("post", f"/clerk/tasks/{task_id}/approve", {"note": "x"}),
        ("post", f"/clerk/tasks/{task_id}/reject", {"reason": "x"}),
        ("post", f"/clerk/tasks/{task_id}/return", {"note": "x"}),
        ("post", f"/clerk/tasks/{task_id}/forward", {f"f{task_id}-to_agency": "DPUPR"}),
        ("post", f"/clerk/tasks/{task_id}/release", {}),
        ("post", f"/clerk/tasks/{task_id}/reassign", {"to_user": 1}),
        ("post", f"/clerk/tasks/{task_id}/extend", {"days": 1, "reason": "x"}),
    ]


@pytest.mark.parametrize("user", ["clerk.kec-utara", "spv.dpupr"])
def test_every_clerk_route_hides_another_agencys_request(client, app_session, staff, user):
    request = approved(app_session, staff)  # has a document, DPUPR's step was skipped
    waiting, _ = submit(app_session, now=utcnow(), floor_area=90)
    return_for_information(app_session, actor=staff["clerk.dpmptsp"],
                           task_id=open_task(app_session, waiting, "DPMPTSP").id, note="?")
    app_session.commit()
    # Every task of the request, the skipped one at DPUPR too, is out of reach.
    task_ids = app_session.scalars(select(Task.id).where(Task.request_id == request.id)
                                   .order_by(Task.id)).all()
    login(client, user)
    targets = [(request, task_id) for task_id in task_ids]
    for target, task_id in targets + [(waiting, open_task_id(app_session, waiting))]:
        for method, url, data in other_agency_routes(target, task_id):
            response = getattr(client, method)(url, data=data)
            body = response.get_data(as_text=True)
            assert response.status_code == 404, (method, url, response.status_code)
            assert "Siti" not in body and target.tracking_code[:4] + "-" not in body, url
    queue = client.get(f"/clerk/?q={request.tracking_code}").get_data(as_text=True)
    assert request.tracking_code[:4] + "-" not in queue
    app_session.expire_all()
    assert app_session.get(type(request), request.id).status is RequestStatus.APPROVED
    assert app_session.get(type(waiting), waiting.id).status is RequestStatus.NEEDS_INFO


def open_task_id(session, request):
    return session.scalar(select(Task.id).where(Task.request_id == request.id,
                                                Task.status == TaskStatus.WAITING))


def test_pages_keep_no_markup_of_the_verification_code_injection(client):
    # A junk code is shown as unknown and never echoed back into the page.
    page = client.get("/verify/%3Cscript%3E").get_data(as_text=True)
    assert "<script>" not in page and re.search("tidak dikenal", page)


def test_the_workspace_speaks_english_when_asked(client, app_session, staff):
    request, _ = submit(app_session, now=utcnow())
    login(client, "clerk.dpmptsp")
    page = client.get("/clerk/?lang=en").get_data(as_text=True)
    assert "Agency queue" in page and "Claim next task" in page
    detail = client.get(f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    assert "Approve this step" in detail and "Your request was received." in detail


def test_clerk_actions_need_the_forms_csrf_token(app, client, app_session, staff):
    request, _ = submit(app_session, now=utcnow())
    task = open_task(app_session, request, "DPMPTSP").id
    login(client, "clerk.dpmptsp")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/clerk/tasks/{task}/approve", data={"note": "x"}).status_code == 400
    page = client.get(f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post(f"/clerk/tasks/{task}/approve", data={"note": "x", "csrf_token": token})
    assert ok.status_code == 302
    app_session.expire_all()
    assert app_session.get(Task, task).status is TaskStatus.DONE


def test_a_refused_action_is_explained_in_the_clerks_language(client, app_session, staff):
    from services.workflow.queues import claim_task

    request, _ = submit(app_session, now=utcnow())
    task = open_task(app_session, request, "DPMPTSP")
    claim_task(app_session, actor=staff["spv.dpmptsp"], task_id=task.id)
    app_session.commit()
    login(client, "clerk.dpmptsp")
    refused = client.post(f"/clerk/tasks/{task.id}/approve", data={"note": ""})
    assert refused.status_code == 409
    assert "Tugas ini sedang dipegang petugas lain." in refused.get_data(as_text=True)


def test_the_queue_marks_a_task_past_its_deadline_as_late_by_the_apps_clock(app, client,
                                                                           app_session, staff):
    from tests.fakes import FakeClock

    submit(app_session, now=utcnow())
    login(client, "clerk.dpmptsp")
    assert 'class="late"' not in client.get("/clerk/").get_data(as_text=True)
    app.extensions["clock"] = FakeClock(utcnow() + timedelta(days=30))
    assert 'class="late"' in client.get("/clerk/").get_data(as_text=True)
