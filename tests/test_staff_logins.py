"""Staff sign-in under attack: lockout with backoff and address throttling kept in the database,
breached and guessable passwords refused, usernames that cannot be spoofed, ProxyFix hops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.accounts import (
    ADDRESS_FAILURES,
    LOCK_AFTER_FAILURES,
    UserInput,
    authenticate,
    create_user,
    lock_for,
)
from services.errors import ValidationFailed
from services.models import LoginFailure, Role, User
from services.passwords import normalise_username, password_problem, username_problem
from tests.builders import PASSWORD, login, make_user

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("failures", "locked_for"), [
    (0, None), (LOCK_AFTER_FAILURES - 1, None),
    (LOCK_AFTER_FAILURES, timedelta(minutes=1)),
    (LOCK_AFTER_FAILURES + 1, timedelta(minutes=2)),
    (LOCK_AFTER_FAILURES + 3, timedelta(minutes=8)),
    (LOCK_AFTER_FAILURES + 40, timedelta(hours=1)),
])
def test_an_account_locks_after_repeated_failures_for_longer_each_time(failures, locked_for):
    expected = None if locked_for is None else NOW + locked_for
    assert lock_for(failures, NOW) == expected


@pytest.mark.parametrize("password", [
    "aaaaaaaaaa", "password123", "qwertyuiop", "1234567890", "Password1!", "iloveyou12",
    "abcdefghij", "short",
])
def test_weak_breached_or_short_passwords_are_refused(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize("password", ["correct-horse-battery", "kucing-merah-lari-2026",
                                      "Tr0ub4dor&3-kopi"])
def test_long_unguessable_passwords_pass(password):
    assert password_problem(password) is None


def test_a_password_made_of_the_users_own_name_is_refused():
    assert password_problem("siti-rahayu", context=("siti", "Siti Rahayu")) is not None


@pytest.mark.parametrize(("raw", "normal"), [
    ("ADMIN", "admin"), ("  Admin ", "admin"), ("ａｄｍｉｎ", "admin"), ("Siti.R", "siti.r"),
])
def test_usernames_are_normalised(raw, normal):
    assert normalise_username(raw) == normal


@pytest.mark.parametrize("raw", ["admin\u200b", "ad\u200dmin", "admin\u202e", "ad min",
                                 "admin\x00", "\ufeffadmin"])
def test_usernames_with_invisible_characters_are_refused(raw):
    assert username_problem(raw) is not None


def test_aaaaaaaaaa_cannot_be_a_staff_password(session):
    with pytest.raises(ValidationFailed) as refused:
        make_user(session, "boss", Role.ADMIN, password="aaaaaaaaaa")
    assert "password" in refused.value.fields


def test_admin_spelled_otherwise_is_not_a_second_account(session):
    make_user(session, "admin", Role.ADMIN)
    for spoof in ("ADMIN", "Admin", "ａｄｍｉｎ", "admin\u200b"):
        with pytest.raises(ValidationFailed) as refused:
            create_user(session, UserInput(username=spoof, full_name="X", role=Role.ADMIN,
                                           password=PASSWORD))
        assert "username" in refused.value.fields
    assert session.scalar(select(func.count(User.id))) == 1


def test_sign_in_finds_the_account_whatever_the_case(session):
    make_user(session, "siti", Role.ADMIN)
    assert authenticate(session, "SITI", PASSWORD, now=NOW).user is not None


def test_a_locked_account_refuses_even_the_right_password_until_the_lock_ends(session):
    make_user(session, "boss", Role.ADMIN)
    for _ in range(LOCK_AFTER_FAILURES):
        assert authenticate(session, "boss", "wrong-password-1", now=NOW).user is None
    session.commit()
    locked = authenticate(session, "boss", PASSWORD, now=NOW + timedelta(seconds=30))
    assert locked.user is None and locked.locked_until == NOW + timedelta(minutes=1)
    later = authenticate(session, "boss", PASSWORD, now=NOW + timedelta(minutes=2))
    assert later.user is not None and later.user.failed_logins == 0


def test_one_address_is_throttled_whatever_usernames_it_tries(session):
    for n in range(ADDRESS_FAILURES):
        authenticate(session, f"nobody{n}", "wrong-password-1", address="203.0.113.9", now=NOW)
    session.commit()
    make_user(session, "boss", Role.ADMIN)
    refused = authenticate(session, "boss", PASSWORD, address="203.0.113.9", now=NOW)
    assert refused.user is None and refused.locked_until is not None
    assert authenticate(session, "boss", PASSWORD, address="198.51.100.1", now=NOW).user


def test_old_failures_are_swept(session):
    authenticate(session, "nobody", "wrong-password-1", address="a", now=NOW)
    authenticate(session, "nobody", "wrong-password-1", address="a", now=NOW + timedelta(hours=1))
    session.commit()
    assert session.scalar(select(func.count(LoginFailure.id))) == 1


def test_the_lockout_is_kept_in_the_database_so_another_worker_sees_it(app, client,
                                                                        app_session):
    make_user(app_session, "boss", Role.ADMIN)
    for _ in range(LOCK_AFTER_FAILURES):
        login(client, "boss", "wrong-password-1")
    other_worker = app.test_client()  # nothing shared with the first but the database
    response = login(other_worker, "boss")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.get_data(as_text=True)
    assert other_worker.get("/admin/").status_code == 302


def test_behind_a_trusted_proxy_the_clients_address_is_the_one_throttled(
        database_url, tmp_path, monkeypatch, app_session):
    from kiosk import create_app
    from kiosk.extensions import db

    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "proxied"))
    monkeypatch.setenv("KIOSK_TRUSTED_PROXIES", "1")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    client.post("/auth/login", data={"username": "x", "password": "wrong-password-1"},
                headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert app_session.scalars(select(LoginFailure.address)).all() == ["203.0.113.7"]
