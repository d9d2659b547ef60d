"""Staff accounts: administrators, supervisors, clerks and kiosk officers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.models.catalog import Agency


class Role(enum.Enum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CLERK = "clerk"
    OFFICER = "officer"  # petugas pendamping, who helps citizens at a kiosk
    LEADERSHIP = "pimpinan"  # city leadership: reads every agency's figures, changes nothing


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

    agency: Mapped[Agency | None] = relationship()

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
