"""The task status table and who may take which action on a task: pure, no database."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.errors import Conflict, InvalidTransition, NotAllowed
from services.models import Agency, Role, ServiceRequest, Task, User, WorkflowStep
from services.models import RequestStatus as S
from services.models import TaskStatus as T
from services.workflow.actions import available_actions, refusal, request_actions
from services.workflow.transitions import (
    FINISHED_TASK_STATUSES,
    OPEN_TASK_STATUSES,
    TASK_ALLOWED,
    UNFINISHED_TASK_STATUSES,
    Action,
    move_task,
    next_task_status,
    task_overdue,
)

A = Action
CLERK, OTHER_CLERK, SUPERVISOR = 1, 2, 3
DUE = datetime(2027, 1, 4, 16, 59, 59, tzinfo=UTC)
DECIDE = {A.APPROVE, A.RETURN, A.FORWARD, A.REJECT}


def staff(user_id: int, role: Role = Role.CLERK, agency_id: int = 10,
          active: bool = True) -> User:
    return User(id=user_id, role=role, agency_id=agency_id, active=active, full_name="x")


def task(status: T, holder: int | None = None, forward_to: tuple[str, ...] = ("DPUPR",),
         due: datetime | None = DUE) -> Task:
    return Task(status=status, claimed_by_id=holder, agency_id=10, due_at=due,
                agency=Agency(code="DPMPTSP"), step=WorkflowStep(forward_to=list(forward_to)))


def request(status: S = S.IN_PROGRESS) -> ServiceRequest:
    return ServiceRequest(status=status)


@pytest.mark.parametrize(("current", "target"), [
    (T.PENDING, T.READY), (T.READY, T.CLAIMED), (T.CLAIMED, T.READY), (T.CLAIMED, T.CLAIMED),
    (T.READY, T.DONE), (T.CLAIMED, T.WAITING), (T.WAITING, T.READY), (T.WAITING, T.SKIPPED),
    (T.PENDING, T.SKIPPED),
])
def test_the_task_table_allows_the_workflow_moves(current, target):
    assert next_task_status(current, target) is target


@pytest.mark.parametrize(("current", "target"), [
    (T.DONE, T.READY), (T.SKIPPED, T.READY), (T.PENDING, T.CLAIMED), (T.WAITING, T.DONE),
    (T.PENDING, T.DONE), (T.READY, T.PENDING), (T.WAITING, T.CLAIMED),
])
def test_a_task_move_the_table_forbids_is_an_invalid_transition_and_changes_nothing(current,
                                                                                   target):
    moved = task(current)
    with pytest.raises(InvalidTransition):
        move_task(moved, target)
    assert moved.status is current


def test_finished_tasks_never_move_and_the_named_sets_cover_every_status():
    assert all(not TASK_ALLOWED[status] for status in FINISHED_TASK_STATUSES)
    assert frozenset(T) == UNFINISHED_TASK_STATUSES | FINISHED_TASK_STATUSES
    assert UNFINISHED_TASK_STATUSES - {T.PENDING} == OPEN_TASK_STATUSES


@pytest.mark.parametrize(("the_task", "the_request", "actor", "expected"), [
    # A ready task: any clerk of its agency may claim it or decide it straight away.
    (task(T.READY), request(), staff(CLERK), {A.CLAIM} | DECIDE),
    (task(T.READY), request(S.SUBMITTED), staff(CLERK), {A.CLAIM} | DECIDE),
    # Held by the clerk: decide or put back; held by another: nothing for a clerk.
    (task(T.CLAIMED, CLERK), request(), staff(CLERK), DECIDE | {A.RELEASE}),
    (task(T.CLAIMED, OTHER_CLERK), request(), staff(CLERK), set()),
    # A supervisor may take back, hand over or extend another clerk's task, not decide it.
    (task(T.CLAIMED, OTHER_CLERK), request(), staff(SUPERVISOR, Role.SUPERVISOR),
     {A.RELEASE, A.REASSIGN, A.EXTEND}),
    (task(T.READY), request(), staff(SUPERVISOR, Role.SUPERVISOR),
     {A.CLAIM, A.REASSIGN, A.EXTEND} | DECIDE),
    # Returned to the citizen: only the deadline can move.
    (task(T.WAITING, CLERK), request(S.NEEDS_INFO), staff(CLERK), set()),
    (task(T.WAITING, CLERK), request(S.NEEDS_INFO), staff(SUPERVISOR, Role.SUPERVISOR),
     {A.EXTEND}),
    # A ready sibling of a returned task waits with its request; a held one can be put back.
    (task(T.READY), request(S.NEEDS_INFO), staff(CLERK), set()),
    (task(T.CLAIMED, CLERK), request(S.NEEDS_INFO), staff(CLERK), {A.RELEASE}),
    # A step without forwarding targets cannot be forwarded.
    (task(T.READY, forward_to=("DPMPTSP",)), request(), staff(CLERK), {A.CLAIM, A.APPROVE,
                                                                       A.RETURN, A.REJECT}),
    # Finished work and closed requests offer nothing.
    (task(T.DONE, CLERK), request(S.APPROVED), staff(CLERK), set()),
    (task(T.PENDING), request(), staff(SUPERVISOR, Role.SUPERVISOR), set()),
    (task(T.READY), request(S.REJECTED), staff(CLERK), set()),
    # Someone who does not work this agency's queue may do nothing.
    (task(T.READY), request(), staff(CLERK, agency_id=11), set()),
    (task(T.READY), request(), staff(CLERK, active=False), set()),
    (task(T.READY), request(), staff(CLERK, Role.ADMIN), set()),
])
def test_the_actions_available_on_a_task(the_task, the_request, actor, expected):
    assert available_actions(the_task, the_request, actor) == frozenset(expected)


@pytest.mark.parametrize(("the_task", "the_request", "actor", "action", "error"), [
    (task(T.CLAIMED, OTHER_CLERK), request(), staff(CLERK), A.APPROVE, Conflict),
    (task(T.CLAIMED, OTHER_CLERK), request(), staff(CLERK), A.CLAIM, Conflict),
    (task(T.READY), request(S.NEEDS_INFO), staff(CLERK), A.REJECT, InvalidTransition),
    (task(T.WAITING), request(), staff(CLERK), A.RETURN, InvalidTransition),
    (task(T.READY), request(), staff(CLERK), A.RELEASE, InvalidTransition),
    (task(T.CLAIMED, OTHER_CLERK), request(), staff(CLERK), A.RELEASE, NotAllowed),
    (task(T.READY), request(), staff(CLERK), A.REASSIGN, NotAllowed),
    (task(T.READY), request(), staff(CLERK), A.EXTEND, NotAllowed),
    (task(T.READY, due=None), request(), staff(SUPERVISOR, Role.SUPERVISOR), A.EXTEND,
     InvalidTransition),
    (task(T.READY), request(), staff(CLERK), A.SUPPLY, NotAllowed),
])
def test_a_refused_action_says_why_with_the_error_the_use_case_raises(the_task, the_request,
                                                                     actor, action, error):
    assert isinstance(refusal(the_task, the_request, actor, action), error)


def test_every_available_action_has_no_refusal_and_every_other_one_has():
    for status in T:
        for request_status in S:
            for holder in (None, CLERK, OTHER_CLERK):
                for actor in (staff(CLERK), staff(SUPERVISOR, Role.SUPERVISOR)):
                    the_task, the_request = task(status, holder), request(request_status)
                    available = available_actions(the_task, the_request, actor)
                    for action in Action:
                        refused = refusal(the_task, the_request, actor, action)
                        assert (refused is None) == (action in available)


@pytest.mark.parametrize(("status", "expected"), [
    (S.APPROVED, {A.COMPLETE}), (S.IN_PROGRESS, set()), (S.COMPLETED, set()),
])
def test_the_product_can_be_handed_over_only_once_the_request_is_approved(status, expected):
    assert request_actions(request(status), staff(CLERK)) == frozenset(expected)


def test_no_module_but_the_task_table_assigns_a_task_status():
    root = Path(__file__).resolve().parent.parent / "services"
    assigning = re.compile(r"\.status\s*=\s*TaskStatus\.|\.status,.*=\s*TaskStatus\.")
    offenders = [f"{path.relative_to(root)}:{number}"
                 for path in root.rglob("*.py") if path.name != "transitions.py"
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if assigning.search(line)]
    assert offenders == []


@pytest.mark.parametrize(("status", "due", "late"), [
    (T.READY, DUE, True), (T.CLAIMED, DUE, True), (T.WAITING, DUE, False), (T.DONE, DUE, False),
    (T.READY, None, False), (T.READY, DUE.replace(year=2028), False),
])
def test_a_task_is_late_only_while_it_can_be_worked_on_past_its_deadline(status, due, late):
    assert task_overdue(task(status, due=due), DUE.replace(day=5)) is late
