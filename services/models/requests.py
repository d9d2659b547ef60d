"""Service requests, the tasks that route them through agencies, and their event history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.models.accounts import User
from services.models.catalog import Agency, ServiceVersion, WorkflowStep


class RevocationReason(enum.Enum):
    """Why a document was revoked: the only wording the public verification page shows."""

    DATA_ERROR = "data_error"
    REPLACED = "replaced"
    HOLDER_REQUEST = "holder_request"
    ISSUED_IN_ERROR = "issued_in_error"


class RequestStatus(enum.Enum):
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    NEEDS_INFO = "needs_info"
    # menunggu pembayaran: a bill is issued and unpaid; the SLA clock is stopped meanwhile
    AWAITING_PAYMENT = "awaiting_payment"
    APPROVED = "approved"
    REJECTED = "rejected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TaskStatus(enum.Enum):
    PENDING = "pending"  # its stage has not opened yet
    READY = "ready"
    CLAIMED = "claimed"
    WAITING = "waiting"  # returned to the citizen for more information
    DONE = "done"
    SKIPPED = "skipped"


# Open tasks a clerk can work on now: their SLA clock runs (services.workflow.transitions
# names the other sets of task statuses).
RUNNING_TASK_STATUSES = frozenset({TaskStatus.READY, TaskStatus.CLAIMED})


class TaskOutcome(enum.Enum):
    APPROVED = "approved"
    REJECTED = "rejected"
    FORWARDED = "forwarded"


class Channel(enum.Enum):
    KIOSK = "kiosk"
    WEB = "web"
    API = "api"
    OPEN311 = "open311"
    COUNTER = "counter"


class ServiceRequest(Base):
    __tablename__ = "service_request"
    __table_args__ = (
        UniqueConstraint("idempotency_digest"),
        Index("ix_service_request_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(256))
    service_version_id: Mapped[int] = mapped_column(ForeignKey("service_version.id"), index=True)
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    language: Mapped[str] = mapped_column(String(5), default="id")
    applicant_nik: Mapped[str] = mapped_column(String(16))
    applicant_name: Mapped[str] = mapped_column(String(120))
    applicant_phone: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"), nullable=True, index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # The API key of the system that submitted it (Open311, JSON API), for requests:read-own.
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"), nullable=True,
                                                   index=True)
    # SHA-256 of the idempotency key scoped by channel and device ("kiosk:KIOSK-01:<key>"): a
    # retry finds this request, but the key itself (from which its PIN derives) is not kept.
    idempotency_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A digest of what was submitted, so a reused key with other content is refused.
    payload_digest: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set while the request waits on the citizen; the SLA clock is stopped meanwhile.
    clock_stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When a step declared the file complete ("berkas lengkap").
    file_complete_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # An assessed fee (SKRD): the amount in rupiah and the SKRD number, set by a step.
    assessed_fee: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fee_reference: Mapped[str] = mapped_column(String(100), default="")
    # An external product: the number and date the other system (SIAK, OSS-RBA...) issued.
    external_number: Mapped[str] = mapped_column(String(100), default="")
    external_issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Kept as the request goes, so the command center's figures are plain aggregates:
    # working days the clock stood still waiting on the citizen, whether the citizen was ever
    # asked for more information, and at the decision the working days the request took
    # (stopped days excluded) and whether it was decided by its deadline.
    stopped_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    returned_for_info: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default="0")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    working_days_used: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_on_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    service_version: Mapped[ServiceVersion] = relationship()
    officer: Mapped[User | None] = relationship()
    tasks: Mapped[list[Task]] = relationship(
        back_populates="request", order_by="(Task.stage, Task.id)"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="request", order_by="Event.id"
    )


class Task(Base):
    """One workflow step of one request, in one agency's queue."""

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_queue", "agency_id", "status", "due_at"),
        # Open work counted per agency (backlog, overdue) without reading decided tasks.
        Index("ix_task_status_agency", "status", "agency_id", "due_at"),
        # The claim's pick: an agency's ready tasks in queue order, and nothing else.
        Index("ix_task_ready", "agency_id", "due_at", "id",
              postgresql_where=text("status = 'ready'"), sqlite_where=text("status = 'ready'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("workflow_step.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    stage: Mapped[int] = mapped_column(Integer)
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus))
    outcome: Mapped[TaskOutcome | None] = mapped_column(enum_column(TaskOutcome), nullable=True)
    claimed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True, index=True
    )
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    overdue_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[ServiceRequest] = relationship(back_populates="tasks")
    step: Mapped[WorkflowStep] = relationship()
    agency: Mapped[Agency] = relationship()
    claimed_by: Mapped[User | None] = relationship()

    @hybrid_method
    def overdue_at(self, now: datetime) -> bool:
        """Late: still to be worked on past its deadline. A task waiting on the citizen is not,
        its clock is stopped. The one rule, for Python, templates and SQL."""
        return (self.status in RUNNING_TASK_STATUSES and self.due_at is not None
                and self.due_at < now)

    @overdue_at.inplace.expression
    @classmethod
    def _overdue_at_clause(cls, now: datetime) -> ColumnElement[bool]:
        return and_(cls.status.in_(RUNNING_TASK_STATUSES), cls.due_at < now)


class Event(Base):
    """Append-only history of a request: the audit log and the citizen's timeline."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(120), default="")
    from_status: Mapped[RequestStatus | None] = mapped_column(
        enum_column(RequestStatus), nullable=True
    )
    to_status: Mapped[RequestStatus | None] = mapped_column(
        enum_column(RequestStatus), nullable=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[ServiceRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class IssuedDocument(Base):
    """The product a request yields: a signed, verifiable PDF."""

    __tablename__ = "issued_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), unique=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")  # internal only
    revoked_category: Mapped[RevocationReason | None] = mapped_column(
        enum_column(RevocationReason), nullable=True)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # The signed PDF (PAdES), made once on first download, and who signed it.
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    signer: Mapped[str] = mapped_column(String(300), default="")
    # A decision signed by an official: the content drawn when the clerk approved (kept so the
    # signed PDF is drawn from what was approved), who signed, when, and the issued file's hash.
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                     nullable=True)
    signer_jabatan: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signer_nip: Mapped[str] = mapped_column(String(18), default="", server_default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="",
                                            index=True)
    # The hashes the file had before each renewal of its time-stamp: a copy handed out then is
    # still the issued document.
    earlier_sha256: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # The last document time-stamp (PAdES B-LTA) and when its TSA certificate expires: the
    # renewal job re-stamps documents whose stamp nears that date.
    timestamped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    timestamp_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True,
                                                                  index=True)

    request: Mapped[ServiceRequest] = relationship()
    agency: Mapped[Agency] = relationship()
