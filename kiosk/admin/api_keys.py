"""API keys for other systems in the admin UI: the list, issuing one (its value shown once),
revoking one, and the audit of the calls made with keys."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from kiosk.admin import bp
from kiosk.admin.common import show_errors
from kiosk.admin.forms import options
from kiosk.auth import current_staff
from kiosk.extensions import db, unit_of_work
from services.apikeys import (
    DEFAULT_RATE_LIMIT,
    api_key_calls,
    api_keys,
    issue_api_key,
    refused_key_calls,
    revoke_api_key,
)
from services.db import utcnow
from services.errors import ValidationFailed
from services.models import Scope

SCOPE_LABELS = {
    Scope.CATALOG_READ.value: _l("Membaca katalog layanan (catalog:read)"),
    Scope.REQUESTS_SUBMIT.value: _l("Mengajukan permohonan (requests:submit)"),
    Scope.REQUESTS_READ_OWN.value: _l("Membaca permohonan yang diajukannya (requests:read-own)"),
}


class ApiKeyForm(FlaskForm):
    name = StringField(_l("Nama kunci"), validators=[DataRequired(), Length(max=120)])
    owner_system = StringField(_l("Sistem pemilik"), validators=[DataRequired(), Length(max=120)])
    scopes = SelectMultipleField(_l("Cakupan"), choices=options(SCOPE_LABELS.items()),
                                 default=[Scope.CATALOG_READ.value],
                                 widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    rate_limit = StringField(_l("Batas panggilan"), default=DEFAULT_RATE_LIMIT,
                             validators=[DataRequired(), Length(max=60)])


class ActionForm(FlaskForm):
    """An empty form: a button that posts with a CSRF token."""


@bp.get("/api-keys")
def api_key_list():
    return render_template("admin/api_keys/list.html", keys=api_keys(db.session),
                           scope_labels=SCOPE_LABELS, action=ActionForm())


@bp.route("/api-keys/new", methods=["GET", "POST"])
def new_api_key():
    form = ApiKeyForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with unit_of_work():
                issued = issue_api_key(db.session, name=form.name.data, scopes=form.scopes.data,
                                       owner_system=form.owner_system.data,
                                       rate_limit=form.rate_limit.data, actor=current_staff())
        except ValidationFailed as error:
            problems = show_errors(form, error)
        else:
            response = make_response(render_template("admin/api_keys/issued.html",
                                                     key=issued.key, secret=issued.secret))
            response.headers["Cache-Control"] = "no-store"  # the key is shown once
            return response
    return render_template("admin/api_keys/new.html", form=form, problems=problems)


@bp.post("/api-keys/<int:key_id>/revoke")
def revoke_key(key_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work():
        key = revoke_api_key(db.session, key_id, actor=current_staff())
    flash(_("Kunci %(prefix)s dicabut; panggilan berikutnya dengan kunci ini ditolak.",
            prefix=key.prefix), "ok")
    return redirect(url_for("admin.api_key_list"))


@bp.get("/api-keys/calls")
def api_key_call_log():
    key_id = request.args.get("key", type=int)
    return render_template("admin/api_keys/calls.html", keys=api_keys(db.session),
                           calls=api_key_calls(db.session, key_id=key_id), key_id=key_id,
                           refused=refused_key_calls(db.session,
                                                     since=utcnow() - timedelta(days=1)))
