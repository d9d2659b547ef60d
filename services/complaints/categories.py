"""Complaint categories: their deadlines (SP4N-LAPOR! defaults, set per category) and the
file that lists them (demo/pengaduan.yaml)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.errors import Message, NotFound, ValidationFailed
from services.models import Agency, ComplaintCategory
from services.models.complaints import DEFAULT_ANSWER_DAYS, DEFAULT_FORWARD_DAYS

MAX_DAYS = 60


def active_categories(session: Session) -> Sequence[ComplaintCategory]:
    return session.scalars(
        select(ComplaintCategory).where(ComplaintCategory.active.is_(True))
        .order_by(ComplaintCategory.position, ComplaintCategory.code)
    ).all()


def active_category(session: Session, code: str) -> ComplaintCategory:
    category = session.scalar(select(ComplaintCategory).where(
        ComplaintCategory.code == code, ComplaintCategory.active.is_(True)))
    if category is None:
        raise NotFound("complaint.no_such_category")
    return category


def _days(entry: dict[str, Any], key: str, default: int, problems: list[str]) -> int:
    value = entry.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_DAYS:
        problems.append(f"{entry.get('code')}: {key} must be 1-{MAX_DAYS} working days")
        return default
    return value


def import_complaint_categories(session: Session, document: dict[str, Any]) -> int:
    """Create or update the categories of a ``complaint_categories`` list; all or nothing.
    Each has ``code``, ``name`` {id, en}, optional ``forward_days`` (3), ``answer_days`` (5)
    and ``agency`` (the agency it usually goes to)."""
    entries = document.get("complaint_categories") or []
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    for position, entry in enumerate(entries):
        code, name = entry.get("code"), entry.get("name") or {}
        if not isinstance(code, str) or not code or not name.get("id") or not name.get("en"):
            problems.append(f"category {position + 1}: needs a code and a name in id and en")
            continue
        agency = entry.get("agency")
        if agency is not None and agency not in agencies:
            problems.append(f"{code}: unknown agency {agency}")
        rows.append({"code": code, "name_id": name["id"], "name_en": name["en"],
                     "forward_days": _days(entry, "forward_days", DEFAULT_FORWARD_DAYS, problems),
                     "answer_days": _days(entry, "answer_days", DEFAULT_ANSWER_DAYS, problems),
                     "default_agency": agencies.get(agency) if agency else None,
                     "position": position, "active": True})
    if problems:
        raise ValidationFailed("complaint.categories_invalid", problems="; ".join(problems),
                               fields={str(i): Message("import.problem", {"problem": p})
                                       for i, p in enumerate(problems)})
    existing = {c.code: c for c in session.scalars(select(ComplaintCategory))}
    for row in rows:
        category = existing.get(row["code"]) or ComplaintCategory(code=row["code"])
        for key, value in row.items():
            setattr(category, key, value)
        session.add(category)
    session.flush()
    return len(rows)


def read_categories_file(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
