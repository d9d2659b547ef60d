"""SLA clocks: stopped while the citizen is asked, resumed with deadlines moved, extended by a
supervisor, and the overdue sweep's escalations."""

from datetime import UTC, datetime, timedelta

import pytest

from services.errors import NotAllowed, ValidationFailed
from services.models import Holiday
from services.timeline import citizen_timeline
from services.workflow.citizen import supply_information
from services.workflow.sla import extend_deadline, sweep_overdue
from services.workflow.tasks import return_for_information
from tests.builders import PINS
from tests.builders.workflow import WEDNESDAY, open_task, submit


def test_the_clock_stops_while_the_citizen_is_asked_and_deadlines_move_on_resume(session, staff):
    session.add(Holiday(day=datetime(2026, 11, 30).date(), name_id="Libur", name_en="Holiday"))
    session.commit()
    request, pin = submit(session, now=WEDNESDAY)
    task = open_task(session, request, "DPMPTSP")
    task_due, request_due = task.due_at, request.due_at
    return_for_information(session, actor=staff["clerk.dpmptsp"], task_id=task.id, note="?",
                           now=WEDNESDAY)
    session.commit()
    # Answered the next Tuesday: Thursday, Friday and Tuesday are lost (Monday is a holiday).
    tuesday = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    supply_information(session, request.tracking_code, pin, pins=PINS, note="ini datanya", now=tuesday)
    session.commit()
    assert request.events[-1].data["clock_stopped_days"] == 3
    # Fri 27 Nov + 3 working days, Monday 30 a holiday: Thu 3 Dec.
    assert task.due_at == datetime(2026, 12, 3, 16, 59, 59, tzinfo=UTC)
    assert task_due == datetime(2026, 11, 27, 16, 59, 59, tzinfo=UTC)
    assert request.due_at > request_due
    kinds = [entry.kind for entry in citizen_timeline(request, "en")]
    assert kinds == ["submitted", "information_requested", "information_supplied"]


def test_a_supervisor_extends_a_deadline_with_a_reason(session, staff):
    request, _ = submit(session)
    task = open_task(session, request, "DPMPTSP")
    with pytest.raises(NotAllowed):
        extend_deadline(session, actor=staff["clerk.dpmptsp"], task_id=task.id, days=2,
                        reason="banjir")
    with pytest.raises(ValidationFailed):
        extend_deadline(session, actor=staff["spv.dpmptsp"], task_id=task.id, days=2, reason="")
    extend_deadline(session, actor=staff["spv.dpmptsp"], task_id=task.id, days=2,
                    reason="Menunggu hasil survei lapangan", now=WEDNESDAY)
    session.commit()
    assert task.due_at == datetime(2026, 12, 1, 16, 59, 59, tzinfo=UTC)  # Fri + 2 = Tue
    entry = citizen_timeline(request, "id")[-1]
    assert entry.kind == "deadline_extended" and entry.note == "Menunggu hasil survei lapangan"


def test_the_sweep_escalates_each_overdue_task_once_and_not_waiting_ones(session, staff):
    late, _ = submit(session, now=WEDNESDAY)
    waiting, _ = submit(session, now=WEDNESDAY)
    return_for_information(session, actor=staff["clerk.dpmptsp"],
                           task_id=open_task(session, waiting, "DPMPTSP").id, note="?",
                           now=WEDNESDAY)
    on_time, _ = submit(session, now=WEDNESDAY + timedelta(days=7))
    session.commit()
    week_later = WEDNESDAY + timedelta(days=7, hours=1)
    escalated = sweep_overdue(session, now=week_later)
    session.commit()
    assert [t.request_id for t in escalated.tasks] == [late.id]
    assert escalated.tasks[0].overdue_since == week_later
    assert late.events[-1].kind == "task_escalated" and late.events[-1].data["internal"]
    assert "task_escalated" not in [e.kind for e in citizen_timeline(late, "id")]
    again = sweep_overdue(session, now=week_later + timedelta(hours=1))
    assert (again.tasks, again.requests) == ([], [])
    assert on_time.events[-1].kind == "submitted"


def test_the_sweep_escalates_a_request_past_its_overall_deadline_once(session, staff):
    request, _ = submit(session, now=WEDNESDAY)  # 5 working days: due Wednesday 2 December
    task = open_task(session, request, "DPMPTSP")
    extend_deadline(session, actor=staff["spv.dpmptsp"], task_id=task.id, days=1, reason="x",
                    now=WEDNESDAY)
    session.commit()
    assert request.due_at == datetime(2026, 12, 3, 16, 59, 59, tzinfo=UTC)
    thursday = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert sweep_overdue(session, now=thursday).requests == []
    friday = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    assert sweep_overdue(session, now=friday).requests == [request]
    session.commit()
    assert [e.kind for e in request.events][-2:] == ["task_escalated", "request_overdue"]
    assert sweep_overdue(session, now=friday + timedelta(days=1)).requests == []


def test_a_business_permit_step_past_its_sla_is_recorded_as_deemed_approved(session, staff, worded):
    request, _ = submit(session, now=WEDNESDAY)
    task = open_task(session, request, "DPMPTSP")
    task.step.deemed_approval = True
    plain, _ = submit(session, "SKTM", now=WEDNESDAY)  # a step without deemed approval
    session.commit()
    later = max(task.due_at, open_task(session, plain, "KEC-UTARA").due_at) + timedelta(minutes=1)
    sweep_overdue(session, now=later)
    sweep_overdue(session, now=later + timedelta(days=1))  # once only
    session.commit()
    deemed = [e for e in request.events if e.kind == "deemed_approved"]
    assert len(deemed) == 1 and not deemed[0].data.get("internal")
    assert deemed[0].data["due_at"] == task.due_at.isoformat()
    assert "dianggap disetujui (PP 28/2025)" in worded(citizen_timeline(request, "id")[-1], "id")
    assert not [e for e in plain.events if e.kind == "deemed_approved"]
