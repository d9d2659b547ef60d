"""The open calls from kiosks as a staff screen re-reads them, and the answer to one: shared by
the officer's desk and the administrators' kiosks page (each blueprint's guard decides who)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_wtf import FlaskForm

from kiosk.anjungan.calls import calls_context
from kiosk.auth import current_staff
from kiosk.extensions import db, unit_of_work
from services.kiosks.calls import acknowledge_officer_call


def call_desk_context(blueprint: str) -> dict[str, Any]:
    """What a page showing the calls needs: its template includes officer/_calls.html, and the
    blueprint registered the views below."""
    return {"calls_endpoint": f"{blueprint}.kiosk_calls",
            "ack_endpoint": f"{blueprint}.acknowledge_kiosk_call",
            **calls_context(current_staff())}


def register_call_desk(bp: Blueprint, *, path: str, back_endpoint: str) -> None:
    """``<bp>.kiosk_calls`` (GET ``path``: the list, re-read every few seconds by
    static/officer_calls.js) and ``<bp>.acknowledge_kiosk_call`` (POST ``path/<id>/ack``)."""

    @bp.get(path, endpoint="kiosk_calls")
    def kiosk_calls():  # type: ignore[no-untyped-def]
        return render_template("kiosk/_officer_calls.html", **call_desk_context(bp.name))

    @bp.post(f"{path}/<int:call_id>/ack", endpoint="acknowledge_kiosk_call")
    def acknowledge_kiosk_call(call_id: int):  # type: ignore[no-untyped-def]
        if not FlaskForm().validate_on_submit():
            abort(400)
        with unit_of_work():
            acknowledge_officer_call(db.session, call_id, current_staff())
        return redirect(url_for(back_endpoint))
