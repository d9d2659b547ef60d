"""Look-ups at the kiosk: tracking code and PIN give a request's timeline or a complaint's page
(registered on the anjungan blueprint; the same views serve the phone pages)."""

from flask import flash, g, redirect, session, url_for
from flask_babel import gettext as _

from kiosk.anjungan import bp
from kiosk.api.devices import print_job_watch
from kiosk.bank.citizen import slip_of
from kiosk.complaints.lookup import register_complaint_lookup
from kiosk.extensions import db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.ikm import register_survey_views
from kiosk.ratelimit import LOOKUP_SESSION_KEY as LOOKUP
from kiosk.ratelimit import lookup_limited
from kiosk.status.views import register_status_views
from services.kiosks.printing import queue_bill
from services.kiosks.status import job_print_status
from services.lookup import find_request
from services.models import SurveySource
from services.payments.bills import current_bill, request_bills

register_status_views(bp, lookup_template="kiosk/status.html",
                      result_template="kiosk/status_result.html", channel="kiosk")
register_survey_views(bp, template="ikm/kiosk_survey.html", source=SurveySource.KIOSK,
                      back_endpoint="anjungan.status",
                      complaint_back_endpoint="anjungan.complaint_status")


@bp.post("/status/tagihan/cetak")
@lookup_limited
def print_bill():  # type: ignore[no-untyped-def]
    """Print the looked-up request's standing bill on this kiosk's printer (the same renderer
    as its PDF), when the printer can print."""
    looked_up = session.get(LOOKUP)
    if not looked_up:
        return redirect(url_for("anjungan.status"))
    found = find_request(db.session, looked_up["code"], looked_up["pin"], pin_keyring())
    bill = current_bill(request_bills(db.session, found.id))
    printing = job_print_status(db.session, g.kiosk, None)
    if bill is None or not printing.may_queue:
        flash(_("Tagihan tidak dapat dicetak di kios ini sekarang."), "error")
    else:
        with unit_of_work():
            queue_bill(db.session, g.kiosk, request_id=found.id, bill_number=bill.number,
                       slip=slip_of(bill, current_language()))
        print_job_watch().notify()
        flash(_("Tagihan sedang dicetak. Ambil di printer kios."), "status")
    return redirect(url_for("anjungan.status"))


register_complaint_lookup(bp, lookup_template="kiosk/complaint_status.html",
                          result_template="kiosk/complaint_result.html", prefix="complaint_",
                          survey_endpoint="anjungan.survey", at_kiosk=True)
