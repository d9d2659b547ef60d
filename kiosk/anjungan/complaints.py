"""Filing a complaint at the kiosk ("Sampaikan pengaduan"): category, what happened, who may
know the complainant, their identity (never asked for an anonymous complaint), check, send,
then the code and PIN in large type. The draft lives in the signed session and goes with
the idle wipe like every other kiosk draft."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from kiosk.anjungan import bp
from kiosk.anjungan.draft import COMPLAINT_DRAFT, COMPLAINT_RECEIPT
from kiosk.anjungan.receipt_screens import (
    COMPLAINT_SCREEN,
    filed_here,
    keep_receipt,
    screen_context,
)
from kiosk.complaints.forms import ComplainantForm, ComplaintTextForm, PrivacyForm, apply_errors
from kiosk.complaints.labels import privacy_name
from kiosk.extensions import city_calendar, clock, db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import field_messages
from kiosk.urls import public_base_url
from services.complaints.categories import active_categories, active_category
from services.complaints.filing import (
    ComplaintInput,
    check_identity,
    check_text,
    file_complaint,
    parse_privacy,
)
from services.errors import NotFound, ValidationFailed
from services.kiosks.printing import status_url
from services.models import Channel, Privacy

DRAFT = COMPLAINT_DRAFT
STEPS = ("text", "privacy", "identity", "check")


def _draft() -> dict[str, Any] | None:
    return session.get(DRAFT)


def _save(draft: dict[str, Any]) -> None:
    session[DRAFT] = draft
    session.modified = True


def _progress(draft: dict[str, Any], where: str) -> dict[str, int]:
    steps = [s for s in STEPS if not (s == "identity" and draft.get("privacy") == "anonymous")]
    return {"at": steps.index(where) + 1, "of": len(steps)}


def _next(draft: dict[str, Any], default: str) -> Response:
    """On to the next step, or back to the check page when the citizen came from there."""
    if request.args.get("back") == "check" and _missing(draft) is None:
        return redirect(url_for("anjungan.complaint_check"))
    return redirect(url_for(default))


def _missing(draft: dict[str, Any]) -> str | None:
    """The first step the draft still lacks."""
    if not draft.get("description"):
        return "anjungan.complaint_text"
    if not draft.get("privacy"):
        return "anjungan.complaint_privacy"
    if draft["privacy"] != "anonymous" and not draft.get("identity"):
        return "anjungan.complaint_identity"
    return None


@bp.get("/pengaduan")
def complaint_start():
    """Choose what the complaint is about; this starts a fresh draft."""
    return render_template("kiosk/complaint_category.html",
                           categories=active_categories(db.session))


@bp.post("/pengaduan/kategori/<code>")
def complaint_category(code: str):
    active_category(db.session, code)
    session.pop(COMPLAINT_RECEIPT, None)
    _save({"category": code, "description": "", "location": "", "privacy": "",
           "identity": {}, "key": uuid.uuid4().hex})
    return redirect(url_for("anjungan.complaint_text"))


def _require_draft() -> dict[str, Any] | Response:
    draft = _draft()
    if draft is None:
        return redirect(url_for("anjungan.complaint_start"))
    return draft


@bp.route("/pengaduan/isi", methods=["GET", "POST"])
def complaint_text():
    draft = _require_draft()
    if isinstance(draft, Response):
        return draft
    form = ComplaintTextForm(data=draft if request.method == "GET" else None)
    form.use_keyboard()
    if form.validate_on_submit():
        description = (form.description.data or "").strip()
        location = (form.location.data or "").strip()
        errors = check_text(description, location)
        if not errors:
            draft.update(description=description, location=location)
            _save(draft)
            return _next(draft, "anjungan.complaint_privacy")
        apply_errors(form, errors)
    return render_template("kiosk/complaint_text.html", form=form,
                           step=_progress(draft, "text"))


@bp.route("/pengaduan/privasi", methods=["GET", "POST"])
def complaint_privacy():
    draft = _require_draft()
    if isinstance(draft, Response):
        return draft
    lang = current_language()
    form = PrivacyForm(data={"privacy": draft.get("privacy")} if request.method == "GET"
                       else None)
    form.offer(lang)
    if form.validate_on_submit():
        try:
            privacy = parse_privacy(form.privacy.data or "")
        except ValidationFailed as invalid:
            apply_errors(form, invalid.fields)
        else:
            draft["privacy"] = privacy.value
            if privacy is Privacy.ANONYMOUS:
                draft["identity"] = {}  # nothing of who they are is kept
                draft["notify"] = "none"  # and no number to send news to
                _save(draft)
                return redirect(url_for("anjungan.complaint_check"))
            _save(draft)
            return _next(draft, "anjungan.complaint_identity")
    return render_template("kiosk/complaint_privacy.html", form=form,
                           step=_progress(draft, "privacy"))


@bp.route("/pengaduan/identitas", methods=["GET", "POST"])
def complaint_identity():
    draft = _require_draft()
    if isinstance(draft, Response):
        return draft
    if draft.get("privacy") in ("", "anonymous"):
        return redirect(url_for("anjungan.complaint_privacy"))
    form = ComplainantForm(data={**draft["identity"], "notify": draft.get("notify", "none")}
                           if request.method == "GET" else None)
    form.use_keyboard()
    form.word_consent("complaint", current_language())
    if form.validate_on_submit():
        identity, errors = check_identity(Privacy(draft["privacy"]), form.nik.data or "",
                                          form.name.data or "", form.phone.data or "")
        if not errors:
            draft["identity"] = {k: v or "" for k, v in identity.items()}
            draft["notify"] = form.notify.data
            _save(draft)
            return redirect(url_for("anjungan.complaint_check"))
        apply_errors(form, errors)
    return render_template("kiosk/complaint_identity.html", form=form,
                           privacy=privacy_name(Privacy(draft["privacy"]), current_language()),
                           step=_progress(draft, "identity"))


def _render_check(draft: dict[str, Any], errors: dict[str, str]):  # type: ignore[no-untyped-def]
    lang = current_language()
    try:
        category = active_category(db.session, draft["category"]).name(lang)
    except NotFound:
        category = ""
    return render_template("kiosk/complaint_check.html", draft=draft, category=category,
                           privacy=privacy_name(Privacy(draft["privacy"]), lang), errors=errors,
                           step=_progress(draft, "check")), 422 if errors else 200


@bp.get("/pengaduan/periksa")
def complaint_check():
    draft = _require_draft()
    if isinstance(draft, Response):
        return draft
    if (missing := _missing(draft)) is not None:
        return redirect(url_for(missing))
    return _render_check(draft, {})


@bp.post("/pengaduan/kirim")
def complaint_submit():
    """File through the one filing use case; a double tap returns the first complaint."""
    draft = _draft()
    if draft is None:
        return redirect(url_for("anjungan.complaint_done" if session.get(COMPLAINT_RECEIPT)
                                else "anjungan.complaint_start"))
    if (missing := _missing(draft)) is not None:
        return redirect(url_for(missing))
    data = ComplaintInput(
        category_code=draft["category"], description=draft["description"],
        location=draft["location"], privacy=draft["privacy"], channel=Channel.KIOSK,
        language=current_language(), kiosk_id=g.kiosk.id,
        idempotency_key=f"kiosk:{g.kiosk.code}:{draft['key']}",
        actor_label=f"e-Kios {g.kiosk.code}", notify=draft.get("notify", "none"),
        **draft["identity"])
    try:
        with unit_of_work(keep_loaded=True):
            result = file_complaint(db.session, data, pins=pin_keyring(),
                                    calendar=city_calendar(), now=clock().now())
    except ValidationFailed as invalid:
        return _render_check(draft, field_messages(invalid.fields))
    keep_receipt(COMPLAINT_SCREEN, result.complaint.id, result.pin)
    return redirect(url_for("anjungan.complaint_done"))


@bp.get("/pengaduan/selesai")
def complaint_done():
    """The complaint's receipt screen: code and PIN, whether the receipt is printing (only when
    it is), and the QR code of the complaint's phone page."""
    found = filed_here(COMPLAINT_SCREEN)
    if found is None:
        return redirect(url_for("anjungan.home"))
    pin, complaint = found
    url = status_url(public_base_url(), complaint.tracking_code, path="/pengaduan/cek")
    return render_template("kiosk/complaint_done.html", complaint=complaint,
                           status_url=public_base_url().rstrip("/") + url_for("complaints.status"),
                           **screen_context(COMPLAINT_SCREEN, complaint, pin, qr_url=url,
                                            qr_label=_("Kode QR pengaduan")))
