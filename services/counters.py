"""Counters every app host shares, kept in the database: one atomic upsert per hit, so two
workers counting at once never lose a hit (SQLite and PostgreSQL both speak ON CONFLICT)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, case, delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from services.db import UTCDateTime
from services.models import RateLimitCounter

MAX_KEY_LENGTH = 200
_COUNTERS: Table = RateLimitCounter.__table__  # type: ignore[assignment]


def upsert(bind: Session | Connection, table: Table, values: dict[str, Any],
           on_conflict: dict[str, Any], returning: list[Any]) -> Any:
    """INSERT values, or UPDATE the existing row with on_conflict; the row's returning columns."""
    dialect = bind.get_bind().dialect.name if hasattr(bind, "get_bind") else bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=list(table.primary_key.columns),
                                                set_=on_conflict).returning(*returning)
    return bind.execute(statement).one()


def when(value: datetime) -> Any:
    """A datetime as a bound parameter stored the way UTCDateTime columns are."""
    return literal(value, UTCDateTime)


def counter_key(key: str) -> str:
    """Keys longer than a column holds keep their start and a digest of the whole."""
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return key[:MAX_KEY_LENGTH - 65] + "#" + hashlib.sha256(key.encode()).hexdigest()


def count_hit(bind: Session | Connection, key: str, window_seconds: float, amount: int,
              now: datetime) -> int:
    """Add amount to key's counter in its fixed window (a new window once the last ended);
    return the count in the current window."""
    ends = now + timedelta(seconds=window_seconds)
    ended = _COUNTERS.c.window_ends_at <= when(now)
    row = upsert(bind, _COUNTERS, {"key": counter_key(key), "hits": amount, "window_ends_at": ends},
                 {"hits": case((ended, amount), else_=_COUNTERS.c.hits + amount),
                  "window_ends_at": case((ended, when(ends)), else_=_COUNTERS.c.window_ends_at)},
                 [_COUNTERS.c.hits])
    return int(row.hits)


def current_window(bind: Session | Connection, key: str,
                   now: datetime) -> tuple[int, datetime | None]:
    """Hits in key's current window and when it ends; (0, None) when no window is open."""
    row = bind.execute(select(_COUNTERS.c.hits, _COUNTERS.c.window_ends_at)
                       .where(_COUNTERS.c.key == counter_key(key))).one_or_none()
    if row is None or row.window_ends_at <= now:
        return 0, None
    return int(row.hits), row.window_ends_at


def clear_counter(bind: Session | Connection, key: str) -> None:
    bind.execute(delete(_COUNTERS).where(_COUNTERS.c.key == counter_key(key)))


def clear_counters(bind: Session | Connection, *, ended_before: datetime | None = None) -> int:
    """Remove every counter, or only those whose window ended before a time; how many went."""
    statement = delete(_COUNTERS)
    if ended_before is not None:
        statement = statement.where(_COUNTERS.c.window_ends_at < when(ended_before))
    return bind.execute(statement).rowcount or 0
