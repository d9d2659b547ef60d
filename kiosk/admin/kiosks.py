"""Kiosks in the admin UI: their status, creating one, issuing its one-time enrolment code,
revoking its device token, and taking it out of (or back into) service."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from kiosk.admin import bp
from kiosk.auth import current_staff
from kiosk.extensions import db, unit_of_work
from kiosk.officer.desk import call_desk_context, register_call_desk
from services.errors import ValidationFailed
from services.kiosks.devices import (
    create_kiosk,
    get_kiosk,
    issue_enrolment_code,
    revoke_kiosk,
    set_in_service,
)
from services.kiosks.status import kiosk_statuses
from services.models import PrinterState

PRINTER_LABELS = {
    PrinterState.UNKNOWN: _l("Belum diketahui"),
    PrinterState.READY: _l("Siap"),
    PrinterState.PAPER_LOW: _l("Kertas hampir habis"),
    PrinterState.OUT_OF_PAPER: _l("Kertas habis"),
    PrinterState.OFFLINE: _l("Printer tidak terhubung"),
    PrinterState.ERROR: _l("Printer bermasalah"),
}


class KioskForm(FlaskForm):
    code = StringField(_l("Kode kios"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[A-Z0-9][A-Z0-9-]*$", message=_l("Huruf besar, angka dan tanda hubung saja.")),
    ], filters=[lambda value: value.strip().upper() if value else value])
    name = StringField(_l("Nama"), validators=[DataRequired(), Length(max=120)])
    location = StringField(_l("Lokasi"), validators=[Optional(), Length(max=300)])


class ServiceForm(FlaskForm):
    note = StringField(_l("Pesan untuk warga"), validators=[Optional(), Length(max=300)])


class ActionForm(FlaskForm):
    """An empty form: a button that posts with a CSRF token."""


@bp.get("/kiosks")
def kiosks():
    statuses = kiosk_statuses(db.session, tz=current_app.config["CITY_TIMEZONE"])
    return render_template("admin/kiosks/list.html", statuses=statuses,
                           printer_labels=PRINTER_LABELS, action=ActionForm(),
                           service_form=ServiceForm(), **call_desk_context("admin"))


register_call_desk(bp, path="/kiosks/calls", back_endpoint="admin.kiosks")


@bp.route("/kiosks/new", methods=["GET", "POST"])
def new_kiosk():
    form = KioskForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                kiosk = create_kiosk(db.session, code=form.code.data, name=form.name.data,
                                     location=form.location.data or "", actor=current_staff())
        except ValidationFailed:
            form.code.errors = [*form.code.errors, _("Kode ini sudah dipakai.")]
        else:
            flash(_("Kios %(code)s dibuat. Terbitkan kode pendaftaran untuk PC kios.",
                    code=kiosk.code), "ok")
            return redirect(url_for("admin.kiosks"))
    return render_template("admin/kiosks/new.html", form=form)


@bp.post("/kiosks/<code>/enrolment-code")
def kiosk_enrolment_code(code: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work():
        enrolment_code = issue_enrolment_code(db.session, code, actor=current_staff())
        kiosk = get_kiosk(db.session, code)
    response = make_response(render_template("admin/kiosks/enrolment_code.html", kiosk=kiosk,
                                             enrolment_code=enrolment_code))
    response.headers["Cache-Control"] = "no-store"  # the code is shown once
    return response


@bp.post("/kiosks/<code>/revoke")
def kiosk_revoke(code: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work():
        revoke_kiosk(db.session, code, actor=current_staff())
    flash(_("Token kios %(code)s dicabut. PC kios berhenti mencetak sampai didaftarkan ulang.",
            code=code), "ok")
    return redirect(url_for("admin.kiosks"))


@bp.post("/kiosks/<code>/out-of-service")
def kiosk_out_of_service(code: str):
    form = ServiceForm()
    if not form.validate_on_submit():
        abort(400)
    with unit_of_work():
        set_in_service(db.session, code, False, form.note.data or "", actor=current_staff())
    flash(_("Kios %(code)s tidak melayani.", code=code), "ok")
    return redirect(url_for("admin.kiosks"))


@bp.post("/kiosks/<code>/in-service")
def kiosk_in_service(code: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work():
        set_in_service(db.session, code, True, actor=current_staff())
    flash(_("Kios %(code)s melayani kembali.", code=code), "ok")
    return redirect(url_for("admin.kiosks"))
