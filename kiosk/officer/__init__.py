"""The MPP officer's desk under /petugas: the calls from kiosks, answered with one tap, on a
staff screen that stays up all day (the kiosk's own /kiosk/officer is wiped when idle)."""

from flask import Blueprint

from kiosk.auth import roles_required
from services.models import Role

bp = Blueprint("officer", __name__)


@bp.before_request
@roles_required(Role.OFFICER, Role.ADMIN)
def require_officer() -> None:
    """The desk is for officers, and for administrators who answer calls too."""


from kiosk.officer import views  # noqa: E402,F401
