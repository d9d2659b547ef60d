"""The agency's complaints under /clerk/pengaduan: the queue and the answer form. Clerks get
the agency's view of a complaint (services.complaints.read_models), never the complaint itself, so
a confidential or anonymous complainant cannot show here."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from kiosk.auth import current_staff
from kiosk.berkas import complaint_photo_response
from kiosk.clerk import bp
from kiosk.extensions import city_calendar, clock, db, unit_of_work, writes_on_get
from kiosk.i18n import current_language
from kiosk.messages import error_messages
from services.berkas.evidence import complaint_photos
from services.complaints.access import forwarding_for_staff
from services.complaints.handling import answer_complaint
from services.complaints.read_models import (
    AGENCY_VIEWS,
    agency_complaint,
    agency_counts,
    agency_queue,
)
from services.errors import DomainError


@bp.get("/pengaduan")
def complaints():
    view = request.args.get("view", "open")
    if view not in AGENCY_VIEWS:
        view = "open"
    actor = current_staff()
    return render_template("clerk/complaints.html", view=view, now=clock().now(),
                           rows=agency_queue(db.session, actor=actor, view=view,
                                             lang=current_language()),
                           counts=agency_counts(db.session, actor=actor))


@bp.get("/pengaduan/<code>")
def complaint_page(code: str):
    actor = current_staff()
    view = agency_complaint(db.session, actor=actor, tracking_code=code,
                            lang=current_language())
    complaint = forwarding_for_staff(db.session, actor, code).complaint
    return render_template("clerk/complaint.html", c=view, form=FlaskForm(), now=clock().now(),
                           answer=request.args.get("answer", ""),
                           photos=complaint_photos(db.session, complaint),
                           photo_endpoint="clerk.complaint_photo")


@bp.get("/pengaduan/<code>/foto/<token>")
@writes_on_get  # every view of a complainant's photo is audited
def complaint_photo(code: str, token: str):
    return complaint_photo_response(code, token)


@bp.post("/pengaduan/<code>/jawab")
def answer(code: str):
    try:
        with unit_of_work():
            answer_complaint(db.session, actor=current_staff(), tracking_code=code,
                             answer=request.form.get("answer", ""),
                             calendar=city_calendar(), now=clock().now())
    except DomainError as error:
        for message in error_messages(error):
            flash(message, "error")
        view = agency_complaint(db.session, actor=current_staff(), tracking_code=code,
                                lang=current_language())
        return render_template("clerk/complaint.html", c=view, form=FlaskForm(), now=clock().now(),
                               answer=request.form.get("answer", "")), 422
    flash(_("Tanggapan terkirim. Pelapor dapat melihat dan menilainya."), "status")
    return redirect(url_for("clerk.complaint_page", code=code))
