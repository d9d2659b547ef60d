"""Status look-up at the kiosk: tracking code and PIN give the request's timeline."""

from kiosk.citizen_status import register_status_views
from kiosk.ikm import register_survey_views
from kiosk.kiosk_ui import bp
from services.models import SurveySource

register_status_views(bp, lookup_template="kiosk/status.html",
                      result_template="kiosk/status_result.html", channel="kiosk")
register_survey_views(bp, template="ikm/kiosk_survey.html", source=SurveySource.KIOSK,
                      back_endpoint="kiosk_ui.status")
