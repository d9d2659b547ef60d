"""Admin pages for the holiday table: list by year, add, edit, remove."""

from datetime import MAXYEAR, MINYEAR, date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.admin import bp
from kiosk.admin.common import show_errors
from kiosk.admin.forms.holidays import KIND_LABELS, HolidayForm
from kiosk.auth import current_staff
from kiosk.extensions import db, unit_of_work
from services.catalog.holidays import (
    add_holiday,
    get_holiday,
    holiday_years,
    holidays_in,
    remove_holiday,
    update_holiday,
)
from services.errors import ValidationFailed


@bp.get("/holidays/")
def holidays():
    year = request.args.get("year", type=int)
    if year is None or not MINYEAR <= year <= MAXYEAR:
        year = date.today().year  # ?year= beyond any date (or no number at all)
    years = sorted(set(holiday_years(db.session)) | {year, date.today().year})
    return render_template("admin/holidays/list.html", year=year, years=years,
                           holidays=holidays_in(db.session, year), kind_labels=KIND_LABELS)


def _save(form: HolidayForm, holiday_id: int | None):  # type: ignore[no-untyped-def]
    try:
        with unit_of_work():
            if holiday_id is None:
                holiday = add_holiday(db.session, form.to_input(), actor=current_staff())
            else:
                holiday = update_holiday(db.session, holiday_id, form.to_input(),
                                         actor=current_staff())
    except ValidationFailed as error:
        return show_errors(form, error)
    flash(_("Hari libur %(day)s disimpan.", day=holiday.day.strftime("%d-%m-%Y")), "ok")
    return redirect(url_for("admin.holidays", year=holiday.day.year))


@bp.route("/holidays/new", methods=["GET", "POST"])
def new_holiday():
    form = HolidayForm()
    problems: list[str] = []
    if form.validate_on_submit():
        result = _save(form, None)
        if not isinstance(result, list):
            return result
        problems = result
    return render_template("admin/holidays/form.html", form=form, holiday=None, problems=problems)


@bp.route("/holidays/<int:holiday_id>/edit", methods=["GET", "POST"])
def edit_holiday(holiday_id: int):
    holiday = get_holiday(db.session, holiday_id)
    form = HolidayForm(obj=holiday)
    problems: list[str] = []
    if form.validate_on_submit():
        result = _save(form, holiday_id)
        if not isinstance(result, list):
            return result
        problems = result
    return render_template("admin/holidays/form.html", form=form, holiday=holiday,
                           problems=problems)


@bp.post("/holidays/<int:holiday_id>/remove")
def remove_holiday_view(holiday_id: int):
    year = get_holiday(db.session, holiday_id).day.year
    with unit_of_work():
        remove_holiday(db.session, holiday_id, actor=current_staff())
    flash(_("Hari libur dihapus."), "ok")
    return redirect(url_for("admin.holidays", year=year))
