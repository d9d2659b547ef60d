"""The citizen's status look-up pages, registered on the kiosk (/kiosk/status) and on the
public web (/status, where the receipt's QR code leads): one set of views for both."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.anjungan.forms import Checked, LookupForm, SupplyForm
from kiosk.antrean.views import counter_visit
from kiosk.bank.citizen import bill_context, simulated_payment_offered
from kiosk.bank.outbound import ask_bank_to_pay
from kiosk.berkas import berkas
from kiosk.errors import settle
from kiosk.extensions import city_calendar, clock, db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.ikm import SURVEY, survey_offer
from kiosk.messages import say
from kiosk.ratelimit import LOOKUP_SESSION_KEY, lookup_limited
from kiosk.status.lookup import look_up, start_lookup
from services.berkas.checking import documents_to_fix
from services.berkas.files import receive_upload
from services.berkas.inspection import UploadRefused
from services.catalog.standard import citizen_product_facts
from services.codes import format_tracking_code
from services.errors import InvalidTransition, NotFound, ValidationFailed
from services.lookup import CodeLocked, find_request
from services.models import RequestStatus, ServiceRequest
from services.outbound import UnsafeDestination
from services.payments.bills import current_bill, request_bills
from services.timeline import citizen_timeline
from services.workflow.citizen import (
    clerk_questions,
    expected_completion,
    supply_information,
)

STATUS_TEXT = {
    RequestStatus.SUBMITTED: _l("Diterima"),
    RequestStatus.IN_PROGRESS: _l("Sedang diproses"),
    RequestStatus.NEEDS_INFO: _l("Perlu informasi tambahan"),
    RequestStatus.AWAITING_PAYMENT: _l("Menunggu pembayaran"),
    RequestStatus.APPROVED: _l("Disetujui"),
    RequestStatus.REJECTED: _l("Ditolak"),
    RequestStatus.COMPLETED: _l("Selesai"),
    RequestStatus.CANCELLED: _l("Dibatalkan"),
}

LOOKUP = LOOKUP_SESSION_KEY
# The signed (session) marker of information just sent, so a refresh shows it was sent.
SUPPLIED = "status_supplied"
SUPPLIED_FOR = 15 * 60



def received_documents(channel: str, returned: ServiceRequest
                       ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The files sent for returned documents (inputs named ``berkas_<requirement>``), each
    checked and stored as a loose upload on its own; their upload ids by requirement, and
    each refused file's message by requirement."""
    documents: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    asked = {item.requirement.key: item.requirement
             for item in documents_to_fix(db.session, returned)}
    for name in request.files:
        key = name.removeprefix("berkas_")
        if not name.startswith("berkas_") or key not in asked:
            continue
        for file in request.files.getlist(name):
            if not file.filename:
                continue
            try:
                with unit_of_work(keep_loaded=True):
                    upload = receive_upload(db.session, berkas(), data=file.read(),
                                            filename=file.filename, source=channel,
                                            now=clock().now(), requirement=asked[key])
            except UploadRefused as refused:
                errors.setdefault(key, []).append(
                    f"{file.filename}: {say(refused.message)}")
                continue
            documents.setdefault(key, []).append(upload.token)
    return documents, errors


