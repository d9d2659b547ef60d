"""The citizen's status look-up, in one package: this module is the status page on their own
phone, where the receipt's QR code leads (/status); views.py holds the look-up views it shares
with the kiosk (at_kiosk.py), lookup.py the code-and-PIN look-up shared with complaints."""

from typing import Any

from flask import Blueprint, Response, abort, current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.ikm import register_survey_views
from kiosk.receipts import RECEIPT_LINK_MAX_AGE, signed_receipt_url
from kiosk.status.views import register_status_views
from services.models import IssuedDocument, ServiceRequest, SurveySource

bp = Blueprint("track", __name__)


DOCUMENT_SALT = "issued-document-pdf"


def _document_links() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DOCUMENT_SALT)


def receipt_link(found: ServiceRequest, pin: str) -> dict[str, Any]:
    """The receipt's link and, once a signed decision is issued, the decision's: both short-lived
    and signed, handed out only after the code and PIN were checked."""
    signed = db.session.scalar(select(IssuedDocument.id).where(
        IssuedDocument.request_id == found.id, IssuedDocument.signed_at.is_not(None),
        IssuedDocument.signed_pdf.is_not(None)))
    document_url = url_for("track.document_pdf", token=_document_links().dumps(
        {"d": signed})) if signed else None
    return {"receipt_url": signed_receipt_url(found, pin), "document_url": document_url}


@bp.get("/status/dokumen/<token>.pdf")
def document_pdf(token: str):
    """The issued, signed decision: the very file the official's signature covers."""
    try:
        claims = _document_links().loads(token, max_age=RECEIPT_LINK_MAX_AGE)
    except BadSignature:
        abort(404)
    document = db.session.get(IssuedDocument, (claims or {}).get("d") or 0)
    if document is None or document.signed_pdf is None or document.signed_at is None:
        abort(404)
    filename = document.number.replace("/", "-") + ".pdf"
    return Response(document.signed_pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "X-Robots-Tag": "noindex"})


register_status_views(bp, lookup_template="track/status.html",
                      result_template="track/result.html", channel="web",
                      extra_context=receipt_link)
register_survey_views(bp, template="ikm/phone_survey.html", source=SurveySource.WEB,
                      back_endpoint="track.status",
                      complaint_back_endpoint="complaints.status")


@bp.after_request
def keep_out_of_caches(response: Response) -> Response:
    """A citizen's status is never kept by a shared browser or proxy."""
    response.headers["Cache-Control"] = "no-store, max-age=0"
    return response
