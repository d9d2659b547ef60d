"""Public and citizen complaint pages. Each view parses its form, calls one use case and
renders; what the public may read is decided in services.complaints.views."""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from kiosk.complaints import bp
from kiosk.complaints.forms import LookupForm, PhoneComplaintForm, RatingForm, apply_errors
from kiosk.complaints.labels import STATUS_TEXT, privacy_name
from kiosk.errors import settle
from kiosk.extensions import db, pin_keyring
from kiosk.i18n import current_language
from kiosk.ratelimit import lookup_limited
from services.catalog.queries import agencies
from services.codes import format_tracking_code
from services.complaints.categories import active_categories
from services.complaints.citizen import rate_answer
from services.complaints.filing import ComplaintInput, file_complaint, find_complaint
from services.complaints.history import complaint_timeline, event_text
from services.complaints.views import BoardFilter, public_board
from services.errors import InvalidTransition, NotFound, ValidationFailed
from services.models import Channel, Complaint, ComplaintEvent, ComplaintStatus

FILED = "complaint_filed"
LOOKUP = "complaint_lookup"


@bp.app_template_global()
def complaint_status_text(status: ComplaintStatus) -> str:
    return str(STATUS_TEXT[status])


@bp.app_template_global()
def complaint_event_text(event: ComplaintEvent, lang: str) -> str:
    return event_text(event, lang)


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
    if request.method == "GET":
        form.privacy.data = form.privacy.data or "confidential"
    if form.validate_on_submit():
        # The identity fields are hidden for an anonymous complaint: nothing typed there counts.
        identity = {} if form.privacy.data == "anonymous" else {
            "nik": form.nik.data or "", "name": form.name.data or "", "phone": form.phone.data or ""}
        try:
            result = file_complaint(db.session, ComplaintInput(
                category_code=form.category.data or "", description=form.description.data or "",
                location=form.location.data or "", privacy=form.privacy.data or "",
                channel=Channel.WEB, language=lang, actor_label="Web", **identity),
                pins=pin_keyring(), tz=current_app.config["CITY_TIMEZONE"])
        except ValidationFailed as invalid:
            db.session.rollback()
            apply_errors(form, invalid.fields)
            return render_template("complaints/new.html", form=form), 422
        session[FILED] = {"id": result.complaint.id, "pin": result.pin}
        return redirect(url_for("complaints.filed"))
    return render_template("complaints/new.html", form=form)


@bp.get("/pengaduan/terkirim")
def filed():
    kept = session.get(FILED)
    complaint = db.session.get(Complaint, kept["id"]) if kept else None
    if complaint is None:
        return redirect(url_for("complaints.new"))
    return render_template("complaints/filed.html", complaint=complaint, pin=kept["pin"],
                           code=format_tracking_code(complaint.tracking_code))


def render_result(complaint: Complaint, rating_form: RatingForm | None = None) -> str:
    lang = current_language()
    answerable = complaint.status is ComplaintStatus.ANSWERED
    return render_template(
        "complaints/result.html", complaint=complaint, lang=lang,
        code=format_tracking_code(complaint.tracking_code),
        privacy=privacy_name(complaint.privacy, lang),
        timeline=complaint_timeline(complaint, lang),
        rating_form=(rating_form or RatingForm()) if answerable else None)


@bp.route("/pengaduan/cek", methods=["GET", "POST"])
@lookup_limited
def status():
    """The complaint's page for its code and PIN; a wrong code and a wrong PIN answer alike.
    The answer is the POST's own page, so nothing of it lands in a URL."""
    form = LookupForm()
    session.pop(LOOKUP, None)
    if request.method == "GET" and request.args.get("code"):
        form.tracking_code.data = request.args["code"][:20]
    if form.validate_on_submit():
        try:
            complaint = find_complaint(db.session, form.tracking_code.data or "",
                                       form.pin.data or "", pin_keyring())
            db.session.commit()  # keeps an upgraded PIN hash; forgives earlier wrong PINs
        except NotFound as wrong:
            settle(wrong)
            flash(_("Kode pengaduan atau PIN tidak cocok."), "error")
        else:
            if complaint.status is ComplaintStatus.ANSWERED:
                # Kept (signed, in the session) so the rating needs no second typing.
                session[LOOKUP] = {"code": complaint.tracking_code, "pin": form.pin.data}
            return render_result(complaint)
    return render_template("complaints/lookup.html", form=form)


@bp.post("/pengaduan/nilai")
@lookup_limited
def rate():
    """The citizen rates the answer and says whether it resolved the complaint."""
    looked_up: dict[str, Any] | None = session.get(LOOKUP)
    if not looked_up:
        return redirect(url_for("complaints.status"))
    form = RatingForm()
    try:
        complaint = find_complaint(db.session, looked_up["code"], looked_up["pin"], pin_keyring())
        values = form.values() if form.validate_on_submit() else None
        if values is None:
            return render_result(complaint, form), 422
        rate_answer(db.session, complaint, **values)
    except (InvalidTransition, NotFound, ValidationFailed):
        db.session.rollback()
        session.pop(LOOKUP, None)
        flash(_("Pengaduan ini tidak sedang menunggu penilaian Anda."), "error")
        return redirect(url_for("complaints.status"))
    db.session.commit()
    session.pop(LOOKUP, None)
    flash(_("Terima kasih atas penilaian Anda.") if values["resolved"] else
          _("Terima kasih. Permintaan Anda agar pengaduan dibuka kembali sudah diteruskan ke "
            "koordinator pengaduan."), "status")
    return render_result(complaint)
