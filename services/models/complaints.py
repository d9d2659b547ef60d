"""Complaints (pengaduan) run the SP4N-LAPOR! way: categories, the complaint, its forwardings
to agencies with their answers (tindak lanjut), reopen requests and an append-only history."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.models.accounts import User
from services.models.catalog import Agency
from services.models.requests import Channel

# SP4N-LAPOR! defaults: the coordinator forwards within 3 working days and the agency
# answers within 5; the citizen has 10 working days to confirm the answer.
DEFAULT_FORWARD_DAYS = 3
DEFAULT_ANSWER_DAYS = 5


class ComplaintStatus(enum.Enum):
    SUBMITTED = "submitted"  # waiting for the coordinator's verification
    FORWARDED = "forwarded"  # with one or more agencies for an answer
    ANSWERED = "answered"  # every agency answered; waiting for the citizen's rating
    REOPEN_REQUESTED = "reopen_requested"  # the citizen said "not resolved"
    RESOLVED = "resolved"  # the citizen said the answer resolved it
    CLOSED = "closed"  # closed by the coordinator, with a published reason
    CLOSED_UNCONFIRMED = "closed_unconfirmed"  # the citizen did not reply in time
    DECLINED = "declined"  # not processed (not a complaint, duplicate), with a reason


class Privacy(enum.Enum):
    PUBLIC = "public"  # the name is shown as initials
    CONFIDENTIAL = "confidential"  # identity known only to the coordinator (UU 25/2009 Ps. 50)
    ANONYMOUS = "anonymous"  # no identity asked; the code and PIN are the only link


class ForwardingState(enum.Enum):
    OPEN = "open"  # waiting for the agency's answer
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"  # the coordinator closed the complaint before it answered


class ReopenDecision(enum.Enum):
    REOPENED = "reopened"
    CLOSED = "closed"


class ComplaintCategory(Base):
    __tablename__ = "complaint_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    forward_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_FORWARD_DAYS)
    answer_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_ANSWER_DAYS)
    default_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    default_agency: Mapped[Agency | None] = relationship()

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id


class Complaint(Base):
    __tablename__ = "complaint"
    __table_args__ = (
        UniqueConstraint("idempotency_digest"),
        Index("ix_complaint_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(256))
    category_id: Mapped[int] = mapped_column(ForeignKey("complaint_category.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(300), default="")
    privacy: Mapped[Privacy] = mapped_column(enum_column(Privacy))
    complainant_nik: Mapped[str | None] = mapped_column(String(16), nullable=True)
    complainant_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    complainant_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    language: Mapped[str] = mapped_column(String(5), default="id")
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"), nullable=True)
    status: Mapped[ComplaintStatus] = mapped_column(enum_column(ComplaintStatus))
    # SHA-256 of the scoped idempotency key, never the key itself (the retry PIN derives from it).
    idempotency_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    payload_digest: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The coordinator's deadline to verify and forward, and when it was escalated.
    forward_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    forward_overdue_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The text agencies read: the coordinator's redaction of the description.
    agency_text: Mapped[str] = mapped_column(Text, default="")
    # The citizen's deadline to rate the answer; then it closes without confirmation.
    confirm_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    resolved: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    public_text: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    close_reason: Mapped[str] = mapped_column(Text, default="")

    category: Mapped[ComplaintCategory] = relationship()
    forwardings: Mapped[list[ComplaintForwarding]] = relationship(
        back_populates="complaint", order_by="ComplaintForwarding.id"
    )
    reopen_requests: Mapped[list[ComplaintReopenRequest]] = relationship(
        back_populates="complaint", order_by="ComplaintReopenRequest.id"
    )
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id"
    )

    @hybrid_method
    def verification_late_at(self, now: datetime) -> bool:
        """Late to verify: still waiting on the coordinator past its deadline. One rule, for
        the sweep's SQL and the pages."""
        return self.status is ComplaintStatus.SUBMITTED and self.forward_due_at < now

    @verification_late_at.inplace.expression
    @classmethod
    def _verification_late_clause(cls, now: datetime) -> ColumnElement[bool]:
        return and_(cls.status == ComplaintStatus.SUBMITTED, cls.forward_due_at < now)


def answer_late(state: ForwardingState, due_at: datetime, now: datetime) -> bool:
    """An agency's answer is late: its forwarding is still open past its deadline."""
    return state is ForwardingState.OPEN and due_at < now


class ComplaintForwarding(Base):
    """The complaint in one agency's queue, and that agency's answer (tindak lanjut)."""

    __tablename__ = "complaint_forwarding"
    __table_args__ = (
        UniqueConstraint("complaint_id", "agency_id"),
        Index("ix_complaint_forwarding_queue", "agency_id", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    state: Mapped[ForwardingState] = mapped_column(enum_column(ForwardingState))
    note: Mapped[str] = mapped_column(Text, default="")  # the coordinator's instruction
    forwarded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    overdue_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )

    complaint: Mapped[Complaint] = relationship(back_populates="forwardings")
    agency: Mapped[Agency] = relationship()
    answered_by: Mapped[User | None] = relationship()

    @hybrid_method
    def answer_late_at(self, now: datetime) -> bool:
        """See answer_late; the same rule in SQL for the sweep."""
        return answer_late(self.state, self.due_at, now)

    @answer_late_at.inplace.expression
    @classmethod
    def _answer_late_clause(cls, now: datetime) -> ColumnElement[bool]:
        return and_(cls.state == ForwardingState.OPEN, cls.due_at < now)


class ComplaintReopenRequest(Base):
    """The citizen's "not resolved", and the coordinator's decision on it."""

    __tablename__ = "complaint_reopen_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decision: Mapped[ReopenDecision | None] = mapped_column(
        enum_column(ReopenDecision), nullable=True
    )
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )

    complaint: Mapped[Complaint] = relationship(back_populates="reopen_requests")


class ComplaintEvent(Base):
    """Append-only history of a complaint: the audit log and the citizen's timeline."""

    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # Never the complainant's name: a citizen's own actions are labelled by channel.
    actor_label: Mapped[str] = mapped_column(String(120), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), nullable=True)
    from_status: Mapped[ComplaintStatus | None] = mapped_column(
        enum_column(ComplaintStatus), nullable=True
    )
    to_status: Mapped[ComplaintStatus | None] = mapped_column(
        enum_column(ComplaintStatus), nullable=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    # A note the citizen (and, once published, the public) may read.
    public_note: Mapped[bool] = mapped_column(Boolean, default=False)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    agency: Mapped[Agency | None] = relationship()
