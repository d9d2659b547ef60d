"""Administrators keep staff accounts: list and filter, create, edit, deactivate; audited."""

from sqlalchemy import select

from services.accounts import MIN_PASSWORD_LENGTH, authenticate
from services.models import Role, User
from tests.builders import make_user
from tests.builders.admin import audit_records

NEW_CLERK = {"username": "siti", "full_name": "Siti Aminah", "role": "clerk",
             "agency_code": "DINSOS", "password": "a-long-password", "active": "y"}


def user(session, username):
    session.expire_all()
    return session.scalar(select(User).where(User.username == username))


def test_an_admin_creates_a_clerk_who_can_sign_in(admin_client, app_session):
    assert admin_client.post("/admin/users/new", data=NEW_CLERK).status_code == 302
    created = user(app_session, "siti")
    assert created.role is Role.CLERK and created.agency.code == "DINSOS"
    assert authenticate(app_session, "siti", "a-long-password").user is not None
    assert [(r.action, r.entity_key) for r in audit_records(app_session, "user")][-1] == (
        "create", "siti")


def test_a_short_password_changes_nothing_and_says_why(admin_client, app_session):
    response = admin_client.post("/admin/users/new", data={**NEW_CLERK, "password": "short"})
    assert response.status_code == 200
    assert f"{MIN_PASSWORD_LENGTH}" in response.get_data(as_text=True)
    assert user(app_session, "siti") is None


def test_a_clerk_without_an_agency_is_refused(admin_client, app_session):
    response = admin_client.post("/admin/users/new", data={**NEW_CLERK, "agency_code": ""})
    assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)
    assert user(app_session, "siti") is None


def test_the_list_filters_by_role_and_agency(admin_client, app_session):
    make_user(app_session, "clerk_dinsos", Role.CLERK, agency="DINSOS")
    make_user(app_session, "clerk_dpupr", Role.CLERK, agency="DPUPR")
    page = admin_client.get("/admin/users/?role=clerk&agency=DINSOS").get_data(as_text=True)
    assert "clerk_dinsos" in page and "clerk_dpupr" not in page and ">boss<" not in page
    page = admin_client.get("/admin/users/?role=admin").get_data(as_text=True)
    assert "boss" in page and "clerk_dinsos" not in page


def test_an_admin_edits_a_user_and_sets_a_new_password(admin_client, app_session):
    clerk = make_user(app_session, "siti", Role.CLERK, agency="DINSOS")
    response = admin_client.post(f"/admin/users/{clerk.id}/edit", data={
        **NEW_CLERK, "role": "supervisor", "password": "another-long-one"})
    assert response.status_code == 302
    edited = user(app_session, "siti")
    assert edited.role is Role.SUPERVISOR
    assert authenticate(app_session, "siti", "another-long-one").user is not None
    record = audit_records(app_session, "user")[-1]
    assert record.changes["role"] == "supervisor" and record.changes["password"] == "changed"


def test_an_edit_that_leaves_the_password_blank_keeps_it(admin_client, app_session):
    clerk = make_user(app_session, "siti", Role.CLERK, agency="DINSOS")
    admin_client.post(f"/admin/users/{clerk.id}/edit", data={**NEW_CLERK, "password": ""})
    assert authenticate(app_session, "siti", "correct-horse-battery").user is not None


def test_an_admin_deactivates_a_user_but_not_themself(admin_client, app_session):
    clerk = make_user(app_session, "siti", Role.CLERK, agency="DINSOS")
    admin_client.post(f"/admin/users/{clerk.id}/deactivate")
    assert user(app_session, "siti").active is False
    boss = user(app_session, "boss")
    admin_client.post(f"/admin/users/{boss.id}/deactivate")
    assert user(app_session, "boss").active is True
    assert [r.action for r in audit_records(app_session, "user")][-1] == "deactivate"


def test_an_admin_cannot_demote_or_deactivate_themself_by_editing(admin_client, app_session):
    boss = user(app_session, "boss")
    data = {"username": "boss", "full_name": "Boss", "role": "clerk", "agency_code": "DINSOS",
            "active": "y"}
    response = admin_client.post(f"/admin/users/{boss.id}/edit", data=data)
    assert "peran administrator Anda sendiri" in response.get_data(as_text=True)
    response = admin_client.post(f"/admin/users/{boss.id}/edit", data={
        **data, "role": "admin", "agency_code": "", "active": ""})
    assert "menonaktifkan akun Anda sendiri" in response.get_data(as_text=True)
    assert user(app_session, "boss").role is Role.ADMIN and user(app_session, "boss").active
