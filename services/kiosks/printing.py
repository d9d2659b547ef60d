"""Print jobs: what a kiosk must print. The receipt's content is built when the kiosk fetches
the job, so no PIN is ever stored with it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.audit import record_audit
from services.models import Kiosk, PrintJob, PrintJobState, ServiceRequest


def queue_receipt(session: Session, request: ServiceRequest, kiosk: Kiosk) -> PrintJob:
    """Queue the request's receipt for printing at this kiosk."""
    job = PrintJob(kiosk_id=kiosk.id, request_id=request.id, kind="receipt",
                   state=PrintJobState.PENDING, payload={"language": request.language})
    session.add(job)
    session.flush()
    record_audit(session, None, "queue_receipt", "print_job", str(job.id),
                 {"kiosk": kiosk.code, "request": request.tracking_code})
    return job
