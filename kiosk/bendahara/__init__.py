"""The treasurer's (bendahara penerimaan) pages under /bendahara: the day's payments, odd
payments to decide, cancelled bills, the daily reconciliation with the bank's statement and
its CSV export. Authorisation is decided in services.payments.treasury."""

from flask import Blueprint

from kiosk.auth import roles_required
from services.models import Role

bp = Blueprint("bendahara", __name__)


@bp.before_request
@roles_required(Role.TREASURER, Role.ADMIN)
def require_treasurer() -> None:
    """Every page here is the treasurer's (or an administrator's)."""


from kiosk.bendahara import views  # noqa: E402,F401
