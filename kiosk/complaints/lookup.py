"""The complaint's own page by code and PIN, registered on the phone pages (/pengaduan/cek)
and at the kiosk (/kiosk/pengaduan/cek): one set of views for both, like the request's status
look-up (kiosk.status.views). The look-up counts against the same limit and the same wrong-PIN
lockout as a request's. Once an agency has answered, the citizen rates the answer and is
offered the IKM survey (kiosk.ikm), which is stored without the complaint."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from kiosk.complaints.forms import LookupForm, RatingForm
from kiosk.complaints.labels import privacy_name
from kiosk.extensions import clock, db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.ikm import SURVEY, complaint_survey_offer
from kiosk.ratelimit import lookup_limited
from kiosk.status.lookup import look_up, start_lookup
from services.codes import format_tracking_code
from services.complaints.citizen import rate_answer
from services.complaints.filing import find_complaint
from services.complaints.history import complaint_timeline
from services.errors import InvalidTransition, NotFound, ValidationFailed
from services.models import Complaint, ComplaintStatus

LOOKUP = "complaint_lookup"


def register_complaint_lookup(bp: Blueprint, *, lookup_template: str, result_template: str,
                              prefix: str = "", survey_endpoint: str,
                              at_kiosk: bool = False) -> None:
    """Add ``<prefix>status`` (code and PIN give the complaint's page) and ``<prefix>rate``
    (the citizen rates the answer) to a blueprint. A wrong code and a wrong PIN answer alike;
    the answer is the POST's own page, so nothing of it lands in a URL. ``at_kiosk``: typed
    on the on-screen keyboard."""
    status_endpoint, rate_endpoint = f"{prefix}status", f"{prefix}rate"

    def render_result(complaint: Complaint, rating_form: RatingForm | None = None) -> str:
        lang = current_language()
        answerable = complaint.status is ComplaintStatus.ANSWERED
        if answerable and rating_form is None:
            rating_form = RatingForm()
        if rating_form is not None and at_kiosk:
            rating_form.use_keyboard()
        return render_template(
            result_template, complaint=complaint, lang=lang,
            code=format_tracking_code(complaint.tracking_code),
            privacy=privacy_name(complaint.privacy, lang),
            timeline=complaint_timeline(complaint, lang),
            rate_url=url_for(f"{bp.name}.{rate_endpoint}"),
            survey_url=url_for(survey_endpoint),
            rating_form=rating_form if answerable else None,
            **complaint_survey_offer(complaint))

    @lookup_limited
    def status():  # type: ignore[no-untyped-def]
        form = LookupForm()
        if at_kiosk:
            form.use_keyboard()
        start_lookup(form, LOOKUP, SURVEY)
        complaint = look_up(form, find_complaint, _("Kode pengaduan atau PIN tidak cocok."))
        if complaint is None:
            return render_template(lookup_template, form=form)
        if complaint.status is ComplaintStatus.ANSWERED:
            # Kept (signed, in the session) so the rating needs no second typing.
            session[LOOKUP] = {"code": complaint.tracking_code, "pin": form.pin.data}
        return render_result(complaint)

    @lookup_limited
    def rate():  # type: ignore[no-untyped-def]
        looked_up: dict[str, Any] | None = session.get(LOOKUP)
        if not looked_up:
            return redirect(url_for(f"{bp.name}.{status_endpoint}"))
        form = RatingForm()
        try:
            with unit_of_work(keep_loaded=True):
                complaint = find_complaint(db.session, looked_up["code"], looked_up["pin"],
                                           pin_keyring())
                values = form.values() if form.validate_on_submit() else None
                if values is not None:
                    rate_answer(db.session, complaint, **values, now=clock().now())
        except (InvalidTransition, NotFound, ValidationFailed):
            session.pop(LOOKUP, None)
            flash(_("Pengaduan ini tidak sedang menunggu penilaian Anda."), "error")
            return redirect(url_for(f"{bp.name}.{status_endpoint}"))
        if values is None:
            return render_result(complaint, form), 422
        session.pop(LOOKUP, None)
        flash(_("Terima kasih atas penilaian Anda.") if values["resolved"] else
              _("Terima kasih. Permintaan Anda agar pengaduan dibuka kembali sudah diteruskan "
                "ke koordinator pengaduan."), "status")
        return render_result(complaint)

    bp.add_url_rule("/pengaduan/cek", status_endpoint, status, methods=["GET", "POST"])
    bp.add_url_rule("/pengaduan/nilai", rate_endpoint, rate, methods=["POST"])
