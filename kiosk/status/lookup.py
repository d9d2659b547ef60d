"""What every look-up by tracking code and PIN does on a page, for a request (kiosk.
citizen_status) and for a complaint (kiosk.complaints.lookup), at the kiosk and on the phone:
the code from the receipt's QR code fills the form, a wrong code and a wrong PIN answer in the
same words, a locked code says for how long, and a right PIN's changes are kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, request, session
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from kiosk.errors import settle
from kiosk.extensions import clock, db, pin_keyring, unit_of_work
from services.codes import PinKeyring
from services.errors import NotFound
from services.lookup import CodeLocked, minutes_left

Found = TypeVar("Found")


def start_lookup(form: FlaskForm, *forget: str) -> None:
    """A fresh look-up: forget what an earlier one left in the session, and take the code
    from the receipt's QR code (never the PIN)."""
    for key in forget:
        session.pop(key, None)
    if request.method == "GET" and request.args.get("code"):
        form.tracking_code.data = request.args["code"][:20]  # type: ignore[attr-defined]


def look_up(form: FlaskForm, find: Callable[[Session, str, str, PinKeyring], Found],
            wrong_message: str) -> Found | None:
    """What the submitted code and PIN give, or None (after telling the citizen why)."""
    if not form.validate_on_submit():
        return None
    fields: Any = form
    try:
        # Committed either way: an upgraded PIN hash and a right PIN forgiving earlier wrong
        # ones, or a wrong PIN counted (the refusal keeps its changes).
        with unit_of_work(keep_loaded=True):
            found = find(db.session, fields.tracking_code.data or "", fields.pin.data or "",
                         pin_keyring())
    except NotFound as wrong:
        refuse_lookup(wrong, wrong_message)
        return None
    return found


def refuse_lookup(error: NotFound, wrong_message: str) -> None:
    """Keep the wrong PIN the failed look-up counted, and tell the citizen, in the same words
    for a wrong code and a wrong PIN, or how long a locked code stays locked."""
    settle(error)
    if isinstance(error, CodeLocked):
        flash(_("Terlalu banyak PIN salah dicoba untuk kode ini. Coba lagi dalam "
                "%(minutes)s menit.", minutes=minutes_left(error.until, clock().now())), "error")
    else:
        flash(wrong_message, "error")
