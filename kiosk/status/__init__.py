"""The citizen's status look-up, in one package: this module is the status page on their own
phone, where the receipt's QR code leads (/status); views.py holds the look-up views it shares
with the kiosk (at_kiosk.py), lookup.py the code-and-PIN look-up shared with complaints."""

from typing import Any

from flask import Blueprint, Response

from kiosk.ikm import register_survey_views
from kiosk.receipts import signed_receipt_url
from kiosk.status.views import register_status_views
from services.models import ServiceRequest, SurveySource

bp = Blueprint("track", __name__)


def receipt_link(found: ServiceRequest, pin: str) -> dict[str, Any]:
    return {"receipt_url": signed_receipt_url(found, pin)}


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
