"""Kiosk devices and the print jobs they must carry out."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.models.accounts import User


class PrinterState(enum.Enum):
    UNKNOWN = "unknown"
    READY = "ready"
    PAPER_LOW = "paper_low"
    OUT_OF_PAPER = "out_of_paper"
    OFFLINE = "offline"
    ERROR = "error"


class PrintJobState(enum.Enum):
    PENDING = "pending"
    SENT = "sent"  # handed to the kiosk client, not yet acknowledged
    PRINTED = "printed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Kiosk(Base):
    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    location: Mapped[str] = mapped_column(String(300), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(128), nullable=True, unique=True)
    enrolment_code_hash: Mapped[str | None] = mapped_column(String(128), nullable=True)
    enrolment_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    in_service: Mapped[bool] = mapped_column(Boolean, default=True)
    out_of_service_note: Mapped[str] = mapped_column(String(300), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    printer_state: Mapped[PrinterState] = mapped_column(
        enum_column(PrinterState), default=PrinterState.UNKNOWN
    )
    client_version: Mapped[str] = mapped_column(String(40), default="")
    paper_width_mm: Mapped[int] = mapped_column(Integer, default=80)
    # Bumped by "Selesai" and every wipe: a citizen's session cookie made under an earlier
    # generation is worth nothing, so a copied cookie cannot replay the last citizen.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PrintJob(Base):
    __tablename__ = "print_job"
    __table_args__ = (
        Index("ix_print_job_kiosk_state", "kiosk_id", "state"),
        # A receipt is of one tracked item: a request or a complaint, never both.
        CheckConstraint("request_id IS NULL OR complaint_id IS NULL", name="one_tracked_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosk.id"))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_request.id"), nullable=True, index=True
    )
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(30), default="receipt")
    state: Mapped[PrintJobState] = mapped_column(enum_column(PrintJobState))
    # Everything the client needs to render, so a reprint needs no further look-up.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    kiosk: Mapped[Kiosk] = relationship()


class OfficerCall(Base):
    """A citizen at a kiosk asked for the officer (petugas pendamping); open until answered."""

    __tablename__ = "officer_call"
    __table_args__ = (Index("ix_officer_call_open", "acknowledged_at", "raised_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosk.id"), index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )

    kiosk: Mapped[Kiosk] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()
