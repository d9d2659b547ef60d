"""`flask report yearly`: the yearly evaluation PDF for the city or one agency."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from kiosk.command.reports import yearly_report
from kiosk.extensions import db, unit_of_work
from services.db import utcnow
from services.models import Agency
from services.performance.figures import Period, outputs
from services.performance.report import render_report
from services.performance.rollups import refresh_rollups

report_cli = AppGroup("report", help="Evaluation reports.")
figures_cli = AppGroup("figures", help="The command center's daily rollups.")


@figures_cli.command("refresh")
@click.option("--from", "first", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Recompute from this day (default: a little before the last refresh).")
def figures_refresh(first: datetime | None) -> None:
    """Roll up every local day up to yesterday (run daily, or with the SLA sweep)."""
    tz = current_app.config["CITY_TIMEZONE"]
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    with unit_of_work():
        period = refresh_rollups(db.session, today=today, tz=tz,
                                 first=first.date() if first else None)
    if period is None:
        click.echo("Nothing to roll up.")
    else:
        click.echo(f"Rolled up {period.first} to {period.last}.")


@report_cli.command("yearly")
@click.option("--year", type=int, required=True)
@click.option("--agency", "agency_code", default=None, help="An agency code; default the city.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def yearly(year: int, agency_code: str | None, lang: str, output: Path | None) -> None:
    """Write the yearly evaluation PDF (default: evaluasi-YEAR[-AGENCY].pdf)."""
    agency_id = None
    if agency_code:
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == agency_code))
        if agency_id is None:
            click.echo(f"Unknown agency {agency_code}.", err=True)
            sys.exit(2)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.test_request_context("/command/"), force_locale(lang):
        figures = outputs(db.session, Period.year(year, app.config["CITY_TIMEZONE"]),
                          now=utcnow(), lang=lang, agency_id=agency_id)
        pdf = render_report(yearly_report(db.session, figures, agency_id=agency_id,
                                          city_name=app.config["CITY_NAME"], lang=lang))
    target = output or Path(f"evaluasi-{year}{'-' + agency_code if agency_code else ''}.pdf")
    target.write_bytes(pdf)
    click.echo(f"Wrote {target} ({len(pdf)} bytes).")
