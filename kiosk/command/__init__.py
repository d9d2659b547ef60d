"""City leadership's command center under /command, the public performance page /kinerja and
the Prometheus metrics at /metrics."""

from flask import Blueprint

from kiosk.auth import roles_required
from services.models import Role

bp = Blueprint("command", __name__)
public_bp = Blueprint("kinerja", __name__)
metrics_bp = Blueprint("metrics", __name__)


@bp.before_request
@roles_required(Role.LEADERSHIP, Role.ADMIN, Role.SUPERVISOR)
def require_figures_reader() -> None:
    """The command center is for leadership, administrators and agency supervisors."""


from kiosk.command import frontoffice, metrics, public, views  # noqa: E402,F401
