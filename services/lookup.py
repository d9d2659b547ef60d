"""A citizen's status look-up: tracking code and PIN give the request (or the complaint), or
one NotFound."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.codes import hash_pin, normalise_tracking_code, pin_matches
from services.errors import NotFound
from services.models import ServiceRequest

# The same words for a wrong code and a wrong PIN: a look-up must not tell which was wrong.
NOT_FOUND_MESSAGE = "No request matches this tracking code and PIN."

Tracked = TypeVar("Tracked", bound=Any)


@cache
def _dummy_pin_hash() -> str:
    """A hash to check against when the code is unknown, so the answer takes as long."""
    return hash_pin("000000")


def find_by_code_and_pin(session: Session, model: type[Tracked], tracking_code: str, pin: str,
                         message: str = NOT_FOUND_MESSAGE) -> Tracked:
    """The row of ``model`` (it has ``tracking_code`` and ``pin_hash``) with this code whose
    PIN matches; NotFound otherwise, alike for an unknown code, a malformed code and a wrong
    PIN."""
    code = normalise_tracking_code(tracking_code or "")
    found = None
    if code is not None:
        found = session.scalar(select(model).where(model.tracking_code == code))
    pin_hash = found.pin_hash if found is not None else _dummy_pin_hash()
    matches = pin_matches(pin_hash, (pin or "").strip())
    if found is None or not matches:
        raise NotFound(message)
    return found


def find_request(session: Session, tracking_code: str, pin: str) -> ServiceRequest:
    """The request with this tracking code whose PIN matches; NotFound otherwise."""
    return find_by_code_and_pin(session, ServiceRequest, tracking_code, pin)
