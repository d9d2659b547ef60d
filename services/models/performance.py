"""Yearly targets an administrator sets for each agency, shown beside the actual figures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, UTCDateTime, utcnow
from services.models.catalog import Agency


class AgencyTarget(Base):
    __tablename__ = "agency_target"
    __table_args__ = (UniqueConstraint("agency_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    year: Mapped[int] = mapped_column(Integer)
    on_time_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ikm: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), nullable=True)
    complaints_resolved_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()
