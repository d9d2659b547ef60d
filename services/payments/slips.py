"""What a bill says to the citizen, worded once for the status pages, the API, the PDF and the
kiosk's printer: the tariff lines with their figures, the amount in figures and in words, the
due date in the city's time, the VA number and the QRIS payload while it can be paid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.codes import format_tracking_code
from services.formatting import long_datetime, rupiah
from services.models import Bill, BillState
from services.payments.bills import bill_lines
from services.payments.qris import Merchant, qris_payload
from services.payments.tariffs import Line
from services.payments.terbilang import rupiah_in_words


def decimal_words(text: str, lang: str) -> str:
    """ "0.45" -> "0,45" in Indonesian; as it is in English."""
    return text if lang == "en" else text.replace(".", ",")


def line_figures(line: Line, lang: str) -> str:
    """ "750 m² × Rp 5.000.000 × 0,45 × 0,004": what the line multiplies."""
    parts = [f"{decimal_words(line.quantity, lang)} {line.unit}".strip(), rupiah(line.rate)]
    parts += [decimal_words(factor.value, lang) for factor in line.factors]
    return " × ".join(parts)


@dataclass(frozen=True)
class Payable:
    """How a bill is paid: the full virtual account number and the city's QRIS merchant."""

    va_prefix: str
    merchant: Merchant

    def virtual_account(self, bill: Bill) -> str:
        return f"{self.va_prefix}{bill.va_number}"


def may_be_paid(bill: Bill) -> bool:
    return bill.state is BillState.UNPAID


def bill_slip(bill: Bill, *, city: str, payable: Payable, tz: str,
              lang: str = "id") -> dict[str, Any]:
    """The bill as kiosk_client.bill.BillSlip reads it (JSON-safe)."""
    read = bill_lines(bill)
    version = bill.request.service_version
    note = bill.cancel_reason if bill.state is BillState.CANCELLED else ""
    return {
        "number": bill.number, "kind": bill.kind.value, "city": city,
        "agency": bill.agency.name_en if lang == "en" else bill.agency.name_id,
        "tracking_code": format_tracking_code(bill.request.tracking_code),
        "service_name": version.text("name", lang),
        "legal_basis": (version.fee_basis_en if lang == "en" else bill.legal_basis)
        or bill.legal_basis,
        "lines": [{"label": line.label(lang), "figures": line_figures(line, lang),
                   "amount": line.amount} for line in read.lines],
        "rounding": read.rounding, "amount": bill.amount,
        "amount_words": rupiah_in_words(bill.amount),
        "due_text": long_datetime(bill.due_at, tz, lang),
        "va_number": payable.virtual_account(bill),
        "qris": qris_payload(payable.merchant, amount=bill.amount, bill_number=bill.number)
        if may_be_paid(bill) else "",
        "state": bill.state.value, "state_note": note, "language": lang,
    }
