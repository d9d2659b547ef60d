"""Look-ups at the kiosk: tracking code and PIN give a request's timeline or a complaint's page
(registered on the anjungan blueprint; the same views serve the phone pages)."""

from kiosk.anjungan import bp
from kiosk.complaints.lookup import register_complaint_lookup
from kiosk.ikm import register_survey_views
from kiosk.status.views import register_status_views
from services.models import SurveySource

register_status_views(bp, lookup_template="kiosk/status.html",
                      result_template="kiosk/status_result.html", channel="kiosk")
register_survey_views(bp, template="ikm/kiosk_survey.html", source=SurveySource.KIOSK,
                      back_endpoint="anjungan.status",
                      complaint_back_endpoint="anjungan.complaint_status")
register_complaint_lookup(bp, lookup_template="kiosk/complaint_status.html",
                          result_template="kiosk/complaint_result.html", prefix="complaint_",
                          survey_endpoint="anjungan.survey", at_kiosk=True)
