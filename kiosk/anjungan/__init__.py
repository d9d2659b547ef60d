"""Anjungan (the self-service kiosk screens) under /kiosk: served only to enrolled kiosk devices,
wiped when idle. "Kiosk" elsewhere is the device (services.kiosks) or its PC program
(kiosk_client)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for

from kiosk.anjungan.device import device_kiosk
from kiosk.anjungan.draft import DRAFTS, OFFICER, check_generation, touch_and_check_idle
from kiosk.anjungan.receipt_screens import RECEIPT_POLLS, add_receipt_routes
from kiosk.extensions import db
from services.accounts import session_is_current
from services.models import Role, User

bp = Blueprint("anjungan", __name__)

# Pages a browser that is not (or no longer) an enrolled kiosk may open.
OPEN_ENDPOINTS = {"anjungan.enrol"}
# Pages an out-of-service kiosk still serves.
OUT_OF_SERVICE_ENDPOINTS = {"anjungan.wipe"}
# Polls that are no sign of a citizen at the screen: they neither keep nor wipe the session.
PASSIVE_ENDPOINTS = {"anjungan.call_state", "anjungan.officer_calls",
                     "anjungan.ticket_print_state", *RECEIPT_POLLS}
add_receipt_routes(bp)


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
        return redirect(url_for("anjungan.enrol"))
    check_generation()
    g.idle_wiped = request.endpoint not in PASSIVE_ENDPOINTS and touch_and_check_idle()
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


@bp.context_processor
def kiosk_screen() -> dict[str, Any]:
    """What every kiosk screen shows beside its content: the call to the officer, and whether
    there is a citizen's draft that "Batal dan hapus isian" would wipe."""
    if g.get("kiosk") is None:
        return {"call_state": None, "call_text": "", "has_draft": False}
    from kiosk.anjungan.calls import call_text
    from services.kiosks.calls import kiosk_call_state

    state = kiosk_call_state(db.session, g.kiosk)
    return {"call_state": state.value, "call_text": call_text(state),
            "has_draft": any(session.get(key) for key in DRAFTS)}


@bp.after_request
def keep_out_of_caches(response: Response) -> Response:
    """Nothing of a citizen may come back from a cache or the Back button."""
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Pragma"] = "no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


from kiosk.anjungan import assisted, calls, complaints, guidance, tickets, views  # noqa: E402,F401
from kiosk.status import at_kiosk  # noqa: E402,F401  (the look-ups at the kiosk)
