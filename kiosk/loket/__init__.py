"""The counter officer's screen under /loket: pick a counter, call the next ticket, see the
request tied to it, and finish, mark a no-show or send the visit on to another group."""

from flask import Blueprint

from kiosk.auth import roles_required
from services.frontoffice.access import COUNTER_ROLES

bp = Blueprint("loket", __name__)


@bp.before_request
@roles_required(*COUNTER_ROLES)
def require_counter_officer() -> None:
    """The counters are worked by MPP officers; services.frontoffice.access decides again."""


from kiosk.loket import views  # noqa: E402,F401
