"""Treasurer pages. Each view parses its input, calls one use case, commits and redirects or
renders; a domain error is shown and changes nothing."""

from __future__ import annotations

from datetime import date

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField

from kiosk.auth import current_staff
from kiosk.bendahara import bp
from kiosk.extensions import city_calendar, clock, db, unit_of_work
from kiosk.messages import error_messages
from services.errors import DomainError
from services.models import TreasurerDecision
from services.payments.reconciliation import (
    parse_statement,
    reconcile,
    reconciliation_csv,
    reconciliation_of,
)
from services.payments.treasury import (
    cancelled_bills,
    day_payments,
    decide_payment,
    payments_to_decide,
    require_treasurer,
)

MAX_STATEMENT_BYTES = 2 * 1024 * 1024


class StatementForm(FlaskForm):
    day = DateField("day")
    statement = FileField("statement", validators=[FileRequired()])


def _tz() -> str:
    return current_app.config["CITY_TIMEZONE"]


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else city_calendar().local_day(clock().now())
    except ValueError:
        return city_calendar().local_day(clock().now())


@bp.get("/")
def payments():
    actor = current_staff()
    day = _day(request.args.get("day"))
    return render_template("bendahara/payments.html", day=day, form=FlaskForm(),
                           paid=day_payments(db.session, actor, day, _tz()),
                           odd=payments_to_decide(db.session, actor),
                           cancelled=cancelled_bills(db.session, actor, limit=20),
                           decisions=list(TreasurerDecision))


@bp.post("/pembayaran/<int:payment_id>/keputusan")
def decide(payment_id: int):
    try:
        decision = TreasurerDecision(request.form.get("decision", ""))
    except ValueError:
        flash(_("Pilih keputusan: kembalikan atau terima."), "error")
        return redirect(url_for("bendahara.payments"))
    try:
        with unit_of_work():
            decide_payment(db.session, actor=current_staff(), payment_id=payment_id,
                           decision=decision, note=request.form.get("note", ""),
                           now=clock().now())
    except DomainError as error:
        for message in error_messages(error):
            flash(message, "error")
    else:
        flash(_("Keputusan dicatat."), "status")
    return redirect(url_for("bendahara.payments"))


@bp.route("/rekonsiliasi", methods=["GET", "POST"])
def reconciliation():
    actor = current_staff()
    require_treasurer(actor)
    form = StatementForm()
    day = _day(request.values.get("day"))
    if form.validate_on_submit():
        day = form.day.data or day
        raw = form.statement.data.read(MAX_STATEMENT_BYTES + 1)
        try:
            if len(raw) > MAX_STATEMENT_BYTES:
                flash(_("Berkas rekening koran terlalu besar (paling besar 2 MB)."), "error")
                return render_template("bendahara/reconciliation.html", form=form, day=day,
                                       result=None), 413
            with unit_of_work():
                reconcile(db.session, parse_statement(raw.decode("utf-8-sig"), tz=_tz()),
                          day=day, now=clock().now(), calendar=city_calendar())
        except UnicodeDecodeError:
            flash(_("Berkas rekening koran harus teks UTF-8 (CSV)."), "error")
            return render_template("bendahara/reconciliation.html", form=form, day=day,
                                   result=None), 422
        except DomainError as error:
            for message in error_messages(error):
                flash(message, "error")
            return render_template("bendahara/reconciliation.html", form=form, day=day,
                                   result=None), 422
        flash(_("Rekening koran dicocokkan."), "status")
        return redirect(url_for("bendahara.reconciliation", day=day.isoformat()))
    result = reconciliation_of(db.session, day, tz=_tz())
    return render_template("bendahara/reconciliation.html", form=form, day=day, result=result)


@bp.get("/rekonsiliasi.csv")
def reconciliation_export():
    require_treasurer(current_staff())
    day = _day(request.args.get("day"))
    text = reconciliation_csv(reconciliation_of(db.session, day, tz=_tz()), _tz())
    return Response(text, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="rekonsiliasi-{day.isoformat()}.csv"'})
