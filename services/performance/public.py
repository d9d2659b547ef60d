"""The public performance page's figures: aggregates only, and no cell resting on fewer than
ten cases, so nobody can be picked out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models import Agency
from services.performance.citizen_outcomes import agency_outcomes
from services.performance.figures import Period, monthly_on_time
from services.performance.rules import MIN_PUBLIC_CELL, public_cell, share_percent


@dataclass(frozen=True)
class PublicAgency:
    code: str
    name: str
    decided: int
    on_time_percent: Decimal | None  # None: fewer than ten decisions
    trend: list[tuple[str, Decimal | None]]  # (YYYY-MM, share on time or None)
    ikm_grade: str | None = None  # None: fewer than ten respondents
    ikm_value: Decimal | None = None  # the index itself, under the same rule
    complaints: int = 0
    answered_percent: Decimal | None = None  # None: fewer than ten complaints
    resolved_percent: Decimal | None = None


def twelve_months(today: date, tz: str) -> tuple[Period, list[str]]:
    """The twelve local months up to and including this one."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    first = date(int(months[0][:4]), int(months[0][5:]), 1)
    return Period(first, today, tz), months


def public_performance(session: Session, *, today: date, tz: str,
                       lang: str = "id") -> list[PublicAgency]:
    period, months = twelve_months(today, tz)
    trend = monthly_on_time(session, period)
    outcomes = {row.code: row for row in agency_outcomes(session, period, lang=lang)}
    name = Agency.name_en if lang == "en" else Agency.name_id
    rows = []
    for code, label in session.execute(select(Agency.code, name).where(Agency.active)
                                       .order_by(Agency.code)):
        by_month = trend.get(code, {})
        decided = sum(count for count, _ in by_month.values())
        on_time = sum(ok for _, ok in by_month.values())
        outcome = outcomes.get(code)
        ikm = outcome.ikm.result if outcome else None
        shown = ikm is not None and ikm.respondents >= MIN_PUBLIC_CELL
        complaints = outcome.complaints if outcome else 0
        rows.append(PublicAgency(
            code=code, name=label, decided=decided,
            on_time_percent=public_share(decided, on_time),
            trend=[(m, public_share(*by_month.get(m, (0, 0)))) for m in months],
            ikm_grade=(ikm.grade.letter if shown and ikm.grade is not None else None),
            ikm_value=ikm.ikm if shown else None,
            complaints=complaints,
            answered_percent=public_share(complaints, outcome.answered_on_time)
            if outcome else None,
            resolved_percent=public_share(complaints, outcome.resolved) if outcome else None,
        ))
    return rows


def public_share(decided: int, on_time: int) -> Decimal | None:
    """The share on time, or None where it rests on fewer than ten decisions."""
    value = public_cell(decided, share_percent(on_time, decided))
    return value if isinstance(value, Decimal) else None


__all__ = ["MIN_PUBLIC_CELL", "PublicAgency", "public_performance", "twelve_months"]
