"""The complaints coordinator's workspace under /koordinator: the inbox, verification and
forwarding, sending answers back, reopen decisions and publishing to the public board."""

from flask import Blueprint

from kiosk.auth import roles_required
from services.models import Role

bp = Blueprint("coordination", __name__)


@bp.before_request
@roles_required(Role.COORDINATOR)
def require_coordinator() -> None:
    """Every page here is the coordinator's."""


from kiosk.coordination import views  # noqa: E402,F401
