"""Status look-up at the kiosk: tracking code and PIN give the request's timeline."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.extensions import db, limiter, lookup_rate_limit
from kiosk.i18n import current_language
from kiosk.kiosk_ui import bp
from kiosk.kiosk_ui.forms import LookupForm, SupplyForm
from services.codes import format_tracking_code
from services.errors import InvalidTransition, NotFound, ValidationFailed
from services.lookup import find_request
from services.models import RequestStatus, ServiceRequest
from services.timeline import citizen_timeline
from services.workflow.citizen import supply_information

LOOKUP = "kiosk_lookup"

STATUS_TEXT = {
    RequestStatus.SUBMITTED: _l("Diterima"),
    RequestStatus.IN_PROGRESS: _l("Sedang diproses"),
    RequestStatus.NEEDS_INFO: _l("Perlu informasi tambahan"),
    RequestStatus.APPROVED: _l("Disetujui"),
    RequestStatus.REJECTED: _l("Ditolak"),
    RequestStatus.COMPLETED: _l("Selesai"),
    RequestStatus.CANCELLED: _l("Dibatalkan"),
}


def render_result(found: ServiceRequest, supply_form: SupplyForm | None = None):  # type: ignore[no-untyped-def]
    """The request's status and timeline, with the form to add information when asked."""
    lang = current_language()
    needs_info = found.status is RequestStatus.NEEDS_INFO
    return render_template(
        "kiosk/status_result.html", request_=found,
        code=format_tracking_code(found.tracking_code),
        status_text=STATUS_TEXT[found.status],
        service_name=found.service_version.text("name", lang),
        timeline=citizen_timeline(found, lang),
        needs_info=needs_info,
        supply_form=(supply_form or SupplyForm()) if needs_info else None,
    )


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(lookup_rate_limit, methods=["POST"])
def status():
    """Tracking code and PIN give the timeline; a wrong code and a wrong PIN answer alike.
    The answer is the POST's own page, so nothing of it lands in a URL or the history."""
    form = LookupForm()
    session.pop(LOOKUP, None)
    if form.validate_on_submit():
        try:
            found = find_request(db.session, form.tracking_code.data or "", form.pin.data or "")
        except NotFound:
            flash(_("Kode pelacakan atau PIN tidak cocok. Periksa tanda terima Anda."), "error")
        else:
            if found.status is RequestStatus.NEEDS_INFO:
                # Kept (signed, wiped with the session) so the citizen need not type them again.
                session[LOOKUP] = {"code": found.tracking_code, "pin": form.pin.data}
            return render_result(found)
    return render_template("kiosk/status.html", form=form)


@bp.post("/status/information")
@limiter.limit(lookup_rate_limit)
def supply():
    """The citizen answers a clerk's return for information at the kiosk."""
    looked_up = session.get(LOOKUP)
    if not looked_up:
        return redirect(url_for("kiosk_ui.status"))
    form = SupplyForm()
    try:
        if not form.validate_on_submit():
            return render_result(find_request(db.session, looked_up["code"], looked_up["pin"]),
                                 form), 422
        found = supply_information(
            db.session, looked_up["code"], looked_up["pin"], note=form.note.cleaned,
            channel="kiosk", lang=current_language(), tz=current_app.config["CITY_TIMEZONE"])
    except (InvalidTransition, NotFound, ValidationFailed):
        db.session.rollback()
        session.pop(LOOKUP, None)
        flash(_("Permohonan ini tidak sedang menunggu informasi."), "error")
        return redirect(url_for("kiosk_ui.status"))
    db.session.commit()
    session.pop(LOOKUP, None)
    flash(_("Terima kasih. Informasi Anda sudah dikirim ke petugas."), "status")
    return render_result(found)
