"""The public catalog of service standards (/layanan): no sign-in, printable, and meant to be
found by search engines, as UU 25/2009 Pasal 15 asks every provider to publish its standard."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template

from kiosk.extensions import db
from kiosk.i18n import current_language
from kiosk.public import bp
from services.catalog.poster import standard_poster
from services.catalog.queries import active_service, active_services, categories
from services.errors import NotFound


@bp.get("/layanan")
def standards():
    services = active_services(db.session)
    grouped = [(category, [s for s in services if s.category_id == category.id])
               for category in categories(db.session)]
    return render_template("public/standards.html", grouped=grouped, lang=current_language())


@bp.get("/layanan/<code>")
def standard(code: str):
    try:
        service = active_service(db.session, code.upper()[:40])
    except NotFound:
        abort(404)
    return render_template("public/standard.html", service=service,
                           version=service.current_version, lang=current_language())


@bp.get("/layanan/<code>/poster.pdf")
def standard_poster_pdf(code: str):
    """The standard as an A3 poster to print and hang at the service counter."""
    try:
        service = active_service(db.session, code.upper()[:40])
    except NotFound:
        abort(404)
    pdf = standard_poster(service.current_version, city=current_app.config["CITY_NAME"],
                          lang=current_language())
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="standar-{service.code}.pdf"'})
