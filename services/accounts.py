"""Staff accounts: creating, editing, deactivating and authenticating users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.clock import utcnow
from services.errors import NotAllowed, NotFound, ValidationFailed
from services.models import Agency, LoginFailure, Role, User
from services.passwords import (
    DEFAULT_HASHER,
    MIN_PASSWORD_LENGTH,
    PasswordHasher,
    normalise_username,
    password_problem,
    username_problem,
)

__all__ = ["MIN_PASSWORD_LENGTH"]  # re-exported for the admin pages

# Failed sign-ins before an account locks, and how the lock grows with each further failure.
LOCK_AFTER_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)
# Failed sign-ins one address may make in a window, whatever usernames it tries.
ADDRESS_WINDOW = timedelta(minutes=15)
ADDRESS_FAILURES = 30


@dataclass(frozen=True)
class UserInput:
    username: str
    full_name: str
    role: Role
    agency_code: str | None = None
    email: str = ""
    password: str | None = None
    active: bool = True
    # A signing official's jabatan, NIP and signing-service credential.
    jabatan: str = ""
    nip: str = ""
    signing_credential: str = ""


def user_rule_errors(role: Role, agency: Agency | None) -> dict[str, str]:
    """A clerk, supervisor or officer belongs to exactly one agency; an admin to none."""
    if role in (Role.CLERK, Role.SUPERVISOR, Role.OFFICIAL) and agency is None:
        return {"agency_code": "user.agency_required"}
    if role is Role.ADMIN and agency is not None:
        return {"agency_code": "user.admin_without_agency"}
    if role is Role.LEADERSHIP and agency is not None:
        return {"agency_code": "user.leadership_without_agency"}
    return {}


def official_errors(data: UserInput) -> dict[str, str]:
    """A signing official names their jabatan, an 18-digit NIP and their signing credential."""
    if data.role is not Role.OFFICIAL:
        return {}
    errors = {}
    if not data.jabatan.strip():
        errors["jabatan"] = "user.jabatan_required"
    nip = "".join(data.nip.split())
    if not (len(nip) == 18 and nip.isdigit()):
        errors["nip"] = "user.nip_invalid"
    if not data.signing_credential.strip():
        errors["signing_credential"] = "user.credential_required"
    return errors


def _resolve_agency(session: Session, code: str | None) -> Agency | None:
    if not code:
        return None
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise ValidationFailed("agency.unknown", fields={"agency_code": "agency.unknown"})
    return agency


def _check_password(password: str, *, context: tuple[str, ...]) -> None:
    if problem := password_problem(password, context=context):
        raise ValidationFailed("password.refused", fields={"password": problem})


def _password_context(username: str, data: UserInput) -> tuple[str, ...]:
    return (username, data.full_name, data.email, "ekiosk", "kiosk", "admin", "petugas")


def create_user(session: Session, data: UserInput, *, actor: User | None = None,
                hasher: PasswordHasher = DEFAULT_HASHER) -> User:
    """Create a staff account with a hashed password; the username is stored normalised."""
    if problem := username_problem(data.username):
        raise ValidationFailed("username.invalid", fields={"username": problem})
    username = normalise_username(data.username)
    if not username:
        raise ValidationFailed("username.required", fields={"username": "field.required"})
    if session.scalar(select(User).where(User.username == username)):
        raise ValidationFailed("username.taken", fields={"username": "username.taken"})
    agency = _resolve_agency(session, data.agency_code)
    if errors := user_rule_errors(data.role, agency) | official_errors(data):
        raise ValidationFailed("user.invalid", fields=errors)
    if not data.password:
        raise ValidationFailed("password.required",
                               # A message code (bandit B105).
                               fields={"password": "field.required"})  # nosec B105
    _check_password(data.password, context=_password_context(username, data))
    user = User(
        username=username,
        full_name=data.full_name,
        email=data.email,
        role=data.role,
        agency=agency,
        active=data.active,
        password_hash=hasher.hash(data.password),
        **_official(data),
    )
    session.add(user)
    session.flush()
    record_audit(session, actor, "create", "user", user.username,
                 {"role": data.role.value, "agency": data.agency_code})
    return user


def _official(data: UserInput) -> dict[str, str]:
    """What a signing official's account says of them (empty for everyone else)."""
    if data.role is not Role.OFFICIAL:
        return {"jabatan": "", "nip": "", "signing_credential": ""}
    return {"jabatan": data.jabatan.strip()[:200], "nip": "".join(data.nip.split())[:18],
            "signing_credential": data.signing_credential.strip()[:200]}


