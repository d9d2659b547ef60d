"""Yearly targets an administrator sets for each agency, shown beside the actual figures."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
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


# Daily rollups of the figures, kept by `services.performance.rollups.refresh_rollups` for every
# local day up to yesterday; the figures read them for past days and the live tables for the
# days after. agency_id 0 stands for the whole city: a request counts once there and once for
# each agency that holds a task for it.
CITY = 0


class RollupRequests(Base):
    __tablename__ = "rollup_requests"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    submitted: Mapped[int] = mapped_column(Integer)


class RollupKiosks(Base):
    __tablename__ = "rollup_kiosks"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submitted: Mapped[int] = mapped_column(Integer)


class RollupDecisions(Base):
    __tablename__ = "rollup_decisions"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    working_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    decided: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    returned: Mapped[int] = mapped_column(Integer)
    days_saved: Mapped[int] = mapped_column(Integer)


class RollupTasks(Base):
    __tablename__ = "rollup_tasks"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decided: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)


class RollupState(Base):
    """How far the rollups reach: every local day up to and including ``through_day``."""

    __tablename__ = "rollup_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    through_day: Mapped[date] = mapped_column(Date)
