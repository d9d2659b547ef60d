"""The complaint status table, case by case."""

import pytest

from services.complaints.transitions import (
    AGENCY_ACTIONS,
    CITIZEN_ACTIONS,
    COORDINATOR_ACTIONS,
    TRANSITIONS,
    available_actions,
    can_publish,
    status_after,
)
from services.errors import InvalidTransition
from services.models import ComplaintStatus as S

CASES = [
    (S.SUBMITTED, "forward", False, S.FORWARDED),
    (S.FORWARDED, "forward", False, S.FORWARDED),
    (S.SUBMITTED, "decline", False, S.DECLINED),
    (S.FORWARDED, "answer", False, S.FORWARDED),
    (S.FORWARDED, "answer", True, S.ANSWERED),
    (S.FORWARDED, "send_back", False, S.FORWARDED),
    (S.ANSWERED, "send_back", False, S.FORWARDED),
    (S.ANSWERED, "rate_resolved", False, S.RESOLVED),
    (S.ANSWERED, "rate_unresolved", False, S.REOPEN_REQUESTED),
    (S.REOPEN_REQUESTED, "reopen", False, S.FORWARDED),
    (S.REOPEN_REQUESTED, "close", False, S.CLOSED),
    (S.ANSWERED, "expire", False, S.CLOSED_UNCONFIRMED),
]


@pytest.mark.parametrize(("current", "action", "all_answered", "expected"), CASES)
def test_allowed_action_moves_to_its_status(current, action, all_answered, expected):
    assert status_after(current, action, all_answered=all_answered) is expected


REFUSED = [
    (S.SUBMITTED, "answer"),  # no agency has it before the coordinator forwards it
    (S.SUBMITTED, "rate_resolved"),
    (S.FORWARDED, "rate_resolved"),  # answered by some agencies is not answered
    (S.FORWARDED, "expire"),
    (S.ANSWERED, "answer"),
    (S.ANSWERED, "decline"),
    (S.REOPEN_REQUESTED, "rate_resolved"),
    (S.RESOLVED, "reopen"),
    (S.RESOLVED, "send_back"),
    (S.CLOSED, "forward"),
    (S.CLOSED_UNCONFIRMED, "rate_resolved"),  # too late: it closed without confirmation
    (S.DECLINED, "forward"),
]


@pytest.mark.parametrize(("current", "action"), REFUSED)
def test_other_actions_are_refused(current, action):
    with pytest.raises(InvalidTransition):
        status_after(current, action)


def test_every_pair_outside_the_table_is_refused():
    actions = {action for action, _ in TRANSITIONS}
    for status in S:
        for action in actions:
            if (action, status) not in TRANSITIONS:
                with pytest.raises(InvalidTransition):
                    status_after(status, action)


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        status_after(S.SUBMITTED, "approve")


def test_only_the_citizen_makes_a_complaint_resolved():
    makers = {action for (action, _), target in TRANSITIONS.items() if target is S.RESOLVED}
    assert makers == {"rate_resolved"} and makers <= CITIZEN_ACTIONS
    assert not any(status_after(S.FORWARDED, a, all_answered=True) is S.RESOLVED
                   for a in AGENCY_ACTIONS)


def test_actions_each_party_sees():
    assert available_actions(S.SUBMITTED, COORDINATOR_ACTIONS) == {"forward", "decline"}
    assert available_actions(S.ANSWERED, COORDINATOR_ACTIONS) == {"send_back"}
    assert available_actions(S.REOPEN_REQUESTED, COORDINATOR_ACTIONS) == {"reopen", "close"}
    assert available_actions(S.RESOLVED) == frozenset()


@pytest.mark.parametrize(("status", "allowed"), [(S.SUBMITTED, False), (S.FORWARDED, True),
                                                 (S.ANSWERED, True), (S.CLOSED, True)])
def test_publishing_waits_for_verification(status, allowed):
    assert can_publish(status) is allowed
