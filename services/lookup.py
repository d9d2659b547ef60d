"""A citizen's status look-up: tracking code and PIN give the request, or one NotFound."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.codes import PinKeyring, normalise_tracking_code
from services.errors import NotFound
from services.models import ServiceRequest

# The same words for a wrong code and a wrong PIN: a look-up must not tell which was wrong.
NOT_FOUND_MESSAGE = "No request matches this tracking code and PIN."


def find_request(session: Session, tracking_code: str, pin: str,
                 pins: PinKeyring) -> ServiceRequest:
    """The request with this tracking code whose PIN matches; NotFound otherwise, alike for
    an unknown code, a malformed code and a wrong PIN. A correct PIN whose hash is an older
    kind (scrypt, a retired key) gets a current hash; the caller's commit keeps it."""
    code = normalise_tracking_code(tracking_code or "")
    request = None
    if code is not None:
        request = session.scalar(select(ServiceRequest).where(ServiceRequest.tracking_code == code))
    pin = (pin or "").strip()
    # An unknown code still checks a hash, so the answer takes as long as for a wrong PIN.
    pin_hash = request.pin_hash if request is not None else pins.hash_pin("000000")
    matches = pins.pin_matches(pin_hash, pin)
    if request is None or not matches:
        raise NotFound(NOT_FOUND_MESSAGE)
    if pins.needs_upgrade(request.pin_hash):
        request.pin_hash = pins.hash_pin(pin)
    return request
