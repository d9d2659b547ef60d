"""/kinerja: every agency's timeliness over twelve months, for anyone, no sign-in."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app, render_template

from kiosk.command import public_bp
from kiosk.command.charts import bar_chart
from kiosk.extensions import db
from kiosk.i18n import current_language
from services.db import utcnow
from services.frontoffice.figures import public_waits
from services.performance.public import MIN_PUBLIC_CELL, public_performance


@public_bp.app_template_filter("ikm_value")
def ikm_value_filter(value: Decimal) -> str:
    """An IKM as the regulation gives it, two decimals, with the city's decimal comma."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if current_language() == "id" else text


@public_bp.get("/kinerja")
def performance():
    tz = current_app.config["CITY_TIMEZONE"]
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    rows = public_performance(db.session, today=today, tz=tz, lang=current_language())
    charts = {row.code: bar_chart([m[5:] for m, _ in row.trend], [v for _, v in row.trend],
                                  title=row.name, width=240, height=60, maximum=100,
                                  labels_shown=False)
              for row in rows}
    return render_template("command/kinerja.html", rows=rows, charts=charts,
                           minimum=MIN_PUBLIC_CELL,
                           waits=public_waits(db.session, today=today))
