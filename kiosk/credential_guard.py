"""Guessing API keys and kiosk device tokens is throttled by the caller's address: each key or
token nobody holds counts against the address, and once its budget
(KIOSK_REFUSED_CREDENTIAL_RATE_LIMIT) is used up, every further call from it with a key or
token is answered 429 until the window ends, before any key is looked at. The counters live in
the rate-limit storage every host shares (the database, or Redis)."""

from __future__ import annotations

import logging
import time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from kiosk.extensions import db, end_request_transaction, limiter
from services.errors import Unauthenticated
from services.kiosks.devices import authenticate_device
from services.models import Kiosk

REFUSED_SCOPE = "refused_credential"
log = logging.getLogger(__name__)


def _limits() -> list:  # type: ignore[type-arg]
    return list(parse_many(str(current_app.config["REFUSED_CREDENTIAL_RATE_LIMIT"])))


def refuse_guessers() -> None:
    """429 (with Retry-After) when this address has used up its budget of refused keys."""
    if not limiter.enabled:
        return
    address = get_remote_address()
    for item in _limits():
        if not limiter.limiter.test(item, REFUSED_SCOPE, address):
            reset_at, _ = limiter.limiter.get_window_stats(item, REFUSED_SCOPE, address)
            raise TooManyRequests("Too many unknown keys or tokens from this address.",
                                  retry_after=max(1, int(reset_at - time.time()) + 1))


def count_refusal(kind: str) -> None:
    """One more refused key or token from this address (kept whatever the request does next)."""
    log.warning("refused %s from %s", kind, get_remote_address())
    if not limiter.enabled:
        return
    for item in _limits():
        limiter.limiter.hit(item, REFUSED_SCOPE, get_remote_address())
    end_request_transaction()  # on the database storage the hit rides on this transaction


def device_for_token(token: str | None) -> Kiosk:
    """The kiosk a presented device token belongs to (authenticate_device), with unknown tokens
    counted and their address throttled."""
    if token:
        refuse_guessers()
    try:
        return authenticate_device(db.session, token)
    except Unauthenticated:
        if token:
            count_refusal("device token")
        raise
