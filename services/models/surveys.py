"""Public satisfaction survey responses (IKM, PermenPANRB 14/2017), kept apart from whoever
answered them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UTCDateTime, enum_column, utcnow
from services.ikm.questionnaire import ELEMENT_KEYS
from services.models.requests import Channel


class SurveySource(enum.Enum):
    """Where the answers came from."""

    KIOSK = "kiosk"
    WEB = "web"
    PAPER = "paper"
    API = "api"


class SurveyResponse(Base):
    """One respondent's nine answers. It names the service, agency, channel, kiosk and month,
    and nothing that leads to the applicant: no request, no person, no event. Reports read
    only this table."""

    __tablename__ = "survey_response"
    __table_args__ = (
        *(CheckConstraint(f"{key} BETWEEN 1 AND 4", name=f"{key}_1_to_4")
          for key in ELEMENT_KEYS),
        CheckConstraint("period LIKE '____-__'", name="period_yyyy_mm"),
        Index("ix_survey_response_agency_period", "agency_id", "period"),
        Index("ix_survey_response_service_period", "service_id", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), nullable=True)
    service_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_version.id"), nullable=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    # How the rated service was requested, and at which kiosk (None for paper surveys).
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel), nullable=True)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"), nullable=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM, in the city's time zone
    source: Mapped[SurveySource] = mapped_column(enum_column(SurveySource))
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def answers(self) -> tuple[int, ...]:
        return tuple(getattr(self, key) for key in ELEMENT_KEYS)


class SurveyTaken(Base):
    """That a request (or, later, a complaint) has had its survey: the primary key lets the
    database refuse a second one. It deliberately holds no time, no order and no pointer to
    the response, so the two tables cannot be joined; see services/ikm/survey.py."""

    __tablename__ = "survey_taken"

    subject: Mapped[str] = mapped_column(String(60), primary_key=True)  # "request:<id>"
