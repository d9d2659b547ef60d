"""The clerk workspace under /clerk: the agency's queue, requests, actions; supervisors' pages."""

from flask import Blueprint

from kiosk.auth import roles_required
from services.models import Role

bp = Blueprint("clerk", __name__)


@bp.before_request
@roles_required(Role.CLERK, Role.SUPERVISOR)
def require_agency_staff() -> None:
    """Every clerk page is for an agency's clerks and supervisors."""


from kiosk.clerk import berkas, complaints, views  # noqa: E402,F401
