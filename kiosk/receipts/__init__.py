"""The citizen's receipt as a PDF, behind a short-lived signed link that the status look-up and
the phone's complaint confirmation hand out: the same reportlab renderer the kiosk printer uses."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from kiosk.extensions import db, pin_keyring
from kiosk.urls import public_base_url
from kiosk_client.receipt import Receipt, render_receipt
from services.codes import format_tracking_code
from services.kiosks.printing import tracked_receipt_data
from services.models import Complaint, Kiosk, ServiceRequest

bp = Blueprint("receipts", __name__)

RECEIPT_LINK_MAX_AGE = 15 * 60  # seconds
SALT = "receipt-pdf"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def signed_receipt_url(item: ServiceRequest | Complaint, pin: str) -> str:
    """A link to the receipt PDF of a request or a complaint, valid for 15 minutes; the PIN the
    citizen just typed or was given rides in it sealed under the PIN key, never in the clear."""
    kind = "c" if isinstance(item, Complaint) else "r"
    token = _serializer().dumps({kind: item.id, "p": pin_keyring().seal_pin(pin)})
    return public_base_url().rstrip("/") + url_for("receipts.receipt_pdf", token=token)


def receipt_for(item: ServiceRequest | Complaint, base_url: str, pin: str | None) -> Receipt:
    """The receipt of a request or a complaint, as printed at the kiosk (a complaint's never
    names the complainant)."""
    config = current_app.config
    kiosk = db.session.get(Kiosk, item.kiosk_id) if item.kiosk_id else None
    return Receipt.from_dict(tracked_receipt_data(
        item, city=config["CITY_NAME"], base_url=base_url, pin=pin,
        kiosk_code=kiosk.code if kiosk else "", tz=config["CITY_TIMEZONE"]))


@bp.get("/receipt/<token>")
def receipt_pdf(token: str):
    try:
        claims = _serializer().loads(token, max_age=RECEIPT_LINK_MAX_AGE)
    except SignatureExpired:
        message = _("Tautan tanda terima sudah kedaluwarsa. Cari permohonan Anda lagi.")
        return render_template("errors/error.html", status=410, message=message), 410
    except BadSignature:
        return render_template("errors/error.html", status=404,
                               message=_("Halaman tidak ditemukan.")), 404
    claims = claims if isinstance(claims, dict) else {}
    sealed = claims.get("p")
    pin = pin_keyring().open_pin(sealed) if isinstance(sealed, str) else None
    if (request := db.session.get(ServiceRequest, claims.get("r") or 0)) is not None:
        receipt = receipt_for(request, public_base_url(), pin)
        filename = f"tanda-terima-{format_tracking_code(request.tracking_code)}.pdf"
    elif (complaint := db.session.get(Complaint, claims.get("c") or 0)) is not None:
        receipt = receipt_for(complaint, public_base_url(), pin)
        filename = f"tanda-terima-pengaduan-{format_tracking_code(complaint.tracking_code)}.pdf"
    else:
        return render_template("errors/error.html", status=404,
                               message=_("Halaman tidak ditemukan.")), 404
    pdf = render_receipt(receipt, paper_mm=80)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "no-store",  # it shows the PIN
        "X-Robots-Tag": "noindex",
    })