def register_status_views(
    bp: Blueprint,
    *,
    lookup_template: str,
    result_template: str,
    channel: str,
    extra_context: Callable[[ServiceRequest, str], dict[str, Any]] = lambda found, pin: {},
) -> None:
    """Add ``status`` (code and PIN give the timeline) and ``supply`` (answer a return for
    information) to a blueprint. A wrong code and a wrong PIN answer alike; the answer is the
    POST's own page, so nothing of it lands in a URL or the browser history."""

    def render_result(found: ServiceRequest, pin: str,
                      supply_form: SupplyForm | None = None, sent: bool = False,
                      file_errors: dict[str, list[str]] | None = None) -> str:
        lang = current_language()
        needs_info = found.status is RequestStatus.NEEDS_INFO
        return render_template(
            result_template, request_=found, sent=sent,
            questions=clerk_questions(found, lang) if needs_info else [],
            expected=expected_completion(found),
            code=format_tracking_code(found.tracking_code),
            status_text=STATUS_TEXT[found.status],
            service_name=found.service_version.text("name", lang),
            timeline=citizen_timeline(found, lang),
            product_facts=citizen_product_facts(found, lang),
            needs_info=needs_info,
            supply_form=(supply_form or SupplyForm()) if needs_info else None,
            documents_to_fix=documents_to_fix(db.session, found) if needs_info else [],
            file_errors=file_errors or {},
            **survey_offer(found),
            **bill_context(found),
            **counter_visit(found),
            **extra_context(found, pin),
        )

    @lookup_limited
    def status():  # type: ignore[no-untyped-def]
        form = LookupForm()
        start_lookup(form, LOOKUP, SURVEY, SUPPLIED)
        found = look_up(form, find_request, _("Kode pelacakan atau PIN tidak cocok. Periksa "
                                              "tanda terima Anda."))
        if found is None:
            return render_template(lookup_template, form=form)
        if found.status in (RequestStatus.NEEDS_INFO, RequestStatus.AWAITING_PAYMENT):
            # Kept (signed, wiped with the session) so they need not type them again.
            session[LOOKUP] = {"code": found.tracking_code, "pin": form.pin.data}
        return render_result(found, form.pin.data or "")

    @lookup_limited
    def supply():  # type: ignore[no-untyped-def]
        looked_up = session.get(LOOKUP)
        if not looked_up:
            return redirect(url_for(f"{bp.name}.status"))
        form = SupplyForm()
        try:
            found = find_request(db.session, looked_up["code"], looked_up["pin"], pin_keyring())
            documents, file_errors = received_documents(channel, found)
            if documents:  # a document sent is information enough; a note is optional then
                form.note.validators = [Checked(str.strip, required=False)]
            if not form.validate_on_submit() or file_errors:
                return render_result(found, looked_up["pin"], form,
                                     file_errors=file_errors), 422
            with unit_of_work():
                found = supply_information(
                    db.session, looked_up["code"], looked_up["pin"], pins=pin_keyring(),
                    note=form.note.cleaned or "", documents=documents,
                    channel=channel,
                    calendar=city_calendar(), now=clock().now())
        except (InvalidTransition, NotFound, ValidationFailed) as failed:
            settle(failed)
            session.pop(LOOKUP, None)
            flash(_("Permohonan ini tidak sedang menunggu informasi."), "error")
            return redirect(url_for(f"{bp.name}.status"))
        session.pop(LOOKUP, None)
        # Post, redirect, get: a refresh shows the sent state again, never a second post.
        session[SUPPLIED] = {"code": found.tracking_code, "pin": looked_up["pin"],
                             "at": int(time.time())}
        return redirect(url_for(f"{bp.name}.supplied"))

    @lookup_limited
    def supplied():  # type: ignore[no-untyped-def]
        marker = session.get(SUPPLIED)
        if not isinstance(marker, dict) or time.time() - marker.get("at", 0) > SUPPLIED_FOR:
            session.pop(SUPPLIED, None)
            return redirect(url_for(f"{bp.name}.status"))
        try:
            with unit_of_work(keep_loaded=True):
                found = find_request(db.session, marker["code"], marker["pin"], pin_keyring())
        except (CodeLocked, NotFound):
            session.pop(SUPPLIED, None)
            return redirect(url_for(f"{bp.name}.status"))
        return render_result(found, marker["pin"], sent=True)

    supply.takes_files = True  # type: ignore[attr-defined]

    @lookup_limited
    def pay_simulated():  # type: ignore[no-untyped-def]
        """The demo's "Bayar (simulasi)": ask the demo bank to pay the standing bill; the bank's
        signed notification, not this view, records the payment."""
        looked_up = session.get(LOOKUP)
        if not looked_up:
            return redirect(url_for(f"{bp.name}.status"))
        found = find_request(db.session, looked_up["code"], looked_up["pin"], pin_keyring())
        bill = current_bill(request_bills(db.session, found.id))
        va_number = bill.va_number if bill is not None and simulated_payment_offered(bill) \
            else None
        # Read done: no transaction may stay open (on SQLite it would hold the write lock
        # the bank's notification, a call back into this app, needs).
        db.session.rollback()
        if va_number is None:
            flash(_("Tagihan ini tidak dapat dibayar."), "error")
        else:
            try:
                ask_bank_to_pay(current_app.config["BANK_URL"], va_number=va_number,
                                allow=current_app.config["OUTBOUND_ALLOW"])
                flash(_("Bank simulasi sudah membayar tagihan."), "ok")
            except (requests.RequestException, ValueError, UnsafeDestination):
                current_app.logger.exception("demo bank unreachable")
                flash(_("Bank simulasi tidak dapat dihubungi."), "error")
        db.session.expire_all()
        found = find_request(db.session, looked_up["code"], looked_up["pin"], pin_keyring())
        return render_result(found, looked_up["pin"])

    bp.add_url_rule("/status", "status", status, methods=["GET", "POST"])
    bp.add_url_rule("/status/bayar-simulasi", "pay_simulated", pay_simulated, methods=["POST"])
    bp.add_url_rule("/status/information", "supply", supply, methods=["POST"])
    bp.add_url_rule("/status/information/sent", "supplied", supplied)
