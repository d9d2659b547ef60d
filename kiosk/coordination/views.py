"""Coordinator pages. Each view parses its form, calls one use case, commits and redirects;
authorisation is decided in services.complaints.access."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from kiosk.auth import current_staff
from kiosk.berkas import complaint_photo_response
from kiosk.complaints.labels import privacy_name
from kiosk.coordination import bp
from kiosk.extensions import city_calendar, clock, db, unit_of_work, writes_on_get
from kiosk.i18n import current_language
from kiosk.messages import error_messages
from services.berkas.evidence import complaint_photos
from services.catalog.queries import agencies
from services.complaints import handling
from services.complaints.access import complaint_for_coordinator
from services.complaints.privacy import personal_data_suspects
from services.complaints.read_models import INBOX_VIEWS, complaint_figures, coordinator_inbox
from services.complaints.transitions import (
    COORDINATOR_ACTIONS,
    available_actions,
    can_publish,
)
from services.errors import DomainError


@bp.get("/")
def inbox():
    view = request.args.get("view", "verify")
    if view not in INBOX_VIEWS:
        view = "verify"
    return render_template("coordination/inbox.html", view=view, lang=current_language(),
                           rows=coordinator_inbox(db.session, actor=current_staff(), view=view),
                           figures=complaint_figures(db.session), now=clock().now())


@bp.get("/pengaduan/<code>")
def complaint_page(code: str):
    complaint = complaint_for_coordinator(db.session, current_staff(), code)
    lang = current_language()
    forwarded = {f.agency_id for f in complaint.forwardings}
    agency_text = complaint.agency_text or handling.default_agency_text(complaint)
    return render_template(
        "coordination/complaint.html", c=complaint, lang=lang, form=FlaskForm(),
        privacy=privacy_name(complaint.privacy, lang), now=clock().now(),
        actions=available_actions(complaint.status, COORDINATOR_ACTIONS),
        can_publish=can_publish(complaint.status),
        agency_text=agency_text,
        agency_suspects=personal_data_suspects(agency_text),
        public_suspects=personal_data_suspects(complaint.public_text or agency_text),
        agencies=[a for a in agencies(db.session) if a.id not in forwarded],
        photos=complaint_photos(db.session, complaint),
        photo_endpoint="coordination.complaint_photo")


@bp.get("/pengaduan/<code>/foto/<token>")
@writes_on_get  # every view of a complainant's photo is audited
def complaint_photo(code: str, token: str):
    return complaint_photo_response(code, token)


def _act(code: str, action, done: str):  # type: ignore[no-untyped-def]
    """Run one use case for the complaint (CSRFProtect has checked the form); a domain error
    is shown and changes nothing."""
    try:
        with unit_of_work():
            action()
    except DomainError as error:
        for message in error_messages(error):
            flash(message, "error")
    else:
        flash(done, "status")
    return redirect(url_for("coordination.complaint_page", code=code))


def _seams() -> dict[str, Any]:
    """The app's city calendar and the time now, as every complaint use case takes them."""
    return {"calendar": city_calendar(), "now": clock().now()}


@bp.post("/pengaduan/<code>/teruskan")
def forward(code: str):
    return _act(code, lambda: handling.forward_complaint(
        db.session, actor=current_staff(), tracking_code=code,
        agency_codes=request.form.getlist("agencies"), note=request.form.get("note", ""),
        agency_text=request.form.get("agency_text", ""), **_seams()),
        _("Pengaduan diteruskan."))


@bp.post("/pengaduan/<code>/tolak")
def decline(code: str):
    return _act(code, lambda: handling.decline_complaint(
        db.session, actor=current_staff(), tracking_code=code,
        reason=request.form.get("reason", ""), now=clock().now()),
        _("Pengaduan dinyatakan tidak dapat diproses."))


@bp.post("/pengaduan/<code>/kembalikan")
def send_back(code: str):
    return _act(code, lambda: handling.send_back_answer(
        db.session, actor=current_staff(), tracking_code=code,
        agency_code=request.form.get("agency", ""), note=request.form.get("note", ""),
        **_seams()), _("Tanggapan dikembalikan ke instansi."))


@bp.post("/pengaduan/<code>/putuskan")
def decide(code: str):
    reopen = request.form.get("decision") == "reopen"
    return _act(code, lambda: handling.decide_reopen(
        db.session, actor=current_staff(), tracking_code=code, reopen=reopen,
        note=request.form.get("note", ""), **_seams()),
        _("Pengaduan dibuka kembali.") if reopen else _("Pengaduan ditutup."))


@bp.post("/pengaduan/<code>/publikasi")
def publish(code: str):
    return _act(code, lambda: handling.publish_complaint(
        db.session, actor=current_staff(), tracking_code=code,
        public_text=request.form.get("public_text", ""), now=clock().now()),
        _("Pengaduan ditampilkan di papan pengaduan."))


@bp.post("/pengaduan/<code>/tarik")
def unpublish(code: str):
    return _act(code, lambda: handling.unpublish_complaint(
        db.session, actor=current_staff(), tracking_code=code, now=clock().now()),
        _("Pengaduan ditarik dari papan pengaduan."))
