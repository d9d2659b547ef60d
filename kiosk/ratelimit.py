"""Rate limits every app host shares: Redis when KIOSK_RATELIMIT_STORAGE_URI names it, the
application database otherwise (never one worker's memory); and the one look-up limit that
every code-and-PIN path counts against, by client IP and by tracking code."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context, request, session
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import Storage
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import TooManyRequests

from kiosk.extensions import limiter
from services.codes import normalise_tracking_code
from services.counters import clear_counter, clear_counters, count_hit, current_window
from services.db import utcnow

DATABASE_STORAGE_URI = "ekiosk-db://"
LOOKUP_SCOPE = "citizen-lookup"
LOOKUP_CODE_SCOPE = "citizen-lookup-code"
# Where the status views keep a looked-up code between the look-up and the answer to a return.
LOOKUP_SESSION_KEY = "status_lookup"
# Set on the request's session when a hit rode on its transaction (SQLite): the hit is kept
# when the request ends without an error, though its view committed nothing (a GET).
KEEP_HITS = "keep_rate_limit_hits"

View = TypeVar("View", bound=Callable[..., Any])


def _engine() -> Any:
    from kiosk.extensions import db

    return db.engine


def _reading() -> Any:
    """A connection for reads that takes no lock: on SQLite a limit's headers are read after
    the view, while the request's own session may hold the write lock."""
    return _engine().connect().execution_options(isolation_level="AUTOCOMMIT")


class DatabaseStorage(Storage):
    """A limits storage on the app's own database (table rate_limit_counter): all workers of all
    hosts see the same counters. Fixed windows only, the strategy e-Kiosk configures."""

    STORAGE_SCHEME = ["ekiosk-db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        from kiosk.extensions import db

        if db.engine.dialect.name == "sqlite" and db.session().in_transaction():
            # SQLite has one writer: the request's session already holds the lock, so the hit
            # rides on its transaction (a limit checked in a view, after a before_request read);
            # keep_ridden_hits commits it when the request ends.
            db.session.info[KEEP_HITS] = True
            return count_hit(db.session.connection(), key, expiry, amount, utcnow())
        with _engine().begin() as connection:
            return count_hit(connection, key, expiry, amount, utcnow())

    def get(self, key: str) -> int:
        with _reading() as connection:
            return current_window(connection, key, utcnow())[0]

    def get_expiry(self, key: str) -> float:
        now = utcnow()
        with _reading() as connection:
            ends = current_window(connection, key, now)[1]
        return (ends or now).timestamp()

    def check(self) -> bool:
        if not has_app_context():
            return False
        with _reading() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def reset(self) -> int | None:
        with _engine().begin() as connection:
            return clear_counters(connection)

    def clear(self, key: str) -> None:
        with _engine().begin() as connection:
            clear_counter(connection, key)


def looked_up_code() -> str:
    """The tracking code a look-up names, wherever it sits: the URL, a JSON body, a form, or
    the status page's session; normalised so every spelling counts as one code."""
    raw = (request.view_args or {}).get("tracking_code")
    if raw is None:
        body = request.get_json(silent=True) if request.is_json else None
        if isinstance(body, dict):
            raw = body.get("tracking_code")
    if raw is None:
        raw = request.form.get("tracking_code")
    if raw is None:
        raw = (session.get(LOOKUP_SESSION_KEY) or {}).get("code")
    code = normalise_tracking_code(raw) if isinstance(raw, str) else None
    return code or "malformed"


def _ip_limit() -> str:
    return str(current_app.config["LOOKUP_RATE_LIMIT"])


def _code_limit() -> str:
    return str(current_app.config["LOOKUP_CODE_RATE_LIMIT"])


def lookup_limited(view: View) -> View:
    """Mark a code-and-PIN view: its POSTs count against THE look-up limit, one budget per
    client IP and one per tracking code, shared by the API, /information, /status and
    /kiosk/status (checked by install_lookup_limit before any other hook touches the database)."""
    view.counts_as_lookup = True  # type: ignore[attr-defined]
    return view


def install_hit_keeping(app: Flask) -> None:
    """A hit that rode on the request's transaction is committed when the request ends without
    an error, or a view that commits nothing (a GET) would roll it back and its limit would
    never bite."""
    from kiosk.extensions import db, end_request_transaction

    @app.teardown_request
    def keep_ridden_hits(error: BaseException | None) -> None:
        if db.session.info.pop(KEEP_HITS, False) and error is None:
            end_request_transaction()


def install_lookup_limit(app: Flask) -> None:
    """Check the look-up limit first thing in every marked POST; 429 with Retry-After."""

    @app.before_request
    def count_lookup() -> None:
        view = app.view_functions.get(request.endpoint or "")
        if request.method != "POST" or not getattr(view, "counts_as_lookup", False) \
                or not app.config.get("RATELIMIT_ENABLED", True):
            return
        prefix = app.config.get("RATELIMIT_KEY_PREFIX", "")
        strategy = limiter.limiter
        for limit_text, scope, who in (
                (_ip_limit(), LOOKUP_SCOPE, get_remote_address()),
                (_code_limit(), LOOKUP_CODE_SCOPE, looked_up_code())):
            for item in parse_many(limit_text):
                if not strategy.hit(item, prefix, scope, who):
                    reset = strategy.get_window_stats(item, prefix, scope, who).reset_time
                    raise TooManyRequests(retry_after=max(1, int(reset - time.time()) + 1))
