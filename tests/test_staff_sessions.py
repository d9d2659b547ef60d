"""Staff sessions end for real: an old cookie dies at logout, a password change and a
deactivation; an idle session expires with a clear message; a clerk whose session ended
mid-action is sent to sign in and nothing is half-done."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from kiosk.auth import STAFF_SEEN
from services.accounts import UserInput, deactivate_user, update_user
from services.models import Role, Task, TaskStatus
from tests.builders import PASSWORD, login, make_user
from tests.builders.workflow import make_city, open_task, submit

# These tests use the plain ``session`` fixture, not ``app_session``: an app context held open
# by the test would be shared by every request, and Flask-Login caches the user in it.


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """Another browser holding a copy of the old cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_cookie_copied_before_logout_is_worthless_after_it(app, client, session):
    make_user(session, "boss", Role.ADMIN)
    login(client, "boss")
    assert client.get("/admin/").status_code == 200
    stolen = cookie_of(client)
    client.post("/auth/logout")
    assert replay(app, stolen).get("/admin/").status_code == 302


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_a_password_change_or_deactivation_ends_every_session(app, client, session,
                                                              change):
    boss = make_user(session, "boss", Role.ADMIN)
    other = make_user(session, "other", Role.ADMIN)
    login(client, "other")
    stolen = cookie_of(client)
    if change == "password":
        update_user(session, other.id, UserInput(
            username="other", full_name="Other", role=Role.ADMIN,
            password="a-fresh-passphrase-77"), actor=boss)
    else:
        deactivate_user(session, other.id, actor=boss)
    session.commit()
    assert replay(app, stolen).get("/admin/").status_code == 302


def test_an_idle_staff_session_expires_with_a_clear_message(app, client, session):
    make_user(session, "boss", Role.ADMIN)
    login(client, "boss")
    with client.session_transaction() as cookie:
        cookie[STAFF_SEEN] = int(time.time()) - app.config["STAFF_IDLE_TIMEOUT_SECONDS"] - 1
    response = client.get("/admin/", follow_redirects=True)
    assert response.request.path == "/auth/login"
    assert "tidak ada aktivitas selama 30 menit" in response.get_data(as_text=True)


def test_an_active_staff_session_stays_open(app, client, session):
    make_user(session, "boss", Role.ADMIN)
    login(client, "boss")
    with client.session_transaction() as cookie:
        cookie[STAFF_SEEN] = int(time.time()) - app.config["STAFF_IDLE_TIMEOUT_SECONDS"] + 60
    assert client.get("/admin/").status_code == 200


def test_a_clerk_whose_session_expired_mid_action_changes_nothing(app, client, session):
    make_city(session)
    request, _ = submit(session)
    task_id = open_task(session, request, "DPMPTSP").id
    session.commit()
    login(client, "clerk.dpmptsp")
    assert client.get(f"/clerk/requests/{request.tracking_code}").status_code == 200
    with client.session_transaction() as cookie:  # the clerk went for lunch
        cookie[STAFF_SEEN] = int(time.time()) - app.config["STAFF_IDLE_TIMEOUT_SECONDS"] - 1
    response = client.post(f"/clerk/tasks/{task_id}/approve", data={"note": "ok"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")  # a POST is never replayed
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tidak ada yang diubah" in page
    task = session.scalar(select(Task).where(Task.id == task_id))
    assert task.status is TaskStatus.READY and task.done_at is None
    session.commit()


def test_signing_in_again_after_expiry_works(app, client, session):
    make_user(session, "boss", Role.ADMIN)
    login(client, "boss")
    with client.session_transaction() as cookie:
        cookie[STAFF_SEEN] = 0
    assert client.get("/admin/").status_code == 302
    assert login(client, "boss", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