def update_user(session: Session, user_id: int, data: UserInput, *, actor: User | None,
                hasher: PasswordHasher = DEFAULT_HASHER) -> User:
    """Change a staff account; a new password is set only when given."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user.not_found")
    agency = _resolve_agency(session, data.agency_code)
    if errors := (user_rule_errors(data.role, agency) | official_errors(data)
                  | _self_lockout_errors(user, data, actor)):
        raise ValidationFailed("user.invalid", fields=errors)
    changes = {}
    for name, value in (("full_name", data.full_name), ("email", data.email),
                        ("role", data.role), ("agency", agency), ("active", data.active),
                        *_official(data).items()):
        if getattr(user, name) != value:
            changes[name] = getattr(value, "code", getattr(value, "value", value))
            setattr(user, name, value)
    if data.password:
        _check_password(data.password, context=_password_context(user.username, data))
        user.password_hash = hasher.hash(data.password)
        # The audit notes a change, not the value (bandit B105).
        changes["password"] = "changed"  # nosec B105
    if "password" in changes or not user.active:
        end_sessions(user)
    record_audit(session, actor, "update", "user", user.username, changes)
    return user


def _self_lockout_errors(user: User, data: UserInput, actor: User | None) -> dict[str, str]:
    """An administrator may not deactivate or demote their own account (and lock themself out)."""
    if actor is None or actor.id != user.id:
        return {}
    if not data.active:
        return {"active": "user.cannot_deactivate_self"}
    if user.role is Role.ADMIN and data.role is not Role.ADMIN:
        return {"role": "user.cannot_demote_self"}
    return {}


def deactivate_user(session: Session, user_id: int, *, actor: User | None) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user.not_found")
    if actor is not None and actor.id == user.id:
        raise NotAllowed("user.cannot_deactivate_self")
    user.active = False
    end_sessions(user)
    record_audit(session, actor, "deactivate", "user", user.username, {})
    return user


def end_sessions(user: User) -> None:
    """Make every session cookie issued to this user so far worthless (logout, new password,
    deactivation): each session carries the version it was issued under."""
    user.session_version = (user.session_version or 0) + 1


def session_is_current(user: User | None, version: object) -> bool:
    """A session is good while its account is active and its version is the account's."""
    return user is not None and user.active and version == user.session_version


def lock_for(failures: int, now: datetime) -> datetime | None:
    """When an account with this many consecutive failed sign-ins unlocks: not locked below
    LOCK_AFTER_FAILURES, then one minute doubling with each failure, at most an hour."""
    if failures < LOCK_AFTER_FAILURES:
        return None
    doublings = min(failures - LOCK_AFTER_FAILURES, 12)
    return now + min(FIRST_LOCK * 2**doublings, LONGEST_LOCK)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user, or why not (``locked_until`` when throttled)."""

    user: User | None
    locked_until: datetime | None = None


def authenticate(session: Session, username: str, password: str, *, address: str = "",
                 now: datetime | None = None,
                 hasher: PasswordHasher = DEFAULT_HASHER) -> SignIn:
    """Check staff credentials. Failures are counted in the database (so every worker and host
    sees them): per account, with a lock that grows; per address, within a window. A locked
    account or a throttled address is refused before its password is checked. Not committed:
    the caller commits either way, so failures are kept."""
    now = now or utcnow()
    name = normalise_username(username)
    address = address[:64]
    if _address_failures(session, address, now) >= ADDRESS_FAILURES:
        return SignIn(None, locked_until=now + ADDRESS_WINDOW)
    user = session.scalar(select(User).where(User.username == name).with_for_update())
    if user is not None and user.locked_until is not None and user.locked_until > now:
        return SignIn(None, locked_until=user.locked_until)
    if user is None or not hasher.matches(user.password_hash, password) or not user.active:
        if user is None:
            hasher.waste_a_check(password)
        else:
            user.failed_logins = (user.failed_logins or 0) + 1
            user.locked_until = lock_for(user.failed_logins, now)
        _record_failure(session, address, name, now)
        return SignIn(None)
    user.failed_logins, user.locked_until = 0, None
    user.last_login_at = now
    return SignIn(user)


def _address_failures(session: Session, address: str, now: datetime) -> int:
    return session.scalar(select(func.count(LoginFailure.id)).where(
        LoginFailure.address == address, LoginFailure.at > now - ADDRESS_WINDOW)) or 0


def _record_failure(session: Session, address: str, username: str, now: datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - ADDRESS_WINDOW))
    session.add(LoginFailure(address=address, username=username[:60], at=now))
