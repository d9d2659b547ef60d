"""Builders for payment tests: pay a request's standing bill as the bank would report it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models import Bill, BillState, PaymentChannel, ServiceRequest
from services.payments.settlement import Notice, Recorded, record_payment


def standing_bill(session: Session, request: ServiceRequest) -> Bill:
    bill = session.scalar(select(Bill).where(Bill.request_id == request.id,
                                             Bill.state != BillState.CANCELLED)
                          .order_by(Bill.id.desc()))
    assert bill is not None, f"no bill for {request.tracking_code}"
    return bill


def pay_bill(session: Session, request: ServiceRequest, when: datetime, *,
             reference: str | None = None, amount: int | None = None,
             channel: PaymentChannel = PaymentChannel.VIRTUAL_ACCOUNT) -> Recorded:
    """The bank reports the request's bill paid (in full unless ``amount``); committed."""
    bill = standing_bill(session, request)
    recorded = record_payment(session, Notice(
        bank_reference=reference or f"BANK-{bill.id}-{when:%H%M%S}", channel=channel,
        paid_to=bill.va_number, amount=bill.amount if amount is None else amount,
        paid_at=when), now=when)
    session.commit()
    return recorded
