"""What the receipt screen may say about printing: "printing" only when the kiosk's client is
online and its printer can print (issue 13, item 2)."""

import pytest

from services.kiosks.status import ReceiptPrinting, receipt_printing
from services.models import PrinterState, PrintJobState

R = ReceiptPrinting


@pytest.mark.parametrize(("online", "printer", "job", "said"), [
    (True, PrinterState.READY, None, R.READY),
    (True, PrinterState.PAPER_LOW, None, R.READY),
    (True, PrinterState.UNKNOWN, None, R.READY),
    (True, PrinterState.OUT_OF_PAPER, None, R.UNAVAILABLE),
    (True, PrinterState.OFFLINE, None, R.UNAVAILABLE),
    (True, PrinterState.ERROR, None, R.UNAVAILABLE),
    (False, PrinterState.READY, None, R.UNAVAILABLE),
    (True, PrinterState.READY, PrintJobState.PENDING, R.PRINTING),
    (True, PrinterState.READY, PrintJobState.SENT, R.PRINTING),
    (True, PrinterState.OUT_OF_PAPER, PrintJobState.SENT, R.WAITING),
    (False, PrinterState.READY, PrintJobState.PENDING, R.WAITING),
    (False, PrinterState.OFFLINE, PrintJobState.PRINTED, R.PRINTED),
    (True, PrinterState.READY, PrintJobState.FAILED, R.READY),
    (True, PrinterState.OUT_OF_PAPER, PrintJobState.FAILED, R.UNAVAILABLE),
])
def test_the_receipt_says_printing_only_when_it_prints(online, printer, job, said):
    assert receipt_printing(online=online, printer=printer, job=job) is said
