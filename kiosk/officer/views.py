"""The officer's desk page."""

from __future__ import annotations

from flask import render_template

from kiosk.anjungan.calls import calls_context
from kiosk.auth import current_staff
from kiosk.officer import bp
from kiosk.officer.desk import register_call_desk


@bp.get("/")
def desk():
    return render_template("officer/desk.html", ack_endpoint="officer.acknowledge_kiosk_call",
                           **calls_context(current_staff()))


register_call_desk(bp, path="/panggilan", back_endpoint="officer.desk")
