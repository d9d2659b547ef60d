"""Print jobs: what a kiosk must print. The receipt's content is built when the kiosk fetches
the job; its PIN waits in the job only sealed under the PIN key, and is wiped once printed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.catalog.standard import duration_text, fee_text
from services.city_calendar import DEFAULT_TIMEZONE
from services.clock import utcnow
from services.codes import PinKeyring, format_tracking_code
from services.errors import NotFound, ValidationFailed
from services.formatting import long_local_date
from services.models import (
    Agency,
    Complaint,
    Kiosk,
    PrintJob,
    PrintJobState,
    ServiceRequest,
    TaskStatus,
)
from services.privacy import mask_name
from services.tracking import local_date_text, receipt_basics, receipt_language

WAITING_STATES = (PrintJobState.PENDING, PrintJobState.SENT)


def queue_receipt(session: Session, item: ServiceRequest | Complaint, kiosk: Kiosk, *,
                  pin: str | None = None, pins: PinKeyring | None = None) -> PrintJob:
    """Queue the receipt of a request or a complaint for printing at this kiosk; the PIN (which
    the server knows only while the citizen's session holds it) travels sealed until the job
    is printed. The job names its item by foreign key, so every kiosk client prints either."""
    payload: dict[str, Any] = {"language": item.language}
    if pin and pins is not None:
        payload["sealed_pin"] = pins.seal_pin(pin)
    job = PrintJob(kiosk_id=kiosk.id, kind="receipt", state=PrintJobState.PENDING,
                   payload=payload)
    if isinstance(item, Complaint):
        job.complaint_id = item.id
    else:
        job.request_id = item.id
    session.add(job)
    session.flush()
    record_audit(session, None, "queue_receipt", "print_job", str(job.id),
                 {"kiosk": kiosk.code, tracked_kind(item): item.tracking_code})
    return job


def tracked_kind(item: ServiceRequest | Complaint) -> str:
    return "complaint" if isinstance(item, Complaint) else "request"


def queue_bill(session: Session, kiosk: Kiosk, *, request_id: int, bill_number: str,
               slip: dict[str, Any]) -> PrintJob:
    """Queue a bill (its slip as kiosk_client.bill.BillSlip reads it) at this kiosk."""
    job = PrintJob(kiosk_id=kiosk.id, request_id=request_id, kind="bill",
                   state=PrintJobState.PENDING, payload={"bill": slip})
    session.add(job)
    session.flush()
    record_audit(session, None, "queue_bill", "print_job", str(job.id),
                 {"kiosk": kiosk.code, "bill": bill_number})
    return job


def status_url(base_url: str, tracking_code: str, path: str = "/status") -> str:
    """The citizen's status page for a request (or, with path "/pengaduan/cek", a complaint);
    it never carries the PIN."""
    query = urlencode({"code": format_tracking_code(tracking_code)})
    return f"{base_url.rstrip('/')}{path}?{query}"


def job_pin(job: PrintJob, pins: PinKeyring) -> str | None:
    """The PIN sealed in a print job, while it waits to print; None once wiped."""
    sealed = (job.payload or {}).get("sealed_pin")
    return pins.open_pin(sealed) if isinstance(sealed, str) else None


def first_agency(request: ServiceRequest) -> Agency | None:
    """The agency that first acts on the request."""
    for task in request.tasks:
        if task.status is not TaskStatus.SKIPPED:
            return task.agency
    return None


def receipt_agency(request: ServiceRequest, lang: str) -> str:
    """The agency that first acts on the request: the receipt's header under the city."""
    agency = first_agency(request)
    return agency.name(lang) if agency else ""


@dataclass(frozen=True)
class NextSteps:
    """What the citizen does after filing: the documents to bring, and where to take them."""

    documents: list[str]
    agency: str
    address: str
    office_hours: str


def next_steps(request: ServiceRequest, lang: str) -> NextSteps:
    agency = first_agency(request)
    return NextSteps(
        documents=[item for item in request.service_version.text("requirements", lang) if item],
        agency=agency.name(lang) if agency else "",
        address=agency.address if agency else "",
        office_hours=agency.office_hours if agency else "")


def receipt_data(request: ServiceRequest, *, city: str, base_url: str, pin: str | None,
                 kiosk_code: str = "", tz: str = DEFAULT_TIMEZONE) -> dict[str, Any]:
    """Everything the receipt shows, in the request's language, as JSON-ready values."""
    lang = receipt_language(request)
    version = request.service_version
    if request.due_at:
        expected = long_local_date(request.due_at, tz, lang)
    else:  # counted from "berkas lengkap", not yet known
        expected = duration_text(version, lang)
    return {
        **receipt_basics(request, city=city, pin=pin, kiosk_code=kiosk_code, tz=tz,
                         status_url=status_url(base_url, request.tracking_code)),
        "agency": receipt_agency(request, lang),
        "service_name": version.text("name", lang),
        "applicant": mask_name(request.applicant_name),
        "expected_completion": local_date_text(request.due_at, tz) if request.due_at else "",
        "expected_text": expected,
        "fee": version.fee,
        "fee_kind": version.fee_kind.value,
        "fee_text": fee_text(version, lang, request),
        "product_kind": version.product_kind.value,
        "product_text": version.text("product", lang),
        "requirements": list(version.text("requirements", lang)),
    }


def complaint_receipt_data(complaint: Complaint, *, city: str, base_url: str, pin: str | None,
                           kiosk_code: str = "", tz: str = DEFAULT_TIMEZONE) -> dict[str, Any]:
    """What a complaint's receipt shows: its category, code and PIN, when it was filed and by
    when the coordinator verifies it, and the QR code of its page. Never the complainant: a
    receipt left at the kiosk must not tell who complained."""
    lang = receipt_language(complaint)
    return {
        **receipt_basics(complaint, city=city, pin=pin, kiosk_code=kiosk_code, tz=tz,
                         status_url=status_url(base_url, complaint.tracking_code,
                                               "/pengaduan/cek")),
        "kind": "complaint",
        "agency": "",
        "service_name": complaint.category.name(lang),
        "expected_completion": local_date_text(complaint.forward_due_at, tz),
        "expected_text": long_local_date(complaint.forward_due_at, tz, lang),
        "fee": 0,
        "requirements": [],
    }


def tracked_receipt_data(item: ServiceRequest | Complaint, **given: Any) -> dict[str, Any]:
    """The receipt of a request or a complaint."""
    if isinstance(item, Complaint):
        return complaint_receipt_data(item, **given)
    return receipt_data(item, **given)


def fetch_print_jobs(session: Session, kiosk: Kiosk, *, pins: PinKeyring, city: str, base_url: str,
                     tz: str = DEFAULT_TIMEZONE, now: datetime | None = None,
                     limit: int = 20) -> list[dict[str, Any]]:
    """Hand the kiosk its waiting jobs, oldest first, and mark them sent. A job sent but never
    acknowledged is sent again; the client's spool knows it by id and prints it once."""
    now = now or utcnow()
    jobs = session.scalars(
        select(PrintJob)
        .where(PrintJob.kiosk_id == kiosk.id, PrintJob.state.in_(WAITING_STATES))
        .order_by(PrintJob.id)
        .limit(limit)
    ).all()
    handed: list[dict[str, Any]] = []
    for job in jobs:
        job.state = PrintJobState.SENT
        job.sent_at = now
        job.attempts += 1
        body: dict[str, Any] = {"id": job.id, "kind": job.kind}
        if job.kind == "receipt" and (item := job_item(session, job)) is not None:
            body["receipt"] = tracked_receipt_data(item, city=city, base_url=base_url,
                                                   pin=job_pin(job, pins),
                                                   kiosk_code=kiosk.code, tz=tz)
        elif job.kind == "ticket":  # a queue ticket: built whole when it was taken
            body["ticket"] = dict((job.payload or {}).get("ticket", {}))
        elif job.kind == "bill":  # a bill never changes: its words were kept when queued
            body["bill"] = (job.payload or {}).get("bill", {})
        handed.append(body)
    return handed


def job_item(session: Session, job: PrintJob) -> ServiceRequest | Complaint | None:
    """The request or complaint whose receipt a job prints."""
    if job.request_id is not None:
        return session.get(ServiceRequest, job.request_id)
    if job.complaint_id is not None:
        return session.get(Complaint, job.complaint_id)
    return None


def acknowledge_print_job(session: Session, kiosk: Kiosk, job_id: int, *, printed: bool,
                          error: str = "", now: datetime | None = None) -> PrintJob:
    """Record what the kiosk did with a job. Idempotent: a repeated acknowledgement changes
    nothing, and a job once printed stays printed."""
    # An id past the column's range names no job (PostgreSQL would refuse the query).
    job = session.get(PrintJob, job_id) if 0 < job_id < 2**31 else None
    if job is None or job.kiosk_id != kiosk.id:
        raise NotFound("kiosk.no_print_job", job=job_id)
    if job.state is PrintJobState.CANCELLED:
        raise ValidationFailed("kiosk.print_job_cancelled")
    if job.state is PrintJobState.PRINTED:
        return job
    if printed:
        job.state = PrintJobState.PRINTED
        job.printed_at = now or utcnow()
        job.last_error = ""
        # Printed: the server forgets the PIN; the kiosk's spool keeps it for a reprint.
        job.payload = {key: value for key, value in (job.payload or {}).items()
                       if key != "sealed_pin"}
    else:
        job.state = PrintJobState.FAILED
        job.last_error = error[:2000]
    return job
