"""Assisted mode: a kiosk officer (petugas pendamping) signs in at the kiosk to help."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _

from kiosk.anjungan import bp
from kiosk.anjungan.calls import calls_context
from kiosk.anjungan.draft import OFFICER
from kiosk.anjungan.forms import OfficerForm
from kiosk.auth.views import attempt_sign_in, sign_in_refusal
from kiosk.extensions import limiter
from services.models import Role


@bp.route("/officer", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def officer():
    """A kiosk officer signs in to help; the idle wipe signs them out."""
    form = OfficerForm()
    if form.validate_on_submit():
        signed = attempt_sign_in(form.username.data or "", form.password.data or "")
        user = signed.user
        if signed.locked_until:
            flash(sign_in_refusal(signed), "error")
        elif user is None or user.role is not Role.OFFICER:
            flash(_("Nama pengguna atau kata sandi salah, atau akun ini bukan petugas "
                    "pendamping."), "error")
        else:
            session[OFFICER] = {"id": user.id, "version": user.session_version}
            return redirect(url_for("anjungan.home"))
    if g.officer is not None:
        return render_template("kiosk/officer.html", form=form,
                               ack_endpoint="anjungan.acknowledge_call", **calls_context(g.officer))
    return render_template("kiosk/officer.html", form=form)


@bp.post("/officer/out")
def officer_out():
    session.pop(OFFICER, None)
    return redirect(url_for("anjungan.home"))
