"""The holiday table that SLA deadlines skip: add, edit, remove; each change is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.errors import NotFound, ValidationFailed
from services.models import Holiday, HolidayKind, User


@dataclass(frozen=True)
class HolidayInput:
    day: date
    name_id: str
    name_en: str
    kind: HolidayKind = HolidayKind.NATIONAL
    provisional: bool = False


def holidays_in(session: Session, year: int) -> Sequence[Holiday]:
    return session.scalars(
        select(Holiday).where(extract("year", Holiday.day) == year).order_by(Holiday.day)
    ).all()


def holiday_years(session: Session) -> list[int]:
    return sorted({day.year for day in session.scalars(select(Holiday.day))})


def get_holiday(session: Session, holiday_id: int) -> Holiday:
    holiday = session.get(Holiday, holiday_id)
    if holiday is None:
        raise NotFound("holiday.not_found")
    return holiday


def _check(session: Session, data: HolidayInput, holiday_id: int | None) -> None:
    errors: dict[str, str] = {}
    for name in ("name_id", "name_en"):
        if not getattr(data, name).strip():
            errors[name] = "field.required"
    same_day = session.scalar(select(Holiday).where(Holiday.day == data.day))
    if same_day is not None and same_day.id != holiday_id:
        errors["day"] = "holiday.day_taken"
    if errors:
        raise ValidationFailed("holiday.invalid", fields=errors)


def add_holiday(session: Session, data: HolidayInput, *, actor: User | None) -> Holiday:
    _check(session, data, None)
    holiday = Holiday(day=data.day, name_id=data.name_id, name_en=data.name_en, kind=data.kind,
                      provisional=data.provisional)
    session.add(holiday)
    session.flush()
    record_audit(session, actor, "create", "holiday", data.day.isoformat(),
                 {"name_id": data.name_id})
    return holiday


def update_holiday(session: Session, holiday_id: int, data: HolidayInput, *,
                   actor: User | None) -> Holiday:
    holiday = get_holiday(session, holiday_id)
    _check(session, data, holiday_id)
    changes = {}
    for name in ("day", "name_id", "name_en", "kind", "provisional"):
        value = getattr(data, name)
        if getattr(holiday, name) != value:
            changes[name] = (value.isoformat() if isinstance(value, date)
                             else value.value if isinstance(value, HolidayKind) else value)
            setattr(holiday, name, value)
    record_audit(session, actor, "update", "holiday", holiday.day.isoformat(), changes)
    return holiday


def remove_holiday(session: Session, holiday_id: int, *, actor: User | None) -> None:
    holiday = get_holiday(session, holiday_id)
    record_audit(session, actor, "remove", "holiday", holiday.day.isoformat(),
                 {"name_id": holiday.name_id})
    session.delete(holiday)


# November: the SKB 3 Menteri of next year is usually signed by September or October.
WARN_FROM_MONTH = 11


def next_year_notice(session: Session, today: date) -> dict[str, int | bool] | None:
    """What the admin dashboard warns of in November and December: next year has no holidays
    yet, or only provisional ones (entered before its SKB). None when all is in order."""
    if today.month < WARN_FROM_MONTH:
        return None
    year = today.year + 1
    entries = holidays_in(session, year)
    if not entries:
        return {"year": year, "missing": True, "provisional": 0}
    provisional = sum(1 for holiday in entries if holiday.provisional)
    if provisional:
        return {"year": year, "missing": False, "provisional": provisional}
    return None
