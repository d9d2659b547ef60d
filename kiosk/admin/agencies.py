"""Admin pages for agencies: list, create, edit, deactivate."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from kiosk.admin import bp
from kiosk.admin.common import show_errors
from kiosk.admin.forms.agencies import AgencyForm
from kiosk.auth import current_staff
from kiosk.extensions import db, unit_of_work
from kiosk.messages import say
from services.catalog.agencies import (
    create_agency,
    deactivate_agency,
    get_agency,
    list_agencies,
    update_agency,
)
from services.errors import Conflict, ValidationFailed


@bp.get("/agencies/")
def agencies():
    return render_template("admin/agencies/list.html", agencies=list_agencies(db.session))


@bp.route("/agencies/new", methods=["GET", "POST"])
def new_agency():
    form = AgencyForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with unit_of_work():
                agency = create_agency(db.session, form.to_input(), actor=current_staff())
        except ValidationFailed as error:
            problems = show_errors(form, error)
        else:
            flash(_("Instansi %(code)s ditambahkan.", code=agency.code), "ok")
            return redirect(url_for("admin.agencies"))
    return render_template("admin/agencies/form.html", form=form, agency=None, problems=problems)


@bp.route("/agencies/<code>/edit", methods=["GET", "POST"])
def edit_agency(code: str):
    agency = get_agency(db.session, code)
    form = AgencyForm(obj=agency)
    form.code.data = agency.code
    if not form.is_submitted():
        form.kind.data = agency.kind.value
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with unit_of_work():
                update_agency(db.session, code, form.to_input(), actor=current_staff())
        except Conflict as error:
            flash(say(error.message), "error")
        except ValidationFailed as error:
            problems = show_errors(form, error)
        else:
            flash(_("Instansi %(code)s disimpan.", code=code), "ok")
            return redirect(url_for("admin.agencies"))
    return render_template("admin/agencies/form.html", form=form, agency=agency, problems=problems)


@bp.post("/agencies/<code>/deactivate")
def deactivate_agency_view(code: str):
    try:
        with unit_of_work():
            deactivate_agency(db.session, code, actor=current_staff())
    except Conflict as error:
        flash(say(error.message), "error")
    else:
        flash(_("Instansi %(code)s dinonaktifkan.", code=code), "ok")
    return redirect(url_for("admin.agencies"))
