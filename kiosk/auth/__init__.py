"""Staff sign-in with Flask-Login, and the role checks every staff page uses."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user

from kiosk.extensions import db
from services.accounts import session_is_current
from services.models import Role, User

# What a staff session carries besides Flask-Login's own keys: the account's session version
# when it signed in, when it was last active, and why it ended (for the sign-in page).
STAFF_VERSION = "staff_version"
STAFF_SEEN = "staff_seen"
STAFF_ENDED = "staff_ended"
FLASK_LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember")

bp = Blueprint("auth", __name__)


class StaffUser(UserMixin):
    """The Flask-Login face of a staff account."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.id = user.id

    @property
    def is_active(self) -> bool:
        return self.user.active

    @property
    def role(self) -> Role:
        return self.user.role


def init_login(login_manager: LoginManager, app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> StaffUser | None:
        """The staff account of this session, while its version is current and it is not idle."""
        user = db.session.get(User, int(user_id))
        if not session_is_current(user, session.get(STAFF_VERSION)):
            end_staff_session("ended")
            return None
        now, seen = int(time.time()), session.get(STAFF_SEEN)
        if not isinstance(seen, int) or now - seen > app.config["STAFF_IDLE_TIMEOUT_SECONDS"]:
            end_staff_session("idle")
            return None
        session[STAFF_SEEN] = now
        return StaffUser(user)  # type: ignore[arg-type]

    @login_manager.unauthorized_handler
    def unauthorized():  # type: ignore[no-untyped-def]
        """To the sign-in page with a message; a GET comes back after, a POST never replays."""
        flash(ended_message(session.pop(STAFF_ENDED, None)), "error")
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))


def start_staff_session(user: User) -> None:
    """Mark the signed-in session with the account's session version and the time."""
    session[STAFF_VERSION] = user.session_version
    session[STAFF_SEEN] = int(time.time())
    session.pop(STAFF_ENDED, None)


def end_staff_session(reason: str) -> None:
    """Drop the staff identity from the session, noting why for the sign-in page."""
    for key in (*FLASK_LOGIN_KEYS, STAFF_VERSION, STAFF_SEEN):
        session.pop(key, None)
    session[STAFF_ENDED] = reason


def ended_message(reason: str | None) -> str:
    if reason == "idle":
        minutes = current_app.config["STAFF_IDLE_TIMEOUT_SECONDS"] // 60
        return _("Sesi Anda berakhir karena tidak ada aktivitas selama %(minutes)s menit. "
                 "Tidak ada yang diubah. Silakan masuk lagi.", minutes=minutes)
    if reason == "ended":
        return _("Sesi Anda sudah berakhir (keluar, kata sandi diganti, atau akun dinonaktifkan). "
                 "Tidak ada yang diubah. Silakan masuk lagi.")
    return str(current_app.login_manager.login_message)  # type: ignore[attr-defined]


def current_staff() -> User:
    """The signed-in staff account as a domain object."""
    return current_user.user  # type: ignore[no-any-return]


def roles_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Send anonymous visitors to the login page and refuse other roles with 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from flask_login import login_required

            if not current_user.is_authenticated:
                return login_required(view)(*args, **kwargs)
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


from kiosk.auth import views  # noqa: E402,F401
