"""A citizen's status look-up: tracking code and PIN give the request (or the complaint), or
one NotFound.

Wrong PINs are counted per tracking code in the database, whoever tries them and through
whichever path: after MAX_WRONG_PINS a code locks, for longer after each further failure, and a
locked code answers like a wrong PIN (with its own words) until the lock ends. Locks are kept
for any well-formed code, known or not, so a lock tells an attacker nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Table, case, delete, select, update
from sqlalchemy.orm import Session

from services.clock import utcnow
from services.codes import PinKeyring, normalise_tracking_code
from services.counters import upsert, when
from services.errors import NotFound
from services.models import PinLockout, ServiceRequest

# The same words for a wrong code and a wrong PIN: a look-up must not tell which was wrong.
NOT_FOUND_MESSAGE = "lookup.wrong_code_or_pin"
LOCKED_MESSAGE = "lookup.locked"

MAX_WRONG_PINS = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)
FORGET_FAILURES_AFTER = timedelta(days=1)
_LOCKOUTS: Table = PinLockout.__table__  # type: ignore[assignment]
Tracked = TypeVar("Tracked", bound=Any)


class LookupRefused(NotFound):
    """A wrong code or PIN, or a locked code. The failure it records must be committed even
    though the look-up failed: the web layer commits when ``keeps_changes`` is set."""

    keeps_changes = True


class CodeLocked(LookupRefused):
    code = "not_found"

    def __init__(self, message: str, *, until: datetime, minutes: int) -> None:
        super().__init__(message, minutes=minutes)
        self.until = until


def lock_duration(failures: int) -> timedelta | None:
    """How long a code stays locked after this many wrong PINs in a row: none before
    MAX_WRONG_PINS, then FIRST_LOCK doubling with each further failure, at most LONGEST_LOCK."""
    if failures < MAX_WRONG_PINS:
        return None
    return min(FIRST_LOCK * 2 ** min(failures - MAX_WRONG_PINS, 20), LONGEST_LOCK)


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes until a lock ends, rounded up (at least 1)."""
    return max(1, -int(-(until - now).total_seconds() // 60))


def find_by_code_and_pin(session: Session, model: type[Tracked], tracking_code: str, pin: str,
                         pins: PinKeyring, *, now: datetime | None = None,
                         message: str = NOT_FOUND_MESSAGE) -> Tracked:
    """The row of ``model`` (a request or a complaint: it has ``tracking_code`` and
    ``pin_hash``) with this code whose PIN matches; LookupRefused (a NotFound) otherwise, alike
    for an unknown code, a malformed code and a wrong PIN; CodeLocked while the code is locked,
    whatever PIN is given. Records wrong PINs in ``session``. A correct PIN whose hash is an
    older kind (scrypt, a retired key) gets a current hash; the caller's commit keeps it."""
    now = now or utcnow()
    code = normalise_tracking_code(tracking_code or "")
    found = lockout = None
    if code is not None:
        lockout = _take_counter(session, code, now)
        if lockout.locked_until is not None and lockout.locked_until > now:
            raise CodeLocked(LOCKED_MESSAGE, until=lockout.locked_until,
                             minutes=minutes_left(lockout.locked_until, now))
        found = session.scalar(select(model).where(model.tracking_code == code))
    pin = (pin or "").strip()
    # An unknown code still checks a hash, so the answer takes as long as for a wrong PIN.
    pin_hash = found.pin_hash if found is not None else pins.hash_pin("000000")
    matches = pins.pin_matches(pin_hash, pin)
    if found is None or not matches:
        if code is not None:
            record_wrong_pin(session, code, now)
        raise LookupRefused(message)
    if pins.needs_upgrade(found.pin_hash):
        found.pin_hash = pins.hash_pin(pin)
    if lockout is not None:  # the right PIN: earlier failures are forgiven
        session.execute(delete(PinLockout).where(PinLockout.tracking_code == code))
    return found


def _take_counter(session: Session, code: str, now: datetime) -> Any:
    """The code's wrong-PIN counter, made if missing and row-locked until the transaction ends
    (one upsert): concurrent look-ups of one code are checked one after another, each seeing
    the failures and the lock the ones before it committed, so no more PINs are checked than
    MAX_WRONG_PINS allows. A right PIN removes the row again."""
    return upsert(session, _LOCKOUTS,
                  {"tracking_code": code, "failures": 0, "last_failure_at": now},
                  {"failures": _LOCKOUTS.c.failures},
                  [_LOCKOUTS.c.failures, _LOCKOUTS.c.locked_until])


def find_request(session: Session, tracking_code: str, pin: str, pins: PinKeyring, *,
                 now: datetime | None = None) -> ServiceRequest:
    """The request with this tracking code whose PIN matches (see find_by_code_and_pin)."""
    return find_by_code_and_pin(session, ServiceRequest, tracking_code, pin, pins, now=now)


def record_wrong_pin(session: Session, code: str, now: datetime) -> int:
    """Count one more wrong PIN for a code (in one atomic statement, so concurrent tries all
    count) and lock the code when the count calls for it; the count."""
    stale = _LOCKOUTS.c.last_failure_at < when(now - FORGET_FAILURES_AFTER)
    row = upsert(session, _LOCKOUTS,
                 {"tracking_code": code, "failures": 1, "last_failure_at": now},
                 {"failures": case((stale, 1), else_=_LOCKOUTS.c.failures + 1),
                  "last_failure_at": when(now)},
                 [_LOCKOUTS.c.failures])
    failures = int(row.failures)
    if (duration := lock_duration(failures)) is not None:
        session.execute(update(PinLockout).where(PinLockout.tracking_code == code)
                        .values(locked_until=now + duration))
    return failures
