"""Unbound extensions, initialised by the app factory."""

from typing import Any

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from services.city_calendar import CityCalendar
from services.clock import Clock, SystemClock
from services.codes import PinKeyring
from services.db import Base, expect_writes, stop_expecting
from services.passwords import PasswordHasher
from services.unit_of_work import UnitOfWork, end_transaction
from services.working_days import WorkWeek

db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def unit_of_work(*, keep_loaded: bool = False) -> UnitOfWork:
    """The web layer's one transaction boundary: a view runs its use case inside it, and it
    commits, or rolls back on an error (services.unit_of_work)."""
    return UnitOfWork(db.session, keep_loaded=keep_loaded)


def end_request_transaction(error: BaseException | None = None) -> None:
    """End the request's transaction after work done outside a unit of work (a failed page)."""
    end_transaction(db.session, error)


def pin_keyring() -> PinKeyring:
    """The app's PIN keys (PIN_KEY and PIN_OLD_KEYS), built once in create_app."""
    from flask import current_app

    return current_app.extensions["pin_keyring"]  # type: ignore[no-any-return]


def init_pin_keyring(app: Flask) -> None:
    app.extensions["pin_keyring"] = PinKeyring.from_secrets(app.config["PIN_KEY"],
                                                            app.config.get("PIN_OLD_KEYS", ()))


def clock() -> Clock:
    """The app's clock, built once in create_app (config CLOCK: a fake one in tests)."""
    from flask import current_app

    return current_app.extensions["clock"]  # type: ignore[no-any-return]


def city_calendar() -> CityCalendar:
    """The city's time zone and holidays, built once in create_app."""
    from flask import current_app

    return current_app.extensions["city_calendar"]  # type: ignore[no-any-return]


def password_hasher() -> PasswordHasher:
    """The staff password hasher, built once in create_app."""
    from flask import current_app

    return current_app.extensions["password_hasher"]  # type: ignore[no-any-return]


def init_seams(app: Flask) -> None:
    """Build the clock, the city calendar and the hashers the use cases are handed."""
    app.extensions["clock"] = app.config.get("CLOCK") or SystemClock()
    app.extensions["city_calendar"] = CityCalendar(
        app.config["CITY_TIMEZONE"], week=WorkWeek.parse(app.config.get("CITY_WORK_WEEK")
                                                         or "mon-fri"))
    app.extensions["password_hasher"] = PasswordHasher(app.config.get("PASSWORD_HASH_METHOD"))
    init_pin_keyring(app)
    from kiosk.berkas import build_berkas

    app.extensions["berkas"] = build_berkas(app.config, app.instance_path)


def takes_files(view: Any) -> Any:
    """Mark a view that receives documents: its body may be as large as BERKAS_MAX_UPLOAD."""
    view.takes_files = True
    return view


READING_METHODS = ("GET", "HEAD", "OPTIONS")


def writes_on_get(view: Any) -> Any:
    """Mark a GET view that writes (it then begins its SQLite transactions IMMEDIATE)."""
    view.writes_on_get = True
    return view


def init_write_intent(app: Flask) -> None:
    """GET and HEAD read; every other method (and a view marked writes_on_get) writes."""
    from flask import g, request

    @app.before_request
    def expect_writes_by_method() -> None:
        view = app.view_functions.get(request.endpoint or "")
        writes = (request.method not in READING_METHODS
                  or bool(getattr(view, "writes_on_get", False)))
        g.sqlite_writes_token = expect_writes(writes)

    @app.teardown_request
    def forget_write_intent(_error: BaseException | None) -> None:
        token = g.pop("sqlite_writes_token", None)
        if token is not None:
            stop_expecting(token)
