"""Staff accounts: administrators, supervisors, clerks and kiosk officers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.models.catalog import Agency


class Role(enum.Enum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CLERK = "clerk"
    OFFICER = "officer"  # petugas pendamping, who helps citizens at a kiosk
    COORDINATOR = "koordinator"  # the city's SP4N-LAPOR! admin: verifies and forwards complaints
    LEADERSHIP = "pimpinan"  # city leadership: reads every agency's figures, changes nothing
    TREASURER = "bendahara"  # bendahara penerimaan: bills, payments, the daily reconciliation
    # pejabat penandatangan: the head of an agency (or a delegate) who signs its decisions
    OFFICIAL = "pejabat"


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Bumped at logout, password change and deactivation: every older session cookie dies.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A signing official's jabatan and NIP as the decision shows them, and the credential of
    # their key on the signing service (the key itself never leaves that service).
    jabatan: Mapped[str] = mapped_column(String(200), default="", server_default="")
    nip: Mapped[str] = mapped_column(String(18), default="", server_default="")
    signing_credential: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Passphrases the signing service refused in a row, and until when signing is locked.
    signing_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    signing_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    agency: Mapped[Agency | None] = relationship()

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class LoginFailure(Base):
    """One failed staff sign-in, kept briefly so every worker and host sees the same count."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
