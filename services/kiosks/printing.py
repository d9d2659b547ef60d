"""Print jobs: what a kiosk must print. The receipt's content is built when the kiosk fetches
the job; its PIN waits in the job only sealed under the PIN key, and is wiped once printed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.catalog.standard import duration_text, fee_text
from services.codes import PinKeyring, format_tracking_code
from services.db import utcnow
from services.errors import NotFound, ValidationFailed
from services.formatting import long_datetime, long_local_date, zone_name
from services.models import (
    Kiosk,
    PrintJob,
    PrintJobState,
    ServiceRequest,
    TaskStatus,
)
from services.privacy import mask_name

WAITING_STATES = (PrintJobState.PENDING, PrintJobState.SENT)


def queue_receipt(session: Session, request: ServiceRequest, kiosk: Kiosk, *,
                  pin: str | None = None, pins: PinKeyring | None = None) -> PrintJob:
    """Queue the request's receipt for printing at this kiosk; the PIN (which the server knows
    only while the citizen's session holds it) travels sealed until the job is printed."""
    payload: dict[str, Any] = {"language": request.language}
    if pin and pins is not None:
        payload["sealed_pin"] = pins.seal_pin(pin)
    job = PrintJob(kiosk_id=kiosk.id, request_id=request.id, kind="receipt",
                   state=PrintJobState.PENDING, payload=payload)
    session.add(job)
    session.flush()
    record_audit(session, None, "queue_receipt", "print_job", str(job.id),
                 {"kiosk": kiosk.code, "request": request.tracking_code})
    return job


def status_url(base_url: str, tracking_code: str) -> str:
    """The citizen's status page for a request; it never carries the PIN."""
    query = urlencode({"code": format_tracking_code(tracking_code)})
    return f"{base_url.rstrip('/')}/status?{query}"


def job_pin(job: PrintJob, pins: PinKeyring) -> str | None:
    """The PIN sealed in a print job, while it waits to print; None once wiped."""
    sealed = (job.payload or {}).get("sealed_pin")
    return pins.open_pin(sealed) if isinstance(sealed, str) else None


def receipt_agency(request: ServiceRequest, lang: str) -> str:
    """The agency that first acts on the request: the receipt's header under the city."""
    for task in request.tasks:
        if task.status is not TaskStatus.SKIPPED:
            return task.agency.name(lang)
    return ""


def receipt_data(request: ServiceRequest, *, city: str, base_url: str, pin: str | None,
                 kiosk_code: str = "", tz: str = "Asia/Jakarta") -> dict[str, Any]:
    """Everything the receipt shows, in the request's language, as JSON-ready values."""
    lang = "en" if request.language == "en" else "id"
    version = request.service_version
    zone = ZoneInfo(tz)
    submitted = request.created_at.astimezone(zone)
    due = request.due_at.astimezone(zone).date().isoformat() if request.due_at else ""
    if request.due_at:
        expected = long_local_date(request.due_at, tz, lang)
    else:  # counted from "berkas lengkap", not yet known
        expected = duration_text(version, lang)
    return {
        "language": lang,
        "city": city,
        "agency": receipt_agency(request, lang),
        "service_name": version.text("name", lang),
        "tracking_code": format_tracking_code(request.tracking_code),
        "pin": pin,
        "applicant": mask_name(request.applicant_name),
        "submitted_at": submitted.isoformat(timespec="minutes"),
        "timezone_label": zone_name(tz, request.created_at),
        "submitted_text": long_datetime(request.created_at, tz, lang),
        "expected_completion": due,
        "expected_text": expected,
        "fee": version.fee,
        "fee_kind": version.fee_kind.value,
        "fee_text": fee_text(version, lang, request),
        "product_kind": version.product_kind.value,
        "product_text": version.text("product", lang),
        "requirements": list(version.text("requirements", lang)),
        "kiosk_code": kiosk_code,
        "status_url": status_url(base_url, request.tracking_code),
    }


def fetch_print_jobs(session: Session, kiosk: Kiosk, *, pins: PinKeyring, city: str, base_url: str,
                     tz: str = "Asia/Jakarta", now: datetime | None = None,
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
        if job.kind == "receipt" and job.request_id is not None:
            request = session.get(ServiceRequest, job.request_id)
            assert request is not None
            body["receipt"] = receipt_data(request, city=city, base_url=base_url,
                                           pin=job_pin(job, pins),
                                           kiosk_code=kiosk.code, tz=tz)
        handed.append(body)
    return handed


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
