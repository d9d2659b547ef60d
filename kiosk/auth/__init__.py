"""Staff sign-in with Flask-Login, and the role checks every staff page uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user

from kiosk.extensions import db
from services.models import Role, User

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
        user = db.session.get(User, int(user_id))
        return StaffUser(user) if user and user.active else None


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
