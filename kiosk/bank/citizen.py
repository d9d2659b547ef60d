"""A request's bill where the citizen sees it (status page on the phone and at the kiosk, the
API): the bill's facts, its QRIS code, a link to its PDF, and in the demo the "Bayar
(simulasi)" button; and the bill PDF itself, behind a short-lived signed link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup

from kiosk.bank.settings import merchant_from
from kiosk.extensions import db
from kiosk.i18n import current_language
from kiosk.urls import public_base_url
from kiosk_client.bill import BillSlip, render_bill
from services.models import Bill, ServiceRequest
from services.payments.bills import current_bill, request_bills
from services.payments.slips import Payable, bill_slip, may_be_paid
from services.qr import qr_svg

bills_bp = Blueprint("bills", __name__)
BILL_LINK_MAX_AGE = 60 * 60  # seconds
SALT = "bill-pdf"


def payable() -> Payable:
    return Payable(va_prefix=current_app.config["VA_PREFIX"],
                   merchant=merchant_from(current_app.config))


def slip_of(bill: Bill, lang: str) -> dict[str, Any]:
    config = current_app.config
    return bill_slip(bill, city=config["CITY_NAME"], payable=payable(),
                     tz=config["CITY_TIMEZONE"], lang=lang)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def signed_bill_url(bill: Bill) -> str:
    return public_base_url().rstrip("/") + url_for("bills.bill_pdf",
                                                   token=_serializer().dumps({"b": bill.id}))


def simulated_payment_offered(bill: Bill) -> bool:
    """The demo's "Bayar (simulasi)": only in demo mode, with a demo bank, for a payable bill."""
    config = current_app.config
    return bool(config.get("DEMO_MODE") and config.get("BANK_URL")) and may_be_paid(bill)


def bill_context(found: ServiceRequest) -> dict[str, Any]:
    """What the status pages show of the request's standing bill (nothing without one)."""
    bill = current_bill(request_bills(db.session, found.id))
    if bill is None:
        return {"bill": None}
    slip = slip_of(bill, current_language())
    # qr_svg draws the SVG itself and escapes its one text (B704)
    qr = Markup(qr_svg(slip["qris"], label=_("Kode QRIS tagihan"))) if slip["qris"] else None  # nosec B704
    return {"bill": slip, "bill_id": bill.id, "bill_qr": qr,
            "bill_pdf_url": signed_bill_url(bill),
            "bill_pay_simulated": simulated_payment_offered(bill)}


@bills_bp.get("/tagihan/<token>")
def bill_pdf(token: str) -> Any:
    try:
        claims = _serializer().loads(token, max_age=BILL_LINK_MAX_AGE)
    except BadSignature:  # expired links included
        return render_template("errors/error.html", status=404,
                               message=_("Halaman tidak ditemukan.")), 404
    bill = db.session.get(Bill, (claims or {}).get("b") or 0) if isinstance(claims, dict) \
        else None
    if bill is None:
        return render_template("errors/error.html", status=404,
                               message=_("Halaman tidak ditemukan.")), 404
    pdf = render_bill(BillSlip.from_dict(slip_of(bill, current_language())), paper_mm=80)
    filename = bill.number.replace("/", "-")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}.pdf"',
        "Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
