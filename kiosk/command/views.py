"""The command center's pages: one period's outputs for the city or one agency, each table
downloadable as CSV, and the administrator's yearly targets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.auth import current_staff
from kiosk.command import bp
from kiosk.command.charts import bar_chart
from kiosk.command.forms import TargetForm
from kiosk.command.reports import yearly_report
from kiosk.command.tables import command_tables, number
from kiosk.extensions import db, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import say
from services.catalog.queries import agencies
from services.db import utcnow
from services.errors import ValidationFailed
from services.export_text import csv_text
from services.performance.access import figures_scope, require_target_setter
from services.performance.figures import Outputs, Period, outputs
from services.performance.report import render_report
from services.performance.targets import set_target, targets_for_year

PERIODS = ("30", "90", "year")


def _tz() -> str:
    return current_app.config["CITY_TIMEZONE"]


def chosen_period(now: datetime) -> tuple[str, Period]:
    """The period asked for: the last 30 or 90 days, this year, or a past year (?year=)."""
    today = now.astimezone(ZoneInfo(_tz())).date()
    year = request.args.get("year", type=int)
    if year is not None:
        if not 2000 <= year <= today.year:
            abort(404)
        return "year", Period.year(year, _tz())
    choice = request.args.get("period", "30")
    if choice == "year":
        return choice, Period(date(today.year, 1, 1), today, _tz())
    if choice not in PERIODS:
        choice = "30"
    return choice, Period.last_days(int(choice), today, _tz())


def current_outputs() -> tuple[str, Outputs, int | None]:
    """The period asked for, its figures and the agency the reader is limited to (or None)."""
    now = utcnow()
    choice, period = chosen_period(now)
    scope = figures_scope(current_staff())
    return choice, outputs(db.session, period, now=now, lang=current_language(),
                           agency_id=scope), scope


@bp.get("/")
def dashboard():
    choice, figures, scope = current_outputs()
    lang = current_language()
    days = list(figures.submitted_by_day.items())
    charts = {
        "days": bar_chart([d.strftime("%d/%m") for d, _c in days],
                          [sum(c.values()) for _d, c in days],
                          title=_("Permohonan per hari")),
        "on_time": bar_chart([a.code for a in figures.agencies],
                             [a.on_time_percent for a in figures.agencies],
                             title=_("Tepat waktu per instansi") + " (%)", maximum=100),
    }
    return render_template("command/dashboard.html", figures=figures, choice=choice,
                           tables=command_tables(db.session, figures, lang, scope),
                           charts=charts,
                           year=figures.period.last.year)


@bp.get("/<key>.csv")
def table_csv(key: str):
    """One table of the page as CSV, with the same rows and the same values."""
    _choice, figures, scope = current_outputs()
    tables = command_tables(db.session, figures, current_language(), scope)
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        abort(404)
    name = f"kinerja-{table.key}-{figures.period.first}-{figures.period.last}.csv"
    return Response(csv_text([table.columns, *table.rows]), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/report.pdf")
def report_pdf():
    """The yearly evaluation of the year asked for (default this year) as a PDF."""
    now = utcnow()
    year = request.args.get("year", type=int) or now.year
    if not 2000 <= year <= now.year:
        abort(404)
    scope = figures_scope(current_staff())
    lang = current_language()
    figures = outputs(db.session, Period.year(year, _tz()), now=now, lang=lang, agency_id=scope)
    pdf = render_report(yearly_report(db.session, figures, agency_id=scope,
                                      city_name=current_app.config["CITY_NAME"], lang=lang))
    name = f"evaluasi-{year}{'-' + figures.agency_code if figures.agency_code else ''}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.route("/targets", methods=["GET", "POST"])
def targets():
    """The administrator sets each agency's targets for a year."""
    actor = current_staff()
    require_target_setter(actor)
    year = request.values.get("year", type=int) or utcnow().year
    form = TargetForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                set_target(db.session, actor=actor, agency_code=form.agency.data or "", year=year,
                           values=form.to_input())
        except ValidationFailed as error:
            flash(say(error.message), "error")
        else:
            flash(_("Target disimpan."), "success")
            return redirect(url_for("command.targets", year=year))
    elif request.method == "POST":
        flash(_("Target belum disimpan. Periksa isian."), "error")
    current = targets_for_year(db.session, year)
    rows = []
    for agency in agencies(db.session):
        target = current.get(agency.code)
        row_form = TargetForm(formdata=None, agency=agency.code,
                              on_time_percent=target.on_time_percent if target else None,
                              ikm=target.ikm if target else None,
                              complaints_resolved_percent=(
                                  target.complaints_resolved_percent if target else None))
        rows.append((agency, row_form))
    return render_template("command/targets.html", year=year, rows=rows)


@bp.app_template_filter("percent")
def percent_filter(value: Decimal | None) -> str:
    """A share as the tables write it, with a percent sign; a dash for none."""
    text = number(value, current_language())
    return text if value is None else f"{text}%"
