"""A citizen's status look-up: tracking code and PIN give the request, or one NotFound."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.codes import hash_pin, normalise_tracking_code, pin_matches
from services.errors import NotFound
from services.models import ServiceRequest

# The same words for a wrong code and a wrong PIN: a look-up must not tell which was wrong.
NOT_FOUND_MESSAGE = "No request matches this tracking code and PIN."


@cache
def _dummy_pin_hash() -> str:
    """A hash to check against when the code is unknown, so the answer takes as long."""
    return hash_pin("000000")


def find_request(session: Session, tracking_code: str, pin: str) -> ServiceRequest:
    """The request with this tracking code whose PIN matches; NotFound otherwise, alike for
    an unknown code, a malformed code and a wrong PIN."""
    code = normalise_tracking_code(tracking_code or "")
    request = None
    if code is not None:
        request = session.scalar(select(ServiceRequest).where(ServiceRequest.tracking_code == code))
    pin_hash = request.pin_hash if request is not None else _dummy_pin_hash()
    matches = pin_matches(pin_hash, (pin or "").strip())
    if request is None or not matches:
        raise NotFound(NOT_FOUND_MESSAGE)
    return request
