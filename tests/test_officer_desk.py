"""The MPP officer's desk (/petugas): a staff page that is not wiped when idle, where an officer
sees the calls from kiosks, longest waiting first, and answers one; the administrators' kiosks
page answers through the same views."""

import pytest
from sqlalchemy import select

from services.kiosks.calls import CallState, kiosk_call_state, raise_officer_call
from services.models import OfficerCall, Role
from tests.builders import login, make_user
from tests.builders.printing import make_kiosk


@pytest.fixture
def calling_kiosk(app_session):
    kiosk = make_kiosk(app_session, "KIOSK-MPP-07")
    raise_officer_call(app_session, kiosk)
    app_session.commit()
    return kiosk


def test_an_officer_signs_in_to_the_desk_and_answers_a_kiosks_call(client, app_session,
                                                                    calling_kiosk):
    make_user(app_session, "officer.mpp", Role.OFFICER)
    assert login(client, "officer.mpp").headers["Location"].endswith("/petugas/")
    desk = client.get("/petugas/").get_data(as_text=True)
    assert "Kios KIOSK-MPP-07" in desk and "Saya datang" in desk
    assert 'data-calls-url="/petugas/panggilan"' in desk  # re-read by officer_calls.js
    call = app_session.scalar(select(OfficerCall))
    listed = client.get("/petugas/panggilan").get_data(as_text=True)
    assert f"/petugas/panggilan/{call.id}/ack" in listed
    answered = client.post(f"/petugas/panggilan/{call.id}/ack")
    assert answered.status_code == 302 and answered.headers["Location"].endswith("/petugas/")
    app_session.expire_all()
    assert kiosk_call_state(app_session, calling_kiosk) is CallState.COMING
    assert "Tidak ada panggilan dari kios." in client.get("/petugas/panggilan").get_data(
        as_text=True)


@pytest.mark.parametrize(("role", "status"), [(Role.ADMIN, 200), (Role.CLERK, 403),
                                              (Role.COORDINATOR, 403), (Role.LEADERSHIP, 403)])
def test_the_desk_is_for_officers_and_administrators(client, app_session, calling_kiosk, role,
                                                     status):
    make_user(app_session, "someone", role, agency=None if role is Role.LEADERSHIP else "DINKES")
    assert client.get("/petugas/").status_code == 302  # not signed in: to the sign-in page
    login(client, "someone")
    assert client.get("/petugas/").status_code == status
    assert client.get("/petugas/panggilan").status_code == status
    call = app_session.scalar(select(OfficerCall))
    client.post(f"/petugas/panggilan/{call.id}/ack")
    app_session.expire_all()
    answered = app_session.get(OfficerCall, call.id).acknowledged_at is not None
    assert answered is (status == 200)


def test_the_kiosks_page_answers_calls_through_the_same_views(client, app_session,
                                                               calling_kiosk):
    make_user(app_session, "admin", Role.ADMIN)
    login(client, "admin")
    call = app_session.scalar(select(OfficerCall))
    assert f"/admin/kiosks/calls/{call.id}/ack" in client.get("/admin/kiosks/calls").get_data(
        as_text=True)
    answered = client.post(f"/admin/kiosks/calls/{call.id}/ack")
    assert answered.headers["Location"].endswith("/admin/kiosks")
    app_session.expire_all()
    assert kiosk_call_state(app_session, calling_kiosk) is CallState.COMING
