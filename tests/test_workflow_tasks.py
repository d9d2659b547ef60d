"""Clerks' actions on tasks: stages open and close, requests are approved, rejected, returned,
forwarded and completed, each change with its one event."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.errors import Conflict, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from services.models import (
    Event,
    IssuedDocument,
    RequestStatus,
    TaskOutcome,
    TaskStatus,
)
from services.timeline import citizen_timeline
from services.workflow.access import request_for_staff
from services.workflow.citizen import supply_information
from services.workflow.queues import claim_next_task
from services.workflow.tasks import (
    approve_task,
    complete_request,
    forward_task,
    reject_task,
    return_for_information,
)
from tests.builders import PINS
from tests.builders.workflow import WEDNESDAY, open_task, submit

LATER = WEDNESDAY + timedelta(hours=2)


def approve(session, staff, request, agency, clerk=None):
    task = open_task(session, request, agency)
    approve_task(session, actor=staff[clerk or f"clerk.{agency.lower()}"], task_id=task.id,
                 note="ok", now=LATER)
    session.commit()
    return task


def test_claiming_the_first_task_puts_the_request_in_progress(session, staff):
    request, _ = submit(session)
    task = claim_next_task(session, actor=staff["clerk.dpmptsp"], now=LATER)
    session.commit()
    assert task.status is TaskStatus.CLAIMED and task.claimed_by_id == staff["clerk.dpmptsp"].id
    assert request.status is RequestStatus.IN_PROGRESS
    assert [e.kind for e in request.events] == ["submitted", "task_claimed"]
    assert request.events[-1].from_status is RequestStatus.SUBMITTED


def test_a_stage_opens_only_when_every_task_of_the_one_before_is_approved(session, staff):
    request, _ = submit(session, floor_area=750)
    approve(session, staff, request, "DPMPTSP")
    stage2 = {t.agency.code: t.status for t in request.tasks if t.stage == 2}
    assert stage2 == {"DPUPR": TaskStatus.READY, "DLH": TaskStatus.READY}
    approve(session, staff, request, "DLH")
    assert [t.status for t in request.tasks if t.stage == 3] == [TaskStatus.PENDING]
    approve(session, staff, request, "DPUPR")
    assert [t.status for t in request.tasks if t.stage == 3] == [TaskStatus.READY]
    assert request.status is RequestStatus.IN_PROGRESS


def test_the_last_approval_approves_the_request_and_issues_its_document(session, staff):
    request, _ = submit(session, floor_area=120)  # no technical review for a small building
    for agency in ("DPMPTSP", "DLH", "DPMPTSP"):
        approve(session, staff, request, agency)
    assert request.status is RequestStatus.APPROVED and request.closed_at == LATER
    document = session.scalar(select(IssuedDocument))
    assert document.number == f"DPMPTSP/PBG/2026/{request.id:07d}"
    assert document.valid_until == LATER + timedelta(days=1825)
    assert request.events[-1].kind == "request_approved"
    assert request.events[-1].data["document_number"] == document.number
    complete_request(session, actor=staff["clerk.dpmptsp"], tracking_code=request.tracking_code,
                     now=LATER)
    session.commit()
    assert request.status is RequestStatus.COMPLETED


def test_a_rejection_rejects_the_request_with_its_reason_and_closes_the_other_tasks(
        session, staff, worded):
    request, _ = submit(session)
    task = open_task(session, request, "DPMPTSP")
    reject_task(session, actor=staff["clerk.dpmptsp"], task_id=task.id,
                reason="Berkas tidak lengkap", now=LATER)
    session.commit()
    assert request.status is RequestStatus.REJECTED
    assert task.outcome is TaskOutcome.REJECTED
    assert {t.status for t in request.tasks} == {TaskStatus.DONE, TaskStatus.SKIPPED}
    entry = citizen_timeline(request, "id")[-1]
    assert entry.note == "Berkas tidak lengkap" and "ditolak" in worded(entry, "id")


def test_a_rejection_needs_a_reason(session, staff):
    request, _ = submit(session)
    with pytest.raises(ValidationFailed):
        reject_task(session, actor=staff["clerk.dpmptsp"],
                    task_id=open_task(session, request, "DPMPTSP").id, reason="  ")


def test_returning_for_information_waits_on_the_citizen_until_they_answer(session, staff):
    request, pin = submit(session, floor_area=750)
    task = open_task(session, request, "DPMPTSP")
    return_for_information(session, actor=staff["clerk.dpmptsp"], task_id=task.id,
                           note="Luas lantai sepertinya salah", fields=["floor_area"], now=LATER)
    session.commit()
    assert request.status is RequestStatus.NEEDS_INFO and task.status is TaskStatus.WAITING
    assert request.clock_stopped_at == LATER
    assert claim_next_task(session, actor=staff["clerk2.dpmptsp"], now=LATER) is None
    supply_information(session, request.tracking_code, pin, pins=PINS, answers={"floor_area": "600"},
                       note="Sudah saya perbaiki", now=LATER + timedelta(hours=1))
    session.commit()
    assert request.status is RequestStatus.IN_PROGRESS
    assert task.status is TaskStatus.READY and task.claimed_by_id is None
    assert request.answers["floor_area"] == 600 and request.clock_stopped_at is None
    assert request.events[-1].kind == "information_supplied"
    assert request.events[-1].data["changed"] == ["floor_area"]


def test_the_citizen_needs_the_right_pin_and_a_waiting_request(session, staff):
    request, pin = submit(session)
    with pytest.raises(InvalidTransition):
        supply_information(session, request.tracking_code, pin, pins=PINS, note="hello")
    session.rollback()
    with pytest.raises(NotFound):
        supply_information(session, request.tracking_code, "000000" if pin != "000000"
                           else "111111", pins=PINS, note="hello")


def test_the_citizens_new_answers_are_checked(session, staff):
    request, pin = submit(session)
    return_for_information(session, actor=staff["clerk.dpmptsp"],
                           task_id=open_task(session, request, "DPMPTSP").id, note="?",
                           fields=["floor_area"], now=LATER)
    session.commit()
    with pytest.raises(ValidationFailed) as raised:
        supply_information(session, request.tracking_code, pin, pins=PINS, answers={"floor_area": "-4"})
    assert "floor_area" in raised.value.fields


def test_forwarding_hands_the_task_to_an_allowed_agency_with_the_same_deadline(session, staff,
                                                                             worded):
    request, _ = submit(session)
    task = open_task(session, request, "DPMPTSP")
    forwarded = forward_task(session, actor=staff["clerk.dpmptsp"], task_id=task.id,
                             to_agency="DPUPR", note="Perlu kajian teknis", now=LATER)
    session.commit()
    assert task.outcome is TaskOutcome.FORWARDED
    assert forwarded.agency.code == "DPUPR" and forwarded.status is TaskStatus.READY
    assert forwarded.due_at == task.due_at and forwarded.stage == 1
    approve(session, staff, request, "DPUPR")
    assert {t.status for t in request.tasks if t.stage == 2} == {TaskStatus.READY}
    assert worded(citizen_timeline(request, "en")[1], "en") == \
        "Your request was passed on to Agency DPUPR (en)."


def test_forwarding_is_refused_where_the_step_does_not_allow_it(session, staff):
    request, _ = submit(session)
    with pytest.raises(NotAllowed):
        forward_task(session, actor=staff["clerk.dpmptsp"],
                     task_id=open_task(session, request, "DPMPTSP").id, to_agency="DLH")


def test_a_task_held_by_one_clerk_cannot_be_acted_on_by_another(session, staff):
    submit(session)
    task = claim_next_task(session, actor=staff["clerk.dpmptsp"], now=LATER)
    session.commit()
    with pytest.raises(Conflict):
        approve_task(session, actor=staff["clerk2.dpmptsp"], task_id=task.id)


def test_a_closed_request_refuses_further_work_and_completion_before_approval(session, staff):
    request, _ = submit(session)
    task = open_task(session, request, "DPMPTSP")
    with pytest.raises(InvalidTransition):
        complete_request(session, actor=staff["clerk.dpmptsp"],
                         tracking_code=request.tracking_code)
    session.rollback()
    reject_task(session, actor=staff["clerk.dpmptsp"], task_id=task.id, reason="no", now=LATER)
    session.commit()
    with pytest.raises(InvalidTransition):
        approve_task(session, actor=staff["clerk.dpmptsp"], task_id=task.id)


def test_a_clerk_cannot_see_or_touch_another_agencys_request(session, staff):
    request, _ = submit(session, floor_area=120)
    task = open_task(session, request, "DPMPTSP")
    with pytest.raises(NotFound):
        request_for_staff(session, staff["clerk.dpupr"], request.tracking_code)  # skipped step
    with pytest.raises(NotFound):
        approve_task(session, actor=staff["clerk.kec-utara"], task_id=task.id)
    assert request_for_staff(session, staff["clerk.dlh"], request.tracking_code) is request


def test_the_agency_is_picked_by_the_answer(session, staff):
    request, _ = submit(session, "SKTM", kecamatan="selatan")
    assert claim_next_task(session, actor=staff["clerk.kec-utara"], now=LATER) is None
    task = claim_next_task(session, actor=staff["clerk.kec-selatan"], now=LATER)
    assert task.request_id == request.id


def test_every_action_writes_exactly_one_event(session, staff):
    request, pin = submit(session, floor_area=120)
    counts = [session.scalar(select(func.count()).select_from(Event))]
    task = claim_next_task(session, actor=staff["clerk.dpmptsp"], now=LATER)
    session.commit()
    counts.append(session.scalar(select(func.count()).select_from(Event)))
    return_for_information(session, actor=staff["clerk.dpmptsp"], task_id=task.id, note="?",
                           now=LATER)
    session.commit()
    counts.append(session.scalar(select(func.count()).select_from(Event)))
    supply_information(session, request.tracking_code, pin, pins=PINS, note="ok", now=LATER)
    session.commit()
    counts.append(session.scalar(select(func.count()).select_from(Event)))
    assert counts == [1, 2, 3, 4]
