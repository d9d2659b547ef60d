"""Random sequences of clerk and citizen actions keep the workflow sound: the request status
never leaves the table, every change leaves exactly one event, and tasks agree with it."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import delete, func, select

from services.db import utcnow
from services.errors import DomainError
from services.models import (
    Event,
    IssuedDocument,
    RequestStatus,
    ServiceRequest,
    Task,
    TaskOutcome,
    TaskStatus,
)
from services.workflow.citizen import supply_information
from services.workflow.queues import claim_next_task, reassign_task, release_task
from services.workflow.sla import extend_deadline, sweep_overdue
from services.workflow.tasks import (
    approve_task,
    complete_request,
    forward_task,
    reject_task,
    return_for_information,
)
from services.workflow.transitions import ALLOWED
from tests.builders import PINS
from tests.builders.workflow import make_city, submit

S, T = RequestStatus, TaskStatus
CLERKS = ["clerk.dpmptsp", "clerk2.dpmptsp", "clerk.dpupr", "clerk.dlh", "clerk.kec-utara",
          "clerk.kec-selatan", "spv.dpmptsp", "spv.dlh"]
ACTIONS = ["approve", "approve", "reject", "return", "forward", "release"]
OPEN_TASKS = {T.READY, T.CLAIMED, T.WAITING, T.PENDING}


def make_machine(session, staff, seen: set):  # type: ignore[no-untyped-def]
    class Workflow(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            for model in (IssuedDocument, Event, Task, ServiceRequest):
                session.execute(delete(model))
            session.commit()
            self.requests: list[tuple[int, str, str]] = []
            for service, answers in (("PBG", {"floor_area": 750}), ("PBG", {"floor_area": 90}),
                                     ("SKTM", {"kecamatan": "selatan"})):
                request, pin = submit(session, service, now=utcnow(), **answers)
                self.requests.append((request.id, request.tracking_code, pin))

        def snapshot(self) -> dict[int, tuple[S, int]]:
            session.expire_all()
            return {
                rid: (session.get(ServiceRequest, rid).status,
                      session.scalar(select(func.count()).select_from(Event)
                                     .where(Event.request_id == rid)))
                for rid, _, _ in self.requests
            }

        def attempt(self, change) -> None:  # type: ignore[no-untyped-def]
            """Run one use case; a refusal changes nothing, a success leaves one event on the
            request it changed (the sweep: one per escalated task)."""
            before = self.snapshot()
            try:
                changed = change()
            except DomainError:
                session.rollback()
                assert self.snapshot() == before
                return
            session.commit()
            after = self.snapshot()
            expected_new = dict.fromkeys(before, 0)
            for request_id in changed:
                expected_new[request_id] += 1
            for rid, (status, events) in after.items():
                old_status, old_events = before[rid]
                assert events - old_events == expected_new[rid]
                assert status is old_status or status in ALLOWED[old_status]
                if events > old_events:
                    last = session.scalar(select(Event).where(Event.request_id == rid)
                                          .order_by(Event.id.desc()).limit(1))
                    assert (last.from_status, last.to_status) == (old_status, status)
                else:
                    assert status is old_status

        def clerk_for(self, index: int, clerk: str, own: bool) -> str:
            """Mostly a clerk of the agency holding the request's open task, sometimes not."""
            tasks = session.scalars(select(Task).where(Task.request_id == self.requests[index][0])
                                    .where(Task.status.in_((T.READY, T.CLAIMED, T.WAITING)))
                                    .order_by(Task.id)).all()
            if own and tasks:
                holders = [name for name in CLERKS if staff[name].agency_id == tasks[0].agency_id]
                return holders[len(clerk) % len(holders)]
            return clerk

        def task_for(self, index: int, clerk: str) -> int:
            rid = self.requests[index][0]
            agency = staff[clerk].agency_id
            tasks = session.scalars(select(Task).where(Task.request_id == rid)
                                    .order_by(Task.id)).all()
            mine = [t for t in tasks if t.agency_id == agency and t.status in OPEN_TASKS]
            return (mine or tasks)[0].id

        @rule(clerk=st.sampled_from(CLERKS))
        def claim_next(self, clerk: str) -> None:
            def change():  # type: ignore[no-untyped-def]
                task = claim_next_task(session, actor=staff[clerk])
                return [task.request_id] if task else []
            self.attempt(change)

        @rule(index=st.integers(0, 2), clerk=st.sampled_from(CLERKS),
              action=st.sampled_from(ACTIONS), own=st.integers(0, 4).map(bool))
        def act(self, index: int, clerk: str, action: str, own: bool) -> None:
            clerk = self.clerk_for(index, clerk, own)
            task_id, actor = self.task_for(index, clerk), staff[clerk]
            rid = self.requests[index][0]

            def change():  # type: ignore[no-untyped-def]
                if action == "approve":
                    approve_task(session, actor=actor, task_id=task_id)
                elif action == "reject":
                    reject_task(session, actor=actor, task_id=task_id, reason="tidak lengkap")
                elif action == "return":
                    return_for_information(session, actor=actor, task_id=task_id, note="?")
                elif action == "forward":
                    forward_task(session, actor=actor, task_id=task_id, to_agency="DPUPR")
                else:
                    release_task(session, actor=actor, task_id=task_id)
                return [rid]
            self.attempt(change)

        @rule(index=st.integers(0, 2), right_pin=st.booleans())
        def citizen_answers(self, index: int, right_pin: bool) -> None:
            rid, code, pin = self.requests[index]
            wrong = "000000" if pin != "000000" else "111111"

            def change():  # type: ignore[no-untyped-def]
                supply_information(session, code, pin if right_pin else wrong, pins=PINS, note="sudah")
                return [rid]
            self.attempt(change)

        @rule(index=st.integers(0, 2), clerk=st.sampled_from(CLERKS))
        def hand_over(self, index: int, clerk: str) -> None:
            clerk = self.clerk_for(index, clerk, True) if clerk.startswith("spv") else clerk
            rid, code, _ = self.requests[index]

            def change():  # type: ignore[no-untyped-def]
                complete_request(session, actor=staff[clerk], tracking_code=code)
                return [rid]
            self.attempt(change)

        @rule(index=st.integers(0, 2), supervisor=st.sampled_from(["spv.dpmptsp", "spv.dlh"]),
              to=st.sampled_from(["clerk.dpmptsp", "clerk2.dpmptsp", "clerk.dlh"]))
        def supervise(self, index: int, supervisor: str, to: str) -> None:
            task_id, rid = self.task_for(index, supervisor), self.requests[index][0]

            def change():  # type: ignore[no-untyped-def]
                reassign_task(session, actor=staff[supervisor], task_id=task_id,
                              to_user_id=staff[to].id)
                return [rid]
            self.attempt(change)

        @rule(index=st.integers(0, 2), days=st.integers(0, 3))
        def extend(self, index: int, days: int) -> None:
            task_id, rid = self.task_for(index, "spv.dpmptsp"), self.requests[index][0]

            def change():  # type: ignore[no-untyped-def]
                extend_deadline(session, actor=staff["spv.dpmptsp"], task_id=task_id,
                                days=days, reason="beban kerja")
                return [rid]
            self.attempt(change)

        @rule(days_later=st.integers(0, 30))
        def sweep(self, days_later: int) -> None:
            def change():  # type: ignore[no-untyped-def]
                now = utcnow() + timedelta(days=days_later)
                return sweep_overdue(session, now=now).request_ids
            self.attempt(change)

        @invariant()
        def tasks_agree_with_the_request(self) -> None:
            session.expire_all()
            for rid, _, _ in self.requests:
                request = session.get(ServiceRequest, rid)
                seen.add(request.status)
                states = [t.status for t in request.tasks]
                waiting = states.count(T.WAITING)
                working = [t for t in request.tasks if t.status in (T.READY, T.CLAIMED)]
                assert all((t.status is T.CLAIMED) == (t.claimed_by_id is not None)
                           for t in working)
                has_document = session.scalar(select(IssuedDocument.id)
                                              .where(IssuedDocument.request_id == rid))
                assert (has_document is not None) == (request.status in (S.APPROVED,
                                                                          S.COMPLETED))
                if request.status is S.NEEDS_INFO:
                    assert waiting == 1 and request.clock_stopped_at is not None
                else:
                    assert waiting == 0 and request.clock_stopped_at is None
                if request.status in (S.SUBMITTED, S.IN_PROGRESS):
                    # exactly one stage is open: the lowest one with work left
                    open_stages = {t.stage for t in working}
                    assert len(open_stages) == 1
                    assert open_stages == {min(t.stage for t in request.tasks
                                               if t.status in OPEN_TASKS)}
                if request.status in (S.APPROVED, S.COMPLETED, S.REJECTED):
                    assert not any(state in OPEN_TASKS for state in states)
                    outcomes = [t.outcome for t in request.tasks if t.status is T.DONE]
                    assert (TaskOutcome.REJECTED in outcomes) == (request.status is S.REJECTED)
                if request.status is S.SUBMITTED:
                    assert not any(t.status is T.DONE or t.claimed_by_id for t in request.tasks)

    return Workflow


@pytest.mark.slow
def test_random_clerk_and_citizen_actions_keep_the_workflow_sound(session, monkeypatch):
    staff = make_city(session)
    seen: set[RequestStatus] = set()
    run_state_machine_as_test(
        make_machine(session, staff, seen),
        settings=settings(max_examples=30, stateful_step_count=40, deadline=None,
                          suppress_health_check=list(HealthCheck), database=None,
                          derandomize=True),
    )
    # The random walks did reach the interesting places.
    assert {S.IN_PROGRESS, S.NEEDS_INFO, S.REJECTED, S.APPROVED} <= seen, seen
