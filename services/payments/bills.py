"""Issuing a bill (SKRD/SKPD) for an assessed fee, correcting one (a new bill, the old one
cancelled with a reason), and the rules that read bills: which bill is current, whether the
request may be decided (issuance follows payment). Nothing here commits."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.errors import NotAllowed, NotFound, ValidationFailed
from services.models import Bill, BillState, ServiceRequest, Task, User
from services.payments.tariffs import (
    Assessment,
    Billing,
    BillKind,
    Line,
    TariffInvalid,
    assess,
    parse_billing,
    stated,
)

# Bills whose payment is still awaited (an expired one may yet be paid late and flagged).
OUTSTANDING = frozenset({BillState.UNPAID, BillState.EXPIRED})


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of a string of digits (catches a mistyped VA digit at the bank)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def new_va_number() -> str:
    """A customer number for the city's virtual-account prefix: 11 random digits and a check
    digit, so a bill's VA cannot be guessed from another's."""
    body = f"{secrets.randbelow(10**11):011d}"
    return body + luhn_digit(body)


def bill_number(kind: BillKind, agency_code: str, year: int, bill_id: int) -> str:
    return f"{kind.value.upper()}/{agency_code}/{year}/{bill_id:06d}"


def due_moment(issued_at: datetime, days: int, tz: str) -> datetime:
    """The end of the local day ``days`` calendar days after issue (SKRD: jatuh tempo)."""
    zone = ZoneInfo(tz)
    day = issued_at.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(23, 59, 59), zone).astimezone(issued_at.tzinfo)


def billing_of(task: Task) -> Billing:
    try:
        return parse_billing(task.step.billing)
    except TariffInvalid as wrong:  # the catalog import refuses these; a hand-edited row
        raise ValidationFailed("bill.tariff_invalid", problem=str(wrong)) from wrong


def assessment_for(task: Task, request: ServiceRequest, stated_amount: int | None) -> Assessment:
    """The amount a step assesses: computed by its tariff lines from the answers, or the amount
    the clerk states when the step has none."""
    billing = billing_of(task)
    if billing.computed:
        try:
            return assess(billing, request.answers)
        except TariffInvalid as wrong:
            raise ValidationFailed("bill.tariff_not_applicable", problem=str(wrong)) from wrong
    if stated_amount is None or stated_amount < 0:
        raise ValidationFailed("task.fee_needed", fields={"assessed_fee": "task.fee_needed"})
    return stated(stated_amount)


def issue_bill(session: Session, *, request: ServiceRequest, task: Task, actor: User | None,
               assessment: Assessment, now: datetime, calendar: CityCalendar,
               replaces: Bill | None = None) -> Bill:
    """Add the bill of an assessment (amount above 0): numbered, due, with its VA number."""
    billing = billing_of(task)
    version = request.service_version
    bill = Bill(number=f"pending-{secrets.token_hex(8)}", kind=billing.kind, request=request,
                agency=task.agency, task_id=task.id, legal_basis=version.fee_basis_id or "",
                amount=assessment.amount, lines=[line.as_data() for line in assessment.lines],
                rounding=assessment.rounding, issued_at=now,
                due_at=due_moment(now, billing.due_days, calendar.timezone),
                va_number=new_va_number(), state=BillState.UNPAID,
                issued_by_id=actor.id if actor else None,
                replaces_id=replaces.id if replaces else None)
    session.add(bill)
    session.flush()
    bill.number = bill_number(billing.kind, task.agency.code, calendar.local_day(now).year,
                              bill.id)
    return bill


def request_bills(session: Session, request_id: int) -> list[Bill]:
    return list(session.scalars(select(Bill).where(Bill.request_id == request_id)
                                .order_by(Bill.id)))


def current_bill(bills: Iterable[Bill]) -> Bill | None:
    """The bill that stands: the latest one not cancelled."""
    standing = [bill for bill in bills if bill.state is not BillState.CANCELLED]
    return max(standing, key=lambda bill: bill.id) if standing else None


def payment_allows_issuance(bills: Iterable[Bill]) -> bool:
    """Issuance follows payment: a request with a bill may be decided (its document issued,
    signed) only once its standing bill is paid. Without a bill there is nothing to wait for."""
    bill = current_bill(bills)
    return bill is None or bill.state is BillState.PAID


def require_paid(session: Session, request: ServiceRequest) -> None:
    if not payment_allows_issuance(request_bills(session, request.id)):
        raise NotAllowed("bill.unpaid")


@dataclass(frozen=True)
class BillLines:
    """A bill's lines read back as typed values, for pages, the PDF and the API."""

    lines: tuple[Line, ...]
    rounding: int


def bill_lines(bill: Bill) -> BillLines:
    return BillLines(tuple(Line.from_data(data) for data in bill.lines), bill.rounding)


def bill_by_id(session: Session, bill_id: int, *, lock: bool = False) -> Bill:
    query = select(Bill).where(Bill.id == bill_id)
    if lock:
        query = query.with_for_update()
    bill = session.scalar(query)
    if bill is None:
        raise NotFound("bill.not_found")
    return bill
