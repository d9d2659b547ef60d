"""Calling the officer from the kiosk ("Panggil petugas"), and the officer's side of it: the
open calls on the officer's screen at the kiosk, answered with one tap."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.anjungan import bp
from kiosk.extensions import db, unit_of_work
from services.kiosks.calls import (
    CallState,
    acknowledge_officer_call,
    kiosk_call_state,
    open_calls,
    raise_officer_call,
)


def call_text(state: CallState) -> str:
    """What the kiosk says about its call to the officer."""
    if state is CallState.WAITING:
        return _("Petugas sudah dipanggil. Mohon tunggu sebentar.")
    if state is CallState.COMING:
        return _("Petugas segera datang.")
    return ""


def waited_text(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    if minutes:
        return _("%(minutes)s menit %(seconds)s detik", minutes=minutes, seconds=seconds)
    return _("%(seconds)s detik", seconds=seconds)


def calls_context(actor: Any) -> dict[str, Any]:
    """The open calls for the officer's list, with how long each citizen has waited."""
    return {"calls": open_calls(db.session, actor), "waited_text": waited_text}


def _state_answer() -> Response:
    state = kiosk_call_state(db.session, g.kiosk)
    return jsonify({"state": state.value, "text": call_text(state)})


@bp.post("/call")
def call_officer():
    """A citizen calls the officer to this kiosk; the page they were on stays as it was."""
    with unit_of_work():
        raise_officer_call(db.session, g.kiosk)
    if request.accept_mimetypes.best == "application/json":
        return _state_answer()
    back = request.form.get("next", "")
    return redirect(back if back.startswith("/kiosk/") else url_for("anjungan.home"))


@bp.get("/call")
def call_state():
    """The kiosk's call, polled while it waits; it does not count as the citizen's activity."""
    return _state_answer()


@bp.get("/officer/calls")
def officer_calls():
    """The officer's list of open calls, re-read every few seconds by the officer's screen."""
    if g.officer is None:
        abort(403)
    return render_template("kiosk/_officer_calls.html",
                           ack_endpoint="anjungan.acknowledge_call", **calls_context(g.officer))


@bp.post("/officer/calls/<int:call_id>/ack")
def acknowledge_call(call_id: int):
    with unit_of_work():
        acknowledge_officer_call(db.session, call_id, g.officer)
    return redirect(url_for("anjungan.officer"))
