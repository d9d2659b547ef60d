"""Berkas: the documents a citizen hands in with a request (or a complaint), stored encrypted by
their content, and the clerk's check of each requirement."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.models.accounts import User
from services.models.requests import ServiceRequest


class RequirementKind(enum.Enum):
    """How a requirement of a service is met."""

    UPLOAD = "upload"  # a document the citizen uploads or scans
    COUNTER = "counter"  # shown at the counter, never uploaded
    FETCHED = "fetched"  # fetched by the city itself (SIAK...), never asked of the citizen


class Verdict(enum.Enum):
    """The clerk's check of one requirement of a request."""

    SESUAI = "sesuai"  # as required
    TIDAK_SESUAI = "tidak_sesuai"  # not as required; the reason is for the citizen
    KURANG = "kurang"  # missing


class StoredBlob(Base):
    """One file's bytes in the storage backend, addressed by the SHA-256 of its (cleaned)
    content and encrypted there under the key ``key_id`` names."""

    __tablename__ = "stored_blob"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Upload(Base):
    """A file handed in for one requirement: first loose (a draft's), then linked to the request
    or complaint in the transaction that submits the answer naming it."""

    __tablename__ = "berkas_upload"
    __table_args__ = (Index("ix_berkas_upload_loose", "request_id", "complaint_id", "uploaded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The upload id the kiosk, phone and API name: random, never a counter.
    token: Mapped[str] = mapped_column(String(40), unique=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("stored_blob.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200), default="")
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    # Who handed it in: "kiosk:KIOSK-01", "api:3", "web".
    source: Mapped[str] = mapped_column(String(60), default="")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    requirement_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("service_request.id"),
                                                   nullable=True, index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), nullable=True,
                                                     index=True)
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when the citizen replaced it; the replaced file stays for the history until removed.
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    blob: Mapped[StoredBlob] = relationship()
    request: Mapped[ServiceRequest | None] = relationship()


class RequirementCheck(Base):
    """The clerk's verdict on one requirement of one request."""

    __tablename__ = "requirement_check"
    __table_args__ = (UniqueConstraint("request_id", "requirement_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), index=True)
    requirement_key: Mapped[str] = mapped_column(String(60))
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict))
    reason: Mapped[str] = mapped_column(Text, default="")
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                      nullable=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    checked_by: Mapped[User | None] = relationship()
