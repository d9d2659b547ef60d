"""Status look-up at the kiosk: tracking code and PIN give the request's timeline."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.extensions import db, limiter, lookup_rate_limit
from kiosk.i18n import current_language
from kiosk.kiosk_ui import bp
from kiosk.kiosk_ui.forms import LookupForm
from services.codes import format_tracking_code
from services.errors import NotFound
from services.lookup import find_request
from services.models import RequestStatus
from services.timeline import citizen_timeline

STATUS_TEXT = {
    RequestStatus.SUBMITTED: _l("Diterima"),
    RequestStatus.IN_PROGRESS: _l("Sedang diproses"),
    RequestStatus.NEEDS_INFO: _l("Perlu informasi tambahan"),
    RequestStatus.APPROVED: _l("Disetujui"),
    RequestStatus.REJECTED: _l("Ditolak"),
    RequestStatus.COMPLETED: _l("Selesai"),
    RequestStatus.CANCELLED: _l("Dibatalkan"),
}


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(lookup_rate_limit, methods=["POST"])
def status():
    """Tracking code and PIN give the timeline; a wrong code and a wrong PIN answer alike.
    The answer is the POST's own page, so nothing of it lands in a URL or the history."""
    form = LookupForm()
    if form.validate_on_submit():
        try:
            found = find_request(db.session, form.tracking_code.data or "", form.pin.data or "")
        except NotFound:
            flash(_("Kode pelacakan atau PIN tidak cocok. Periksa tanda terima Anda."), "error")
        else:
            lang = current_language()
            return render_template(
                "kiosk/status_result.html", request_=found,
                code=format_tracking_code(found.tracking_code),
                status_text=STATUS_TEXT[found.status],
                service_name=found.service_version.text("name", lang),
                timeline=citizen_timeline(found, lang),
                # ISSUE 4 SEAM: when the request waits for more information, the kiosk will
                # let the citizen supply it here through services.workflow.citizen.
                # supply_information (built by another helper); see status_result.html.
                needs_info=found.status is RequestStatus.NEEDS_INFO,
            )
    return render_template("kiosk/status.html", form=form)
