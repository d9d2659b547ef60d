"""Rules that SQL, Python and the pages share, each written once: a task's lateness
(Task.overdue_at), a complaint's (Complaint.verification_late_at, ComplaintForwarding.
answer_late_at), and what approving a task asks of the clerk (needs_record)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.city_calendar import DEFAULT_CALENDAR
from services.db import utcnow
from services.errors import ValidationFailed
from services.models import Role, Task, TaskStatus
from services.workflow.queues import claim_task
from services.workflow.tasks import StepRecord, approve_task, needs_record
from services.workflow.transitions import task_overdue
from tests.builders import (
    WEDNESDAY,
    bilingual,
    field_def,
    login,
    make_catalog,
    service_def,
    step_def,
)
from tests.builders.workflow import make_staff, open_task, returned_for_information, submit
from tests.fakes import FakeClock


def test_a_task_is_overdue_alike_in_sql_and_in_python(session):
    make_catalog(session, service_def("SKTM", fields=[field_def("purpose")],
                                      workflow=[step_def("DPMPTSP")]))
    request, _ = submit(session, "SKTM", purpose="Beasiswa")
    task = request.tasks[0]
    now = task.due_at + timedelta(minutes=1)
    for status in TaskStatus:
        for due_at in (task.due_at, now + timedelta(days=1), None):
            task.status, task.due_at = status, due_at
            session.flush()
            in_sql = session.scalar(select(Task.id).where(Task.id == task.id,
                                                          Task.overdue_at(now))) is not None
            assert in_sql == task.overdue_at(now) == task_overdue(task, now), (status, due_at)
            assert in_sql == (status in (TaskStatus.READY, TaskStatus.CLAIMED)
                              and due_at is not None and due_at < now)


def test_the_request_page_never_marks_a_task_waiting_on_the_citizen_late(
        app, client, session, monkeypatch):
    request, _ = returned_for_information(session)
    monkeypatch.setitem(app.extensions, "clock", FakeClock(utcnow() + timedelta(days=60)))
    login(client, "clerk.dpmptsp")
    page = client.get(f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    assert "Batas" in page and "terlambat" not in page


def kk_service():
    """An external product (a KK from SIAK) whose second stage applies only to a move."""
    return service_def(
        "KK", product_kind="external", external_system="SIAK",
        collection=bilingual("Diambil di loket Disdukcapil"),
        fields=[field_def("moving", type="yes_no")],
        workflow=[step_def("DPMPTSP"),
                  step_def("DPUPR", stage=2,
                           condition={"field": "moving", "op": "eq", "value": True})])


@pytest.fixture
def kk_clerks(session):
    make_catalog(session, kk_service(), agencies=["DPMPTSP", "DPUPR"])
    return {code: make_staff(session, f"clerk.{code.lower()}", Role.CLERK, code)
            for code in ("DPMPTSP", "DPUPR")}


def test_approving_before_a_skipped_last_stage_asks_the_external_number_it_shows(
        session, kk_clerks):
    request, _ = submit(session, "KK", moving=False)  # the second stage is routed away
    task = open_task(session, request, "DPMPTSP")
    claim_task(session, actor=kk_clerks["DPMPTSP"], task_id=task.id, now=WEDNESDAY)
    assert needs_record(task) == {"fee": False, "external": True, "decision": False}
    with pytest.raises(ValidationFailed) as refused:
        approve_task(session, actor=kk_clerks["DPMPTSP"], task_id=task.id, now=WEDNESDAY)
    assert {key: message.code for key, message in refused.value.fields.items()} == {
        "external_number": "task.external_number_needed",
        "external_date": "task.external_date_needed"}
    assert task.status is TaskStatus.CLAIMED  # refused, nothing changed
    approve_task(session, actor=kk_clerks["DPMPTSP"], task_id=task.id, now=WEDNESDAY,
                 record=StepRecord(external_number="3578-KK-0007",
                                   external_date=WEDNESDAY.date()))
    assert request.status.value == "approved" and request.external_number == "3578-KK-0007"


def test_approving_a_stage_with_more_to_come_asks_no_external_number(session, kk_clerks):
    request, _ = submit(session, "KK", moving=True)
    task = open_task(session, request, "DPMPTSP")
    claim_task(session, actor=kk_clerks["DPMPTSP"], task_id=task.id, now=WEDNESDAY)
    assert needs_record(task) == {"fee": False, "external": False, "decision": False}
    approve_task(session, actor=kk_clerks["DPMPTSP"], task_id=task.id, now=WEDNESDAY)
    last = open_task(session, request, "DPUPR")
    assert needs_record(last) == {"fee": False, "external": True, "decision": False}


def test_the_extension_form_allows_what_the_sla_rule_allows(app):
    from kiosk.clerk.forms import ExtendForm
    from services.workflow.sla import MAX_EXTENSION_DAYS

    with app.test_request_context(method="POST"):
        for days, allowed in ((MAX_EXTENSION_DAYS, True), (MAX_EXTENSION_DAYS + 1, False)):
            form = ExtendForm(data={"days": days, "reason": "Menunggu hasil survei"})
            assert form.validate() is allowed


def test_a_complaint_is_late_alike_in_sql_and_in_python(session):
    from services.complaints.handling import forward_complaint
    from services.models import (
        Complaint,
        ComplaintForwarding,
        ComplaintStatus,
        ForwardingState,
    )
    from tests.builders.complaints import file, make_complaint_city

    staff = make_complaint_city(session)
    complaint = file(session).complaint
    before, after = complaint.forward_due_at - timedelta(minutes=1), complaint.forward_due_at \
        + timedelta(minutes=1)
    for now in (before, after):
        in_sql = session.scalar(select(Complaint.id).where(
            Complaint.id == complaint.id, Complaint.verification_late_at(now))) is not None
        assert in_sql == complaint.verification_late_at(now) == (now == after)
    forward_complaint(session, actor=staff["koordinator"], tracking_code=complaint.tracking_code,
                      agency_codes=["DINKES"], now=WEDNESDAY, calendar=DEFAULT_CALENDAR)
    assert complaint.status is not ComplaintStatus.SUBMITTED
    assert not complaint.verification_late_at(after)
    forwarding = complaint.forwardings[0]
    for state in ForwardingState:
        forwarding.state = state
        session.flush()
        for now in (forwarding.due_at - timedelta(minutes=1),
                    forwarding.due_at + timedelta(minutes=1)):
            in_sql = session.scalar(select(ComplaintForwarding.id).where(
                ComplaintForwarding.id == forwarding.id,
                ComplaintForwarding.answer_late_at(now))) is not None
            assert in_sql == forwarding.answer_late_at(now) == (
                state is ForwardingState.OPEN and now > forwarding.due_at)
