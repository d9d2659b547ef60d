"""Bills (SKRD/SKPD) for assessed levies, the payments the bank reports against them, and the
SNAP calls seen (for replay detection)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.models.accounts import User
from services.models.catalog import Agency
from services.models.requests import ServiceRequest
from services.payments.tariffs import BillKind


class BillState(enum.Enum):
    UNPAID = "unpaid"
    PAID = "paid"  # lunas
    CANCELLED = "cancelled"  # replaced by a correction, or withdrawn
    EXPIRED = "expired"  # past its due date unpaid


class PaymentChannel(enum.Enum):
    VIRTUAL_ACCOUNT = "va"
    QRIS = "qris"
    STATEMENT = "statement"  # found on the bank's statement, never notified


class PaymentFlag(enum.Enum):
    """Why a recorded payment did not settle its bill: the treasurer decides what follows."""

    WRONG_AMOUNT = "wrong_amount"
    CANCELLED_BILL = "cancelled_bill"
    EXPIRED_BILL = "expired_bill"
    ALREADY_PAID = "already_paid"
    UNKNOWN_BILL = "unknown_bill"


class TreasurerDecision(enum.Enum):
    REFUND = "refund"
    ACCEPT = "accept"  # e.g. an expired bill's payment the treasurer accepts


class Bill(Base):
    """An SKRD or SKPD: immutable once issued; a correction issues a new one and cancels this."""

    __tablename__ = "bill"
    __table_args__ = (Index("ix_bill_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[BillKind] = mapped_column(enum_column(BillKind))
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), nullable=True)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[int] = mapped_column(BigInteger)
    # The tariff lines (services.payments.tariffs.Line.as_data) and the rounding difference.
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    rounding: Mapped[int] = mapped_column(BigInteger, default=0)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The payment code: the virtual account number the citizen pays into.
    va_number: Mapped[str] = mapped_column(String(28), unique=True)
    state: Mapped[BillState] = mapped_column(enum_column(BillState), default=BillState.UNPAID)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("bill.id"), nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    request: Mapped[ServiceRequest] = relationship()
    agency: Mapped[Agency] = relationship()
    issued_by: Mapped[User | None] = relationship()


class Payment(Base):
    """A payment the bank reported (or its statement showed): recorded once per bank reference,
    settling its bill only when it fits it."""

    __tablename__ = "payment"
    __table_args__ = (UniqueConstraint("bank_reference"),
                      Index("ix_payment_paid_at", "paid_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_reference: Mapped[str] = mapped_column(String(64))
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bill.id"), nullable=True, index=True)
    # What the bank named (a VA or bill number), kept even when no bill matches.
    paid_to: Mapped[str] = mapped_column(String(64), default="")
    channel: Mapped[PaymentChannel] = mapped_column(enum_column(PaymentChannel))
    amount: Mapped[int] = mapped_column(BigInteger)
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled: Mapped[bool] = mapped_column(default=False)
    flag: Mapped[PaymentFlag | None] = mapped_column(enum_column(PaymentFlag), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # The day's reconciliation that found it on the bank's statement (local date, ISO).
    reconciled_on: Mapped[str] = mapped_column(String(10), default="")
    decision: Mapped[TreasurerDecision | None] = mapped_column(enum_column(TreasurerDecision),
                                                               nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                      nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    bill: Mapped[Bill | None] = relationship()


class SnapCall(Base):
    """An X-EXTERNAL-ID a partner used: SNAP makes it unique per partner per day, so a second
    call with it is a replay."""

    __tablename__ = "snap_call"
    __table_args__ = (UniqueConstraint("partner_id", "external_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
