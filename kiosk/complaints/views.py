"""Public and citizen complaint pages. Each view parses its form, calls one use case and
renders; what the public may read is decided in services.complaints.read_models."""

from __future__ import annotations

from flask import (
    Response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from kiosk.complaints import bp
from kiosk.complaints.forms import PhoneComplaintForm, apply_errors
from kiosk.complaints.labels import STATUS_TEXT, complainant_text
from kiosk.complaints.lookup import register_complaint_lookup
from kiosk.extensions import city_calendar, clock, db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import say
from kiosk.receipts import signed_receipt_url
from services.catalog.queries import agencies
from services.codes import format_tracking_code
from services.complaints.categories import active_categories
from services.complaints.filing import ComplaintInput, file_complaint
from services.complaints.history import event_message
from services.complaints.read_models import BoardFilter, public_board
from services.errors import ValidationFailed
from services.models import Channel, Complaint, ComplaintEvent, ComplaintStatus

FILED = "complaint_filed"


@bp.app_template_global()
def complaint_status_text(status: ComplaintStatus) -> str:
    return str(STATUS_TEXT[status])


bp.add_app_template_filter(complainant_text, "complainant")


@bp.app_template_global()
def complaint_event_text(event: ComplaintEvent, lang: str) -> str:
    return say(event_message(event, lang))


@bp.after_request
def keep_out_of_caches(response: Response) -> Response:
    """A citizen's complaint and PIN are never kept by a shared browser or proxy."""
    if request.endpoint != "complaints.board":
        response.headers["Cache-Control"] = "no-store, max-age=0"
    return response


@bp.get("/pengaduan")
def board():
    """The public complaints board: only what the coordinator published."""
    lang = current_language()
    filters = BoardFilter(agency=request.args.get("instansi") or None,
                          category=request.args.get("kategori") or None,
                          status=request.args.get("status") or None)
    return render_template("complaints/board.html", items=public_board(db.session, filters, lang),
                           filters=filters, categories=active_categories(db.session),
                           agencies=agencies(db.session), statuses=list(STATUS_TEXT.items()),
                           lang=lang)


def _category_choices(lang: str) -> list[SelectChoice]:
    return [SelectChoice("", _("Pilih kategori"))] + [
        SelectChoice(c.code, c.name(lang)) for c in active_categories(db.session)]


@bp.route("/pengaduan/baru", methods=["GET", "POST"])
def new():
    """File a complaint from a phone: one page, then the code and PIN."""
    lang = current_language()
    form = PhoneComplaintForm()
    form.category.choices = _category_choices(lang)
    form.offer(lang)
    form.word_consent("complaint", lang)
    if request.method == "GET":
        form.privacy.data = form.privacy.data or "confidential"
    if form.validate_on_submit():
        # The identity fields are hidden for an anonymous complaint: nothing typed there counts.
        identity = {} if form.privacy.data == "anonymous" else {
            "nik": form.nik.data or "", "name": form.name.data or "",
            "phone": form.phone.data or "", "notify": form.notify.data or "none"}
        try:
            with unit_of_work(keep_loaded=True):
                result = file_complaint(db.session, ComplaintInput(
                    category_code=form.category.data or "",
                    description=form.description.data or "",
                    location=form.location.data or "", privacy=form.privacy.data or "",
                    channel=Channel.WEB, language=lang, actor_label="Web", **identity),
                    pins=pin_keyring(), calendar=city_calendar(), now=clock().now())
        except ValidationFailed as invalid:
            apply_errors(form, invalid.fields)
            return render_template("complaints/new.html", form=form), 422
        session[FILED] = {"id": result.complaint.id, "pin": result.pin}
        return redirect(url_for("complaints.filed"))
    return render_template("complaints/new.html", form=form), 422 if form.errors else 200


@bp.get("/pengaduan/terkirim")
def filed():
    kept = session.get(FILED)
    complaint = db.session.get(Complaint, kept["id"]) if kept else None
    if complaint is None:
        return redirect(url_for("complaints.new"))
    return render_template("complaints/filed.html", complaint=complaint, pin=kept["pin"],
                           code=format_tracking_code(complaint.tracking_code),
                           receipt_url=signed_receipt_url(complaint, kept["pin"]))


register_complaint_lookup(bp, lookup_template="complaints/lookup.html",
                          result_template="complaints/result.html",
                          survey_endpoint="track.survey")
