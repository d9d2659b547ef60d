"""The citizen kiosk under /kiosk: served only to enrolled kiosk devices, wiped when idle."""

from __future__ import annotations

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for

from kiosk.extensions import db
from kiosk.kiosk_ui.device import device_kiosk
from kiosk.kiosk_ui.draft import OFFICER, touch_and_check_idle
from services.accounts import session_is_current
from services.models import Role, User

bp = Blueprint("kiosk_ui", __name__)

# Pages a browser that is not (or no longer) an enrolled kiosk may open.
OPEN_ENDPOINTS = {"kiosk_ui.enrol"}
# Pages an out-of-service kiosk still serves.
OUT_OF_SERVICE_ENDPOINTS = {"kiosk_ui.wipe"}


@bp.before_request
def require_enrolled_kiosk():  # type: ignore[no-untyped-def]
    """Know the kiosk, wipe an idle citizen, and refuse work when out of service."""
    g.kiosk = None
    g.officer = None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    g.kiosk = device_kiosk(db.session)
    if g.kiosk is None:
        session.clear()
        return redirect(url_for("kiosk_ui.enrol"))
    g.idle_wiped = touch_and_check_idle()
    g.officer = _assisting_officer()
    if not g.kiosk.in_service and request.endpoint not in OUT_OF_SERVICE_ENDPOINTS:
        session.clear()
        return render_template("kiosk/out_of_service.html", kiosk=g.kiosk), 503
    return None


def _assisting_officer() -> User | None:
    signed_in = session.get(OFFICER)
    if not isinstance(signed_in, dict):
        session.pop(OFFICER, None)
        return None
    user = db.session.get(User, signed_in.get("id"))
    if not session_is_current(user, signed_in.get("version")) or user.role is not Role.OFFICER:  # type: ignore[union-attr]
        session.pop(OFFICER, None)
        return None
    return user


@bp.after_request
def keep_out_of_caches(response: Response) -> Response:
    """Nothing of a citizen may come back from a cache or the Back button."""
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Pragma"] = "no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


from kiosk.kiosk_ui import assisted, complaints, guidance, status, views  # noqa: E402,F401
