"""A return for information lets the citizen change only the answers the clerk named; a changed
answer that decides routing re-routes the request through the same routing code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.catalog.cache import step_plan
from services.errors import ValidationFailed
from services.models import RequestStatus, Task, TaskStatus
from services.timeline import citizen_timeline
from services.workflow.citizen import supply_information
from services.workflow.queues import claim_next_task
from services.workflow.routing import routing_plan
from services.workflow.tasks import approve_task, return_for_information
from tests.builders import PINS, login
from tests.builders.workflow import WEDNESDAY, make_city, open_task, submit

LATER = WEDNESDAY + timedelta(hours=2)


def returned(session, staff, request, agency, fields):
    task = open_task(session, request, agency)
    return_for_information(session, actor=staff[f"clerk.{agency.lower()}"], task_id=task.id,
                           note="Mohon diperbaiki", fields=fields, now=LATER)
    session.commit()
    return task


def tasks_by_agency(session, request):
    session.expire_all()
    return {(t.agency.code, t.status) for t in
            session.scalars(select(Task).where(Task.request_id == request.id))}


def test_an_answer_the_clerk_did_not_name_is_refused_and_nothing_changes(session, staff):
    request, pin = submit(session, floor_area=750, purpose="gudang")
    returned(session, staff, request, "DPMPTSP", ["purpose"])
    with pytest.raises(ValidationFailed) as refused:
        supply_information(session, request.tracking_code, pin, pins=PINS,
                           answers={"floor_area": 120, "purpose": "toko"}, now=LATER)
    assert list(refused.value.fields) == ["floor_area"]
    assert refused.value.fields["floor_area"].params == {"asked": "purpose"}
    session.rollback()
    session.expire_all()
    assert request.answers["floor_area"] == 750 and request.status is RequestStatus.NEEDS_INFO


def test_when_no_answer_was_named_only_a_note_may_be_given(session, staff):
    request, pin = submit(session)
    returned(session, staff, request, "DPMPTSP", [])
    with pytest.raises(ValidationFailed) as refused:
        supply_information(session, request.tracking_code, pin, pins=PINS, answers={"floor_area": 9})
    assert "floor_area" in refused.value.fields
    session.rollback()
    supply_information(session, request.tracking_code, pin, pins=PINS, note="Berkas sudah saya bawa",
                       now=LATER)
    session.commit()
    assert request.status is RequestStatus.IN_PROGRESS


def test_a_changed_kecamatan_moves_the_task_to_the_new_kecamatan(session, staff, worded):
    request, pin = submit(session, "SKTM", kecamatan="utara")
    old = returned(session, staff, request, "KEC-UTARA", ["kecamatan"])
    deadline = old.due_at
    supply_information(session, request.tracking_code, pin, pins=PINS, answers={"kecamatan": "selatan"},
                       note="Saya salah pilih", now=LATER)
    session.commit()
    assert tasks_by_agency(session, request) == {("KEC-UTARA", TaskStatus.SKIPPED),
                                                  ("KEC-SELATAN", TaskStatus.READY)}
    assert claim_next_task(session, actor=staff["clerk.kec-utara"], now=LATER) is None
    moved = claim_next_task(session, actor=staff["clerk.kec-selatan"], now=LATER)
    assert moved.request_id == request.id and moved.due_at == deadline
    event = [e for e in request.events if e.kind in ("request_rerouted",
                                                     "information_supplied")][-1]
    assert event.kind == "request_rerouted" and event.data["changed"] == ["kecamatan"]
    assert event.data["moves"] == [{"step": old.step_id, "from": "KEC-UTARA",
                                    "to": "KEC-SELATAN"}]
    assert any("dialihkan" in text for text in worded(citizen_timeline(request, "id"), "id"))


def floor_area_corrected(session, staff, before, after):
    """A PBG request whose floor area the clerk asked about and the citizen corrected."""
    request, pin = submit(session, floor_area=before)
    returned(session, staff, request, "DPMPTSP", ["floor_area"])
    supply_information(session, request.tracking_code, pin, pins=PINS, answers={"floor_area": after},
                       now=LATER)
    session.commit()
    return request


def test_a_smaller_building_drops_the_technical_review_it_no_longer_needs(session, staff):
    request = floor_area_corrected(session, staff, 750, 300)
    assert ("DPUPR", TaskStatus.SKIPPED) in tasks_by_agency(session, request)
    assert ("DPUPR", TaskStatus.PENDING) not in tasks_by_agency(session, request)
    assert request.events[-1].data["moves"][0]["to"] is None


def test_a_larger_building_gains_the_technical_review_in_its_later_stage(session, staff):
    request = floor_area_corrected(session, staff, 120, 900)
    assert ("DPUPR", TaskStatus.PENDING) in tasks_by_agency(session, request)
    approve_task(session, actor=staff["clerk.dpmptsp"],
                 task_id=open_task(session, request, "DPMPTSP").id, now=LATER)
    session.commit()
    assert ("DPUPR", TaskStatus.READY) in tasks_by_agency(session, request)


def test_a_change_that_does_not_touch_routing_moves_nothing(session, staff):
    request, pin = submit(session, floor_area=750, purpose="gudang")
    returned(session, staff, request, "DPMPTSP", ["purpose"])
    supply_information(session, request.tracking_code, pin, pins=PINS, answers={"purpose": "toko"},
                       now=LATER)
    session.commit()
    assert request.events[-1].kind == "information_supplied"
    assert ("DPMPTSP", TaskStatus.READY) in tasks_by_agency(session, request)


def test_the_routing_plan_names_each_steps_agency_and_whether_it_applies(session, staff):
    request, _ = submit(session, floor_area=750)
    steps = [step_plan(step) for step in request.service_version.steps]
    big = routing_plan(steps, {"floor_area": 750})
    small = routing_plan(steps, {"floor_area": 120})
    assert sorted(big.values()) == [(True, "DLH"), (True, "DPMPTSP"), (True, "DPMPTSP"),
                                    (True, "DPUPR")]
    assert (False, "DPUPR") in small.values()


def test_the_api_refuses_an_answer_that_was_not_asked_for(client, app_session):
    staff = make_city(app_session)
    request, pin = submit(app_session, "SKTM", kecamatan="utara")
    returned(app_session, staff, request, "KEC-UTARA", [])
    response = client.post(f"/api/v1/requests/{request.tracking_code}/information",
                           json={"pin": pin, "answers": {"kecamatan": "selatan"}})
    assert response.status_code == 422
    assert "kecamatan" in response.get_json()["error"]["fields"]


def test_the_clerk_names_the_answers_on_the_return_form(client, app_session):
    staff = make_city(app_session)
    request, _ = submit(app_session, "SKTM", kecamatan="utara")
    task = open_task(app_session, request, "KEC-UTARA").id
    app_session.commit()
    login(client, "clerk.kec-utara")
    client.post(f"/clerk/tasks/{task}/return", data={"note": "Kecamatan?",
                                                     "fields": ["kecamatan"]})
    app_session.expire_all()
    assert request.events[-1].data["fields"] == ["kecamatan"]
    assert staff  # the city's staff exist
