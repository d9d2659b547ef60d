"""The receipt screens a citizen sees after filing at the kiosk, a request's and a complaint's:
the code and PIN in large type, whether the receipt is printing, the button that prints it,
and the poll that keeps the screen's print state fresh. Both screens are served by the same
code, and both polls are passive (no sign of a citizen: the idle wipe still counts), because
PASSIVE_ENDPOINTS is made from RECEIPT_POLLS below."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import Blueprint, g, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.wrappers import Response

from kiosk.anjungan.draft import COMPLAINT_DRAFT, COMPLAINT_RECEIPT, DRAFT, RECEIPT
from kiosk.api.devices import print_job_watch
from kiosk.extensions import db, pin_keyring, unit_of_work
from services.codes import format_tracking_code
from services.kiosks.printing import queue_receipt
from services.kiosks.status import ReceiptPrinting, ReceiptPrintStatus, receipt_print_status
from services.models import Complaint, PrinterState, PrintJob, ServiceRequest
from services.qr import qr_svg


@dataclass(frozen=True)
class ReceiptScreen:
    """One kind of tracked item's receipt screen at the kiosk."""

    model: type[ServiceRequest] | type[Complaint]
    receipt_key: str  # where the session keeps {"id", "pin"} while the screen shows them
    draft_key: str  # the draft that filing replaces
    done: str  # the screen's endpoint
    poll: str  # GET: its print state, polled every few seconds
    print: str  # POST: print the receipt
    print_path: str


REQUEST_SCREEN = ReceiptScreen(ServiceRequest, RECEIPT, DRAFT, "anjungan.done",
                               "anjungan.print_state", "anjungan.print_receipt", "/apply/print")
COMPLAINT_SCREEN = ReceiptScreen(Complaint, COMPLAINT_RECEIPT, COMPLAINT_DRAFT,
                                 "anjungan.complaint_done", "anjungan.complaint_print_state",
                                 "anjungan.complaint_print", "/pengaduan/cetak")
RECEIPT_SCREENS = (REQUEST_SCREEN, COMPLAINT_SCREEN)
# The receipt screens' polls: no sign of a citizen, so the idle wipe ignores them.
RECEIPT_POLLS = frozenset(screen.poll for screen in RECEIPT_SCREENS)


def keep_receipt(screen: ReceiptScreen, item_id: int, pin: str) -> None:
    """What the receipt screen shows; the draft itself is gone once filed."""
    session.pop(screen.draft_key, None)
    session[screen.receipt_key] = {"id": item_id, "pin": pin}


def filed_here(screen: ReceiptScreen) -> tuple[str, Any] | None:
    """The item just filed at this kiosk and its PIN, while the session keeps them."""
    receipt = session.get(screen.receipt_key)
    if not isinstance(receipt, dict):
        return None
    item = db.session.get(screen.model, receipt.get("id") or 0)
    if item is None or item.kiosk_id != g.kiosk.id:
        return None
    return str(receipt["pin"]), item


def printing_of(item: ServiceRequest | Complaint) -> ReceiptPrintStatus:
    return receipt_print_status(db.session, g.kiosk, item)


def screen_context(screen: ReceiptScreen, item: ServiceRequest | Complaint, pin: str, *,
                   qr_url: str, qr_label: str) -> dict[str, Any]:
    """What both receipt screens show: the code and PIN, the print state and its problem, the
    print and poll addresses, and a QR code to the item's status page (never the PIN)."""
    printing = printing_of(item)
    return {"pin": pin, "code": format_tracking_code(item.tracking_code),
            "printing": printing, "problem": printer_problem(printing),
            "print_url": url_for(screen.print), "poll_url": url_for(screen.poll),
            # qr_svg draws the SVG itself and escapes its one text (B704)
            "status_qr": Markup(qr_svg(qr_url, label=qr_label))}  # nosec B704


def print_state(screen: ReceiptScreen) -> dict[str, str]:
    """The receipt's print state, polled by its screen."""
    found = filed_here(screen)
    if found is None:
        return {"state": "none"}
    return {"state": printing_of(found[1]).state.value}


def print_receipt(screen: ReceiptScreen) -> Response:
    """Queue the receipt at this kiosk's printer, only when it can print and none waits."""
    found = filed_here(screen)
    if found is None:
        return redirect(url_for("anjungan.home"))
    pin, item = found
    print_when_ready(printing_of(item), lambda: queue_receipt(
        db.session, item, g.kiosk, pin=pin, pins=pin_keyring()))
    return redirect(url_for(screen.done))


def add_receipt_routes(bp: Blueprint) -> None:
    """Each screen's poll and print button, from the one definition above."""
    for screen in RECEIPT_SCREENS:
        bp.add_url_rule(screen.print_path, screen.poll.partition(".")[2],
                        partial(print_state, screen), methods=["GET"])
        bp.add_url_rule(screen.print_path, screen.print.partition(".")[2],
                        partial(print_receipt, screen), methods=["POST"])


def print_when_ready(printing: ReceiptPrintStatus, queue: Callable[[], PrintJob]
                     ) -> PrintJob | None:
    """Queue a receipt at this kiosk's printer only when it can print and none waits; a kiosk
    client held by this process then prints it at once."""
    if not printing.may_queue:
        return None
    with unit_of_work():
        job = queue()
    print_job_watch().notify()
    return job


PRINTER_PROBLEMS = {
    PrinterState.OUT_OF_PAPER: _l("kertas printer habis"),
    PrinterState.OFFLINE: _l("printer tidak terhubung"),
    PrinterState.ERROR: _l("printer bermasalah"),
}


def printer_problem(printing: ReceiptPrintStatus) -> str:
    """Why the receipt cannot print now, in the citizen's words; empty when it can."""
    if printing.state not in (ReceiptPrinting.WAITING, ReceiptPrinting.UNAVAILABLE):
        return ""
    if not printing.online:
        return _("kios ini sedang tidak tersambung ke printer")
    return str(PRINTER_PROBLEMS.get(printing.printer_state, _("printer bermasalah")))
