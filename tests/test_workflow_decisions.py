"""Pure decisions of the workflow and working-day arithmetic, as tables of cases."""

from datetime import UTC, date, datetime

import pytest

from services.errors import InvalidTransition
from services.models import RequestStatus as S
from services.models import TaskStatus as T
from services.workflow.transitions import ALLOWED, next_stage, stage_finished, status_after
from services.working_days import (
    add_working_days,
    due_at,
    shift_due_at,
    stopped_working_days,
    working_days_between,
)

TZ = "Asia/Jakarta"
NEW_YEAR = date(2027, 1, 1)  # a Friday
HOLIDAYS = {NEW_YEAR, date(2026, 12, 25)}  # Christmas 2026 is a Friday


@pytest.mark.parametrize(("current", "action", "finished", "expected"), [
    (S.SUBMITTED, "claim", False, S.IN_PROGRESS),
    (S.IN_PROGRESS, "claim", False, S.IN_PROGRESS),
    (S.SUBMITTED, "approve", False, S.IN_PROGRESS),
    (S.SUBMITTED, "approve", True, S.APPROVED),
    (S.IN_PROGRESS, "approve", True, S.APPROVED),
    (S.IN_PROGRESS, "reject", False, S.REJECTED),
    (S.SUBMITTED, "return", False, S.NEEDS_INFO),
    (S.NEEDS_INFO, "supply", False, S.IN_PROGRESS),
    (S.SUBMITTED, "forward", False, S.IN_PROGRESS),
    (S.APPROVED, "complete", False, S.COMPLETED),
])
def test_the_request_status_after_an_action(current, action, finished, expected):
    assert status_after(current, action, request_finished=finished) is expected


@pytest.mark.parametrize(("current", "action"), [
    (S.NEEDS_INFO, "reject"), (S.NEEDS_INFO, "approve"), (S.REJECTED, "approve"),
    (S.IN_PROGRESS, "complete"), (S.COMPLETED, "return"), (S.IN_PROGRESS, "supply"),
    (S.APPROVED, "claim"),
])
def test_an_action_the_table_forbids_is_an_invalid_transition(current, action):
    with pytest.raises(InvalidTransition):
        status_after(current, action, request_finished=True)


def test_every_decision_stays_inside_the_table():
    for current in S:
        for action in ("claim", "release", "approve", "reject", "return", "supply", "forward",
                       "complete"):
            for finished in (False, True):
                try:
                    target = status_after(current, action, request_finished=finished)
                except InvalidTransition:
                    continue
                assert target is current or target in ALLOWED[current]


@pytest.mark.parametrize(("states", "finished"), [
    ([T.DONE, T.DONE], True), ([T.DONE, T.SKIPPED], True), ([T.DONE, T.READY], False),
    ([T.DONE, T.WAITING], False), ([T.CLAIMED], False), ([], True),
])
def test_a_stage_is_finished_when_all_its_tasks_are_done_or_skipped(states, finished):
    assert stage_finished(states) is finished


@pytest.mark.parametrize(("stages", "current", "expected"), [
    ({1: [T.DONE], 2: [T.PENDING], 3: [T.PENDING]}, 1, 2),
    ({1: [T.DONE], 2: [T.SKIPPED], 3: [T.PENDING]}, 1, 3),
    ({1: [T.DONE], 2: [T.SKIPPED]}, 1, None),
    ({1: [T.DONE], 3: [T.DONE]}, 3, None),
])
def test_the_next_stage_is_the_first_later_one_with_work(stages, current, expected):
    assert next_stage(stages, current) == expected


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2026, 11, 25), 2, date(2026, 11, 27)),  # Wed + 2 = Fri
    (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Fri + 1 = Mon, over the weekend and month end
    (date(2026, 11, 28), 1, date(2026, 11, 30)),  # from a Saturday
    (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Christmas Friday and the weekend
    (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year, weekend, year end
    (date(2026, 11, 25), 0, date(2026, 11, 25)),
])
def test_working_days_skip_weekends_and_holidays(start, days, expected):
    assert add_working_days(start, days, HOLIDAYS) == expected


def test_counting_working_days_between_two_dates():
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4), HOLIDAYS) == 5
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 24), HOLIDAYS) == 0


def test_a_deadline_is_the_end_of_a_local_working_day():
    # 20:00 UTC on Thursday is already Friday 03:00 in Jakarta: counting starts on Friday.
    start = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    assert due_at(start, 1, set(), TZ) == datetime(2026, 11, 30, 16, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(("stopped", "resumed", "days"), [
    (datetime(2026, 11, 25, 2, tzinfo=UTC), datetime(2026, 11, 25, 8, tzinfo=UTC), 0),
    (datetime(2026, 11, 27, 2, tzinfo=UTC), datetime(2026, 11, 30, 2, tzinfo=UTC), 1),
    (datetime(2026, 12, 24, 2, tzinfo=UTC), datetime(2027, 1, 4, 2, tzinfo=UTC), 5),
    # Stopped on Friday 23:00 local (16:00 UTC), answered on Saturday: no working day lost.
    (datetime(2026, 11, 27, 16, tzinfo=UTC), datetime(2026, 11, 28, 3, tzinfo=UTC), 0),
])
def test_a_stopped_clock_counts_the_working_days_it_stood_still(stopped, resumed, days):
    assert stopped_working_days(stopped, resumed, HOLIDAYS, TZ) == days


def test_shifting_a_deadline_moves_it_by_working_days_across_the_month_end():
    due = datetime(2026, 11, 27, 16, 59, 59, tzinfo=UTC)  # Friday 27 Nov, end of day in Jakarta
    assert shift_due_at(due, 2, HOLIDAYS, TZ) == datetime(2026, 12, 1, 16, 59, 59, tzinfo=UTC)
    assert shift_due_at(due, 0, HOLIDAYS, TZ) == due



def test_every_event_kind_the_workflow_writes_has_citizen_wording_in_both_languages():
    from kiosk.messages import MESSAGES
    from services.timeline import PRODUCT_WORDED, WORDED_KINDS
    from services.workflow.history import EVENT_KINDS

    assert sorted(EVENT_KINDS - WORDED_KINDS) == []
    codes = {f"timeline.{kind}" for kind in WORDED_KINDS} | {"timeline.updated"} | {
        f"timeline.{product}_{kind}" for product, kinds in PRODUCT_WORDED.items()
        for kind in kinds}
    assert sorted(codes - set(MESSAGES)) == []  # tests/test_messages.py: both languages
