"""Submitting a request: validation, routing on submission, and idempotency."""

import pytest
from sqlalchemy import func, select

from services.errors import Conflict, Message, ValidationFailed
from services.models import Channel, Event, RequestStatus, ServiceRequest, Task, TaskStatus
from services.submission import Applicant, Submission, submit_request
from tests.builders import PINS, field_def, make_catalog, service_def, step_def

APPLICANT = Applicant(nik="3578014506900001", name="Siti Aminah", phone="081234567890")


def pbg_service():
    return service_def(
        "PBG",
        fields=[field_def("floor_area", type="number", constraints={"min": 1})],
        workflow=[step_def("DPMPTSP", stage=1),
                  step_def("DPUPR", stage=2,
                           condition={"field": "floor_area", "op": "gt", "value": 500}),
                  step_def("DPMPTSP", stage=3)],
    )


def submission(**changes):
    values = {"service_code": "PBG", "applicant": APPLICANT, "answers": {"floor_area": "120"},
              "channel": Channel.API, **changes}
    return Submission(**values)


def test_a_submission_creates_the_request_its_first_event_and_its_tasks(session):
    make_catalog(session, pbg_service())
    result = submit_request(session, submission(), pins=PINS)
    request = result.request
    assert result.created and len(result.pin) == 6
    assert request.status is RequestStatus.SUBMITTED
    assert request.answers == {"floor_area": 120}
    assert [e.kind for e in request.events] == ["submitted"]
    assert [(t.stage, t.agency.code, t.status) for t in request.tasks] == [
        (1, "DPMPTSP", TaskStatus.READY),
        (2, "DPUPR", TaskStatus.SKIPPED),
        (3, "DPMPTSP", TaskStatus.PENDING),
    ]
    assert request.due_at > request.created_at


def test_a_large_building_adds_the_technical_review(session):
    make_catalog(session, pbg_service())
    request = submit_request(session, submission(answers={"floor_area": "750"}),
                             pins=PINS).request
    assert [t.status for t in request.tasks if t.stage == 2] == [TaskStatus.PENDING]


def test_bad_input_names_each_field_and_creates_nothing(session):
    make_catalog(session, pbg_service())
    with pytest.raises(ValidationFailed) as raised:
        submit_request(session, submission(
            applicant=Applicant(nik="1234", name="S", phone="12345"),
            answers={"floor_area": "-3"}, language="en"), pins=PINS)
    assert raised.value.fields == {
        "applicant.nik": Message("field.nik_digits"),
        "applicant.name": Message("field.name"),
        "applicant.phone": Message("field.phone"),
        "floor_area": Message("field.min", {"limit": 1}),
    }
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


def test_a_retry_with_the_same_key_returns_the_first_request_and_pin(session):
    make_catalog(session, pbg_service())
    first = submit_request(session, submission(idempotency_key="api:k1"), pins=PINS)
    again = submit_request(session, submission(idempotency_key="api:k1"), pins=PINS)
    assert not again.created
    assert again.request.id == first.request.id and again.pin == first.pin
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 1
    assert session.scalar(select(func.count()).select_from(Event)) == 1
    assert session.scalar(select(func.count()).select_from(Task)) == 3


def test_the_same_key_with_other_answers_is_a_conflict(session):
    make_catalog(session, pbg_service())
    submit_request(session, submission(idempotency_key="api:k1"), pins=PINS)
    with pytest.raises(Conflict):
        submit_request(session, submission(idempotency_key="api:k1",
                                           answers={"floor_area": "999"}), pins=PINS)
