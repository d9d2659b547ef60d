"""The citizen's status page on their own phone, where the receipt's QR code leads (/status):
tracking code and PIN give the timeline, the receipt as a PDF, and the form to answer a
return for information."""

from typing import Any

from flask import Blueprint, Response

from kiosk.citizen_status import register_status_views
from kiosk.ikm import register_survey_views
from kiosk.receipts import signed_receipt_url
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
