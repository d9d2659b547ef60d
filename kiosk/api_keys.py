"""API keys on a call: read the presented key, check it and its scope (in the domain), hold it
to its own rate limit, and audit the call. Used by the JSON API and Open311."""

from __future__ import annotations

import time

from flask import Blueprint, Response, g, request
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from kiosk.credential_guard import count_refusal, refuse_guessers
from kiosk.extensions import db, end_request_transaction, limiter, unit_of_work
from services.apikeys import (
    authenticate_api_key,
    find_api_key,
    record_api_call,
    require_scope,
)
from services.models import ApiKey, Scope
from services.unit_of_work import discard


def presented_key() -> str | None:
    """The key in the X-API-Key header or the spec's api_key parameter (query or form)."""
    return (request.headers.get("X-API-Key") or request.args.get("api_key")
            or (request.form.get("api_key") if request.method == "POST" else None) or None)


def calling_key(scope: Scope, *, required: bool) -> ApiKey | None:
    """The caller's live key with this scope, within its rate limit; None when the call carries
    no key and needs none. A revoked key is refused on its very next call."""
    value = presented_key()
    if value is None and not required:
        return None
    found = find_api_key(db.session, value)
    if found is not None:
        g.api_key_id = found.id
    elif value is not None:
        g.refused_api_key = True  # logged as a call with no key, after the answer
    if value is not None:
        refuse_guessers()  # an address that guessed too often gets 429, whatever it sends now
    if found is None and value is not None:
        count_refusal("API key")
    key = authenticate_api_key(found)
    require_scope(key, scope)
    hold_to_rate_limit(key)
    return key


def hold_to_rate_limit(key: ApiKey) -> None:
    """Count this call against the key's own limit in Flask-Limiter's storage (Redis when
    KIOSK_RATELIMIT_STORAGE_URI names one); 429 once a window is used up."""
    if not limiter.enabled:
        return
    # The hash keeps counters apart when a database is emptied and ids start again.
    identity = (str(key.id), key.key_hash[:16])
    for item in parse_many(key.rate_limit):
        allowed = limiter.limiter.hit(item, "api_key", *identity)
        # On SQLite the database counter rides on the request's transaction: keep the hit even
        # if the request later rolls back (nothing else has been done in it yet).
        end_request_transaction()
        if not allowed:
            reset_at, _ = limiter.limiter.get_window_stats(item, "api_key", *identity)
            raise TooManyRequests(f"This API key's rate limit ({key.rate_limit}) is used up.",
                                  retry_after=max(1, int(reset_at - time.time())))


def audit_key_call(response: Response) -> Response:
    """Write who called what with which outcome; never the body."""
    key_id = g.pop("api_key_id", None)
    if key_id is None and not g.pop("refused_api_key", False):
        return response
    discard(db.session)  # views commit their own work; nothing else may ride along
    rule = request.url_rule.rule if request.url_rule else request.path
    with unit_of_work():
        record_api_call(db.session, key_id, method=request.method, route=rule,
                        status=response.status_code)
    return response


def audit_calls_of(bp: Blueprint) -> None:
    bp.after_request(audit_key_call)
