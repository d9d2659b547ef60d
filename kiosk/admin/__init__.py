"""The administrators' pages under /admin: catalog, users, holidays, kiosks."""

from flask import Blueprint

from kiosk.auth import roles_required
from services.models import Role

bp = Blueprint("admin", __name__)


@bp.before_request
@roles_required(Role.ADMIN)
def require_admin() -> None:
    """Every admin page is for administrators only."""


import kiosk.admin.api_keys  # noqa: E402
import kiosk.admin.kiosks  # noqa: E402,F401
from kiosk.admin import agencies, catalog, holidays, outbox, standard, users, views  # noqa: E402,F401
