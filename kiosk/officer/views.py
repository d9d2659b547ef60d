"""The officer's desk page."""

from __future__ import annotations

from flask import render_template

from kiosk.officer import bp
from kiosk.officer.desk import call_desk_context, register_call_desk


@bp.get("/")
def desk():
    return render_template("officer/desk.html", **call_desk_context("officer"))


register_call_desk(bp, path="/panggilan", back_endpoint="officer.desk")
