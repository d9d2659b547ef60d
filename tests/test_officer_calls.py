"""Calling the officer, in the domain on the migrated schema: a kiosk raises one open call at a
time, officers and administrators see how long each citizen has waited and answer it, and the
kiosk then says the officer is coming."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.db import utcnow
from services.errors import NotAllowed, NotFound
from services.kiosks.calls import (
    COMING_FOR,
    CallState,
    acknowledge_officer_call,
    call_state,
    kiosk_call_state,
    open_calls,
    raise_officer_call,
)
from services.models import AuditRecord, OfficerCall, Role
from tests.builders import make_user
from tests.kiosk_printing_support import make_kiosk


def test_a_second_tap_while_the_call_is_open_raises_no_second_call(session):
    kiosk = make_kiosk(session)
    first = raise_officer_call(session, kiosk)
    again = raise_officer_call(session, kiosk)
    session.commit()
    assert first.id == again.id
    assert session.scalars(select(OfficerCall)).all() == [first]
    assert kiosk_call_state(session, kiosk) is CallState.WAITING


def test_an_officer_sees_open_calls_longest_waiting_first_with_the_wait(session):
    officer = make_user(session, "officer.mpp", Role.OFFICER)
    now = utcnow()
    late = make_kiosk(session, "KIOSK-MPP-02")
    early = make_kiosk(session, "KIOSK-MPP-01")
    raise_officer_call(session, late, now=now - timedelta(seconds=30))
    raise_officer_call(session, early, now=now - timedelta(minutes=2, seconds=5))
    session.commit()
    calls = open_calls(session, officer, now=now)
    assert [(c.kiosk_code, c.kiosk_name, c.waited_seconds) for c in calls] == [
        ("KIOSK-MPP-01", "Kios KIOSK-MPP-01", 125), ("KIOSK-MPP-02", "Kios KIOSK-MPP-02", 30)]


def test_acknowledging_tells_the_kiosk_the_officer_is_coming_and_is_recorded(session):
    officer = make_user(session, "officer.mpp", Role.OFFICER)
    kiosk = make_kiosk(session)
    call = raise_officer_call(session, kiosk)
    session.commit()
    acknowledge_officer_call(session, call.id, officer)
    session.commit()
    assert (call.acknowledged_by_id, kiosk_call_state(session, kiosk)) == (officer.id,
                                                                          CallState.COMING)
    assert open_calls(session, officer) == []
    assert session.scalar(select(AuditRecord.action)
                          .where(AuditRecord.entity == "officer_call")) == "acknowledge_officer_call"
    # A later tap is a new call.
    assert raise_officer_call(session, kiosk).id != call.id


def test_a_second_answer_keeps_the_first_officer(session):
    first = make_user(session, "officer.mpp", Role.OFFICER)
    admin = make_user(session, "admin", Role.ADMIN)
    call = raise_officer_call(session, make_kiosk(session))
    acknowledge_officer_call(session, call.id, first)
    acknowledge_officer_call(session, call.id, admin)
    session.commit()
    assert call.acknowledged_by_id == first.id


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.COORDINATOR])
def test_only_officers_and_administrators_see_or_answer_calls(session, role):
    clerk = make_user(session, "someone", role)
    call = raise_officer_call(session, make_kiosk(session))
    session.commit()
    with pytest.raises(NotAllowed):
        open_calls(session, clerk)
    with pytest.raises(NotAllowed):
        acknowledge_officer_call(session, call.id, clerk)
    with pytest.raises(NotAllowed):
        open_calls(session, None)
    assert call.acknowledged_at is None


def test_an_inactive_officer_answers_nothing(session):
    officer = make_user(session, "officer.mpp", Role.OFFICER)
    officer.active = False
    call = raise_officer_call(session, make_kiosk(session))
    with pytest.raises(NotAllowed):
        acknowledge_officer_call(session, call.id, officer)


def test_an_unknown_call_is_not_found(session):
    officer = make_user(session, "officer.mpp", Role.OFFICER)
    for call_id in (0, 999, 2**40):
        with pytest.raises(NotFound):
            acknowledge_officer_call(session, call_id, officer)


@pytest.mark.parametrize(("acknowledged_ago", "state"), [
    (None, CallState.WAITING),
    (timedelta(seconds=5), CallState.COMING),
    (COMING_FOR - timedelta(seconds=1), CallState.COMING),
    (COMING_FOR, CallState.NONE),
])
def test_the_kiosk_says_coming_for_a_while_after_the_answer(acknowledged_ago, state):
    now = utcnow()
    call = OfficerCall(kiosk_id=1, raised_at=now - timedelta(minutes=30),
                       acknowledged_at=None if acknowledged_ago is None else now - acknowledged_ago)
    assert call_state(call, now) is state
    assert call_state(None, now) is CallState.NONE
