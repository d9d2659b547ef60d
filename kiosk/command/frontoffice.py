"""The command center's front-office page: each counter group's day, against its target wait."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request

from kiosk.command import bp
from kiosk.extensions import clock, db
from services.frontoffice.figures import group_day_figures, latest_ticket_day


@bp.get("/loket")
def front_office():
    tz = current_app.config["CITY_TIMEZONE"]
    today = clock().now().astimezone(ZoneInfo(tz)).date()
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = latest_ticket_day(db.session, today)
    return render_template("command/loket.html", day=day, today=today,
                           rows=group_day_figures(db.session, day=day, tz=tz))
