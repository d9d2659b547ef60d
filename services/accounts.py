"""Staff accounts: creating, editing, deactivating and authenticating users."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from services.audit import record_audit
from services.db import utcnow
from services.errors import NotAllowed, NotFound, ValidationFailed
from services.models import Agency, Role, User

MIN_PASSWORD_LENGTH = 10
# A hash to compare against when the user does not exist, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass(frozen=True)
class UserInput:
    username: str
    full_name: str
    role: Role
    agency_code: str | None = None
    email: str = ""
    password: str | None = None
    active: bool = True


def user_rule_errors(role: Role, agency: Agency | None) -> dict[str, str]:
    """A clerk, supervisor or officer belongs to exactly one agency; an admin to none."""
    if role in (Role.CLERK, Role.SUPERVISOR) and agency is None:
        return {"agency_code": "Petugas dan supervisor wajib punya instansi."}
    if role is Role.ADMIN and agency is not None:
        return {"agency_code": "Administrator tidak terikat pada instansi."}
    return {}


def _resolve_agency(session: Session, code: str | None) -> Agency | None:
    if not code:
        return None
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise ValidationFailed("Unknown agency.", fields={"agency_code": "Instansi tidak dikenal."})
    return agency


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            "Password too short.",
            fields={"password": f"Paling sedikit {MIN_PASSWORD_LENGTH} karakter."},
        )


def create_user(session: Session, data: UserInput, *, actor: User | None = None) -> User:
    """Create a staff account with a hashed password."""
    if session.scalar(select(User).where(User.username == data.username)):
        raise ValidationFailed("Username taken.", fields={"username": "Nama pengguna sudah dipakai."})
    agency = _resolve_agency(session, data.agency_code)
    if errors := user_rule_errors(data.role, agency):
        raise ValidationFailed("Invalid user.", fields=errors)
    if not data.password:
        raise ValidationFailed("Password required.",
                               # A message (bandit B105).
                               fields={"password": "Wajib diisi."})  # nosec B105
    _check_password(data.password)
    user = User(
        username=data.username,
        full_name=data.full_name,
        email=data.email,
        role=data.role,
        agency=agency,
        active=data.active,
        password_hash=generate_password_hash(data.password),
    )
    session.add(user)
    session.flush()
    record_audit(session, actor, "create", "user", user.username,
                 {"role": data.role.value, "agency": data.agency_code})
    return user


def update_user(session: Session, user_id: int, data: UserInput, *, actor: User | None) -> User:
    """Change a staff account; a new password is set only when given."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    agency = _resolve_agency(session, data.agency_code)
    if errors := user_rule_errors(data.role, agency) | _self_lockout_errors(user, data, actor):
        raise ValidationFailed("Invalid user.", fields=errors)
    changes = {}
    for name, value in (("full_name", data.full_name), ("email", data.email),
                        ("role", data.role), ("agency", agency), ("active", data.active)):
        if getattr(user, name) != value:
            changes[name] = getattr(value, "code", getattr(value, "value", value))
            setattr(user, name, value)
    if data.password:
        _check_password(data.password)
        user.password_hash = generate_password_hash(data.password)
        # The audit notes a change, not the value (bandit B105).
        changes["password"] = "changed"  # nosec B105
    record_audit(session, actor, "update", "user", user.username, changes)
    return user


def _self_lockout_errors(user: User, data: UserInput, actor: User | None) -> dict[str, str]:
    """An administrator may not deactivate or demote their own account (and lock themself out)."""
    if actor is None or actor.id != user.id:
        return {}
    if not data.active:
        return {"active": "Anda tidak dapat menonaktifkan akun Anda sendiri."}
    if user.role is Role.ADMIN and data.role is not Role.ADMIN:
        return {"role": "Anda tidak dapat mencabut peran administrator Anda sendiri."}
    return {}


def deactivate_user(session: Session, user_id: int, *, actor: User | None) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    if actor is not None and actor.id == user.id:
        raise NotAllowed("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    user.active = False
    record_audit(session, actor, "deactivate", "user", user.username, {})
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user
