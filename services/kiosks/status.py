"""What a kiosk reports (its heartbeat) and what administrators see of it (its status)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.city_calendar import DEFAULT_TIMEZONE
from services.clock import utcnow
from services.errors import Message, ValidationFailed
from services.kiosks.printing import WAITING_STATES
from services.models import (
    Complaint,
    Kiosk,
    PrinterState,
    PrintJob,
    PrintJobState,
    ServiceRequest,
)

ONLINE_WITHIN = timedelta(minutes=2)
PAPER_WIDTHS_MM = (58, 80)
# Printer states in which a job cannot print and waits.
PRINTER_BLOCKED = (PrinterState.OUT_OF_PAPER, PrinterState.OFFLINE, PrinterState.ERROR)


def reported_printer_state(state: str, paper_low: bool) -> PrinterState:
    """The printer state a heartbeat reports; "ready" with paper running low is PAPER_LOW."""
    try:
        printer = PrinterState(state)
    except ValueError:
        raise ValidationFailed("kiosk.printer_state_unknown", fields={"printer_state": Message(
            "kiosk.one_of", {"values": ", ".join(s.value for s in PrinterState)})}) from None
    if printer is PrinterState.READY and paper_low:
        return PrinterState.PAPER_LOW
    return printer


def record_heartbeat(session: Session, kiosk: Kiosk, *, printer_state: str,
                     paper_low: bool = False, client_version: str = "",
                     paper_mm: int | None = None, now: datetime | None = None) -> Kiosk:
    """Note that the kiosk is alive, and what its printer says."""
    if paper_mm is not None and paper_mm not in PAPER_WIDTHS_MM:
        raise ValidationFailed("kiosk.paper_width_unknown", fields={"paper_mm": "kiosk.paper_widths"})
    kiosk.printer_state = reported_printer_state(printer_state, paper_low)
    kiosk.last_heartbeat_at = now or utcnow()
    kiosk.client_version = client_version[:40]
    if paper_mm is not None:
        kiosk.paper_width_mm = paper_mm
    return kiosk


def is_online(last_heartbeat_at: datetime | None, now: datetime) -> bool:
    return last_heartbeat_at is not None and now - last_heartbeat_at < ONLINE_WITHIN


@dataclass(frozen=True)
class KioskStatus:
    kiosk: Kiosk
    online: bool
    printer_state: PrinterState
    paper_low: bool
    printer_blocked: bool
    jobs_waiting: int
    requests_today: int

    @property
    def revoked(self) -> bool:
        return self.kiosk.revoked_at is not None

    @property
    def enrolled(self) -> bool:
        return self.kiosk.token_hash is not None


def local_day_start(now: datetime, tz: str) -> datetime:
    """Midnight of the city's current day, as an aware datetime."""
    local = now.astimezone(ZoneInfo(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def kiosk_statuses(session: Session, *, tz: str = DEFAULT_TIMEZONE,
                   now: datetime | None = None) -> list[KioskStatus]:
    """Every kiosk with its health: online by heartbeat age, printer, jobs and today's work."""
    now = now or utcnow()
    waiting: dict[int, int] = {
        kiosk_id: count for kiosk_id, count in session.execute(
            select(PrintJob.kiosk_id, func.count())
            .where(PrintJob.state.in_(WAITING_STATES))
            .group_by(PrintJob.kiosk_id))
    }
    today: dict[int | None, int] = {
        kiosk_id: count for kiosk_id, count in session.execute(
            select(ServiceRequest.kiosk_id, func.count())
            .where(ServiceRequest.kiosk_id.is_not(None),
                   ServiceRequest.created_at >= local_day_start(now, tz))
            .group_by(ServiceRequest.kiosk_id))
    }
    kiosks = session.scalars(select(Kiosk).order_by(Kiosk.code)).all()
    return [
        KioskStatus(
            kiosk=kiosk,
            online=is_online(kiosk.last_heartbeat_at, now) and kiosk.revoked_at is None,
            printer_state=kiosk.printer_state,
            paper_low=kiosk.printer_state is PrinterState.PAPER_LOW,
            printer_blocked=kiosk.printer_state in PRINTER_BLOCKED,
            jobs_waiting=waiting.get(kiosk.id, 0),
            requests_today=today.get(kiosk.id, 0),
        )
        for kiosk in kiosks
    ]


class ReceiptPrinting(enum.Enum):
    """What the receipt screen may say about printing the citizen's receipt."""

    READY = "ready"  # nothing printed yet (or the last try failed); the printer can print
    PRINTING = "printing"  # a job waits and the printer can print it
    PRINTED = "printed"
    WAITING = "waiting"  # a job waits, but the kiosk is offline or the printer cannot print
    UNAVAILABLE = "unavailable"  # nothing queued, and the printer cannot print now


@dataclass(frozen=True)
class ReceiptPrintStatus:
    state: ReceiptPrinting
    online: bool
    printer_state: PrinterState

    @property
    def may_queue(self) -> bool:
        """A tap on "Cetak" queues a job: the printer is ready and no job waits."""
        return self.state in (ReceiptPrinting.READY, ReceiptPrinting.PRINTED)


def receipt_printing(*, online: bool, printer: PrinterState,
                     job: PrintJobState | None) -> ReceiptPrinting:
    """Say "printing" only when it is: the kiosk client is online and its printer can print."""
    if job is PrintJobState.PRINTED:
        return ReceiptPrinting.PRINTED
    can_print = online and printer not in PRINTER_BLOCKED
    if job in WAITING_STATES:
        return ReceiptPrinting.PRINTING if can_print else ReceiptPrinting.WAITING
    return ReceiptPrinting.READY if can_print else ReceiptPrinting.UNAVAILABLE


def receipt_print_status(session: Session, kiosk: Kiosk, item: ServiceRequest | Complaint, *,
                         now: datetime | None = None) -> ReceiptPrintStatus:
    """The state of a request's or a complaint's receipt at this kiosk, from its latest print
    job (none yet: it may be printed)."""
    names_item = (PrintJob.complaint_id == item.id if isinstance(item, Complaint)
                  else PrintJob.request_id == item.id)
    job = session.scalar(select(PrintJob.state)
                         .where(PrintJob.kiosk_id == kiosk.id, names_item,
                                PrintJob.state != PrintJobState.CANCELLED)
                         .order_by(PrintJob.id.desc()).limit(1))
    return print_status(kiosk, job, now=now)


def job_print_status(session: Session, kiosk: Kiosk, job_id: int | None, *,
                     now: datetime | None = None) -> ReceiptPrintStatus:
    """The state of a slip whose print job is known by its id (a queue ticket), or of one not
    yet sent to the printer (no id)."""
    job = session.scalar(select(PrintJob.state).where(
        PrintJob.id == job_id, PrintJob.kiosk_id == kiosk.id,
        PrintJob.state != PrintJobState.CANCELLED)) if job_id else None
    return print_status(kiosk, job, now=now)


def print_status(kiosk: Kiosk, job: PrintJobState | None, *,
                 now: datetime | None = None) -> ReceiptPrintStatus:
    online = is_online(kiosk.last_heartbeat_at, now or utcnow())
    return ReceiptPrintStatus(
        state=receipt_printing(online=online, printer=kiosk.printer_state, job=job),
        online=online, printer_state=kiosk.printer_state)
