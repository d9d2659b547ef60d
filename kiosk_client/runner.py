"""The client's work: one pass reports the printer, fetches new jobs into the spool, prints
what waits and tells the server; the loop repeats it, backing off while the server is away."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk_client.api import ServerApi, ServerRejected, ServerUnreachable
from kiosk_client.bill import BillSlip, render_bill
from kiosk_client.printers import Printer, PrinterStatus, PrinterUnavailable, PrintFailed
from kiosk_client.receipt import Receipt, render_receipt
from kiosk_client.spool import Spool, SpooledJob
from kiosk_client.ticket import Ticket, render_ticket

log = logging.getLogger("kiosk_client")

MAX_PRINT_ATTEMPTS = 3
BACKOFF_START = 1.0
BACKOFF_MAX = 60.0


@dataclass
class PassReport:
    server_reachable: bool = True
    printer: PrinterStatus = field(default_factory=lambda: PrinterStatus("unknown"))
    fetched: int = 0
    printed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)
    waiting: int = 0
    held: bool = False  # the server held the job request (long poll): ask again at once

    def summary(self) -> str:
        return (f"printer {self.printer.state}{' (paper low)' if self.printer.paper_low else ''}; "
                f"fetched {self.fetched}, printed {len(self.printed)}, failed {len(self.failed)}, "
                f"acknowledged {len(self.acknowledged)}, waiting {self.waiting}; server "
                f"{'reachable' if self.server_reachable else 'UNREACHABLE'}")


def job_pdf(job: SpooledJob, paper_mm: int) -> tuple[bytes, str]:
    """Render a spooled job; returns the PDF and a title naming the job, not the citizen."""
    if job.kind == "ticket" and "ticket" in job.payload:
        ticket = Ticket.from_dict(job.payload["ticket"])
        return render_ticket(ticket, paper_mm), f"job-{job.id}-ticket-{ticket.label}"
    if job.kind == "bill" and "bill" in job.payload:
        bill = BillSlip.from_dict(job.payload["bill"])
        return render_bill(bill, paper_mm), f"job-{job.id}-bill"
    if job.kind != "receipt" or "receipt" not in job.payload:
        raise PrintFailed(f"cannot print a job of kind {job.kind!r}")
    receipt = Receipt.from_dict(job.payload["receipt"])
    return render_receipt(receipt, paper_mm), f"job-{job.id}-{receipt.barcode_value}"


class KioskClient:
    def __init__(self, api: ServerApi, printer: Printer, spool: Spool, *, paper_mm: int = 80,
                 max_attempts: int = MAX_PRINT_ATTEMPTS) -> None:
        self.api = api
        self.printer = printer
        self.spool = spool
        self.paper_mm = paper_mm
        self.max_attempts = max_attempts

    def run_pass(self, wait: float = 0.0) -> PassReport:
        """One heartbeat, fetch, print and acknowledge pass; ``wait`` lets the server hold the
        fetch until a job comes (long poll). DeviceRefused propagates."""
        report = PassReport(printer=self.printer.status())
        try:
            self.api.heartbeat(printer_state=report.printer.state,
                               paper_low=report.printer.paper_low, paper_mm=self.paper_mm)
            batch = self.api.print_jobs(wait)
            report.held = batch.held
            for job in batch.jobs:
                report.fetched += self.spool.add(job)
        except ServerUnreachable as error:
            log.warning("server unreachable: %s; printing from the spool", error)
            report.server_reachable = False
        except ServerRejected as error:  # a bug on one side; keep printing what is spooled
            log.error("the server refused the heartbeat or the job list: %s", error)
        self.print_waiting(report)
        if report.server_reachable:
            self.acknowledge(report)
        report.waiting = len(self.spool.waiting())
        return report

    def print_waiting(self, report: PassReport) -> None:
        for job in self.spool.waiting():
            if not report.printer.can_print:
                log.warning("printer %s: %d job(s) wait", report.printer.state,
                            len(self.spool.waiting()))
                return
            try:
                pdf, title = job_pdf(job, self.paper_mm)
                self.printer.print_pdf(pdf, title)
            except PrinterUnavailable as error:
                log.warning("printer unavailable (%s); job %d waits", error, job.id)
                report.printer = self.printer.status()
                return
            except (PrintFailed, ValueError, KeyError, TypeError) as error:
                attempts = self.spool.record_attempt(job.id, str(error))
                log.error("job %d did not print (attempt %d): %s", job.id, attempts, error)
                if attempts >= self.max_attempts:
                    self.spool.mark_failed(job.id, str(error))
                    report.failed.append(job.id)
                continue
            self.spool.mark_printed(job.id)
            report.printed.append(job.id)
            log.info("printed job %d", job.id)

    def acknowledge(self, report: PassReport) -> None:
        for job in self.spool.unacknowledged():
            try:
                self.api.acknowledge(job.id, printed=job.state == "printed", error=job.error)
            except ServerUnreachable as error:
                log.warning("acknowledgements wait, server unreachable: %s", error)
                report.server_reachable = False
                return
            except ServerRejected as error:
                log.error("server refused the acknowledgement of job %d: %s", job.id, error)
            self.spool.mark_acknowledged(job.id)
            report.acknowledged.append(job.id)

    def reprint_last(self) -> int | None:
        """Print the last printed receipt again; its job id, or None if there is none."""
        job = self.spool.last_printed()
        if job is None or "receipt" not in job.payload:
            return None
        pdf, title = job_pdf(job, self.paper_mm)
        self.printer.print_pdf(pdf, f"{title}-reprint")
        return job.id

    def run_forever(self, stop: threading.Event,
                    poll_seconds: float = 5.0,
                    jitter: Callable[[], float] = random.random,
                    long_poll_seconds: float = 0.0) -> None:
        """Repeat passes until ``stop`` is set; back off exponentially while the server is away.
        With a long poll the server holds each fetch until a job comes, so the next pass
        starts at once; a server that did not hold it is asked again after ``poll_seconds``."""
        backoff = BACKOFF_START
        while not stop.is_set():
            report = self.run_pass(long_poll_seconds)
            if report.server_reachable:
                backoff = BACKOFF_START
                delay = 0.0 if report.held else poll_seconds
            else:
                delay = backoff * (0.5 + jitter())
                backoff = min(backoff * 2, BACKOFF_MAX)
            log.debug("pass: %s; next in %.1fs", report.summary(), delay)
            stop.wait(delay)
