"""Staff pages show values as the kiosk showed them, speak the page's language in every
validation message, and /login leads to the sign-in page; the citizen's status page shows the
expected completion only while it means something."""

from datetime import timedelta

from services.db import utcnow
from services.models import Channel, Role
from services.submission import Submission, submit_request
from services.workflow.queues import claim_task
from services.workflow.tasks import approve_task, return_for_information
from tests.builders import field_def, login, make_catalog, make_user, service_def, step_def
from tests.workflow_support import APPLICANT, PINS, make_city, open_task, submit


def test_login_leads_to_the_sign_in_page_keeping_next(client):
    answer = client.get("/login")
    assert answer.status_code == 301 and answer.headers["Location"].endswith("/auth/login")
    kept = client.get("/login?next=/clerk/")
    assert kept.headers["Location"].endswith("/auth/login?next=/clerk/")
    assert client.get("/login", follow_redirects=True).status_code == 200


def test_admin_validation_speaks_indonesian_on_indonesian_pages(client, app_session):
    make_user(app_session, "admin", Role.ADMIN)
    login(client, "admin")
    page = client.post("/admin/kiosks/new", data={"code": "", "name": ""}).get_data(as_text=True)
    assert "Wajib diisi." in page and "This field is required." not in page
    long_name = client.post("/admin/kiosks/new", data={"code": "K-1", "name": "x" * 200})
    assert "Paling banyak 120 karakter." in long_name.get_data(as_text=True)


def test_the_clerk_sees_rupiah_with_separators_and_the_channel_in_words(client, app_session):
    make_city(app_session)
    make_catalog(app_session, service_def(
        "BANTUAN", fields=[field_def("income", type="rupiah"),
                           field_def("needs_help", type="yes_no")],
        workflow=[step_def("DPMPTSP")]))
    result = submit_request(app_session, Submission(
        service_code="BANTUAN", applicant=APPLICANT, answers={"income": "1500000",
                                                              "needs_help": "ya"},
        channel=Channel.KIOSK), pins=PINS)
    app_session.commit()
    login(client, "clerk.dpmptsp")
    page = client.get(f"/clerk/requests/{result.request.tracking_code}").get_data(as_text=True)
    assert "Rp1.500.000" in page and "1500000" not in page
    assert "<dd>Kios</dd>" in page and "<dd>kiosk</dd>" not in page
    assert "<dd>Ya</dd>" in page


def test_expected_completion_is_paused_while_asked_and_gone_once_decided(client, session):
    staff = make_city(session)
    asked, asked_pin = submit(session, "PBG", now=utcnow() - timedelta(hours=1))
    task = open_task(session, asked, "DPMPTSP")
    claim_task(session, actor=staff["clerk.dpmptsp"], task_id=task.id)
    return_for_information(session, actor=staff["clerk.dpmptsp"], task_id=task.id,
                           note="Lampirkan gambar.")
    decided, decided_pin = submit(session, "PBG", now=utcnow() - timedelta(hours=1),
                                  floor_area=120)
    for agency in ("DPMPTSP", "DLH", "DPMPTSP"):
        approve_task(session, actor=staff[f"clerk.{agency.lower()}"],
                     task_id=open_task(session, decided, agency).id)
    running, running_pin = submit(session, "PBG", now=utcnow() - timedelta(hours=1))
    session.commit()
    codes = {r.id: r.tracking_code for r in (asked, decided, running)}
    session.close()

    def status_page(request, pin):
        return client.post("/status", data={"tracking_code": codes[request.id],
                                             "pin": pin}).get_data(as_text=True)

    paused = status_page(asked, asked_pin)
    assert "Perkiraan selesai" in paused and "berhenti sementara" in paused
    assert "Perkiraan selesai" not in status_page(decided, decided_pin)
    shown = status_page(running, running_pin)
    assert "Perkiraan selesai" in shown and "berhenti sementara" not in shown
