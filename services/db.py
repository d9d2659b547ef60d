"""The declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

import enum
import sqlite3
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, MetaData, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# The wall clock lives in services.clock; models take it as their columns' default.
from services.clock import utcnow as utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every e-Kiosk model derives from this base."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC and always read them back aware, on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    """Store an enum by its value, as a plain string column."""
    return Enum(
        enum_cls,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        validate_strings=True,
        length=length,
    )


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy emit BEGIN itself so transactions really isolate (pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


# Whether the work under way writes; the web layer says so per request (GET reads).
_sqlite_writes: ContextVar[bool] = ContextVar("sqlite_writes", default=True)


def expect_writes(writes: bool) -> Token[bool]:
    """Say whether transactions begun from here on will write (True unless told otherwise):
    on SQLite, a writer begins IMMEDIATE and a reader DEFERRED. Reset with the token."""
    return _sqlite_writes.set(writes)


def stop_expecting(token: Token[bool]) -> None:
    _sqlite_writes.reset(token)


def _sqlite_on_begin(connection: Any) -> None:
    if connection.dialect.name == "sqlite" and \
            connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        # IMMEDIATE takes the write lock up front, so two writers never deadlock on upgrade;
        # a reader begins DEFERRED and, in WAL, never waits for a writer or blocks one.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _sqlite_writes.get() else "BEGIN")


def install_sqlite_behaviour() -> None:
    """Make every SQLite connection enforce foreign keys, wait for locks and begin properly."""
    if not event.contains(Engine, "connect", _sqlite_on_connect):
        event.listen(Engine, "connect", _sqlite_on_connect)
        event.listen(Engine, "begin", _sqlite_on_begin)
