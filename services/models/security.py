"""Counters that every app host shares: rate limits and the per-code PIN lockout."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UTCDateTime


class RateLimitCounter(Base):
    """One fixed-window counter of a rate limit (IP, tracking code...), seen by all workers."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    window_ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class PinLockout(Base):
    """Wrong PINs tried against one tracking code (whoever tried them), and the lock they earned.
    Kept for any well-formed code, known or not, so a lock tells nothing about a code."""

    __tablename__ = "pin_lockout"

    tracking_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
