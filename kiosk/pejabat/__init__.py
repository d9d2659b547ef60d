"""The signing official's workspace under /pejabat: the decisions waiting for their signature,
each read as the final PDF, signed one by one or in a batch with their passphrase, or sent
back to the clerk with a note."""

from flask import Blueprint

from kiosk.auth import roles_required
from services.models import Role

bp = Blueprint("pejabat", __name__)


@bp.before_request
@roles_required(Role.OFFICIAL)
def require_official() -> None:
    """Only signing officials sign; who signs what is decided in services.signing.access."""


from kiosk.pejabat import views  # noqa: E402,F401
