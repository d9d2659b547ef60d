"""API keys for other systems (city apps, LAPOR!, dashboards) and the audit of their calls."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, utcnow
from services.models.accounts import User


class Scope(enum.Enum):
    CATALOG_READ = "catalog:read"
    REQUESTS_SUBMIT = "requests:submit"
    REQUESTS_READ_OWN = "requests:read-own"


class ApiKey(Base):
    """A key another system presents; the server keeps only its SHA-256 and a short prefix."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    owner_system: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16))  # shown to tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    rate_limit: Mapped[str] = mapped_column(String(60))  # Flask-Limiter notation
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                      nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    created_by: Mapped[User | None] = relationship()

    def allows(self, scope: Scope) -> bool:
        return scope.value in self.scopes


class ApiKeyCall(Base):
    """One call made with a key: which key, route and status, when; never the body."""

    __tablename__ = "api_key_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: a key nobody holds was presented (refused, counted, throttled by address).
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"), index=True,
                                                   nullable=True)
    method: Mapped[str] = mapped_column(String(10))
    route: Mapped[str] = mapped_column(String(200))
    status: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    api_key: Mapped[ApiKey | None] = relationship()
