"""Shared fixtures: one migrated database per run (SQLite, or PostgreSQL when asked), emptied
after every test, and apps built on it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from services.db import Base, install_sqlite_behaviour
from services.schema import scratch_database, upgrade_database
from tests.api_contract import enforce_api_contract

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_report_header(config: pytest.Config) -> str:
    return f"e-Kiosk test database: {test_database_kind()}"


def test_database_kind() -> str:
    return "postgres" if os.environ.get("KIOSK_TEST_DB") == "postgres" else "sqlite"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head for this test run."""
    if test_database_kind() == "postgres":
        server = os.environ.get("KIOSK_TEST_DATABASE_URL")
        if not server:
            pytest.exit("KIOSK_TEST_DB=postgres needs KIOSK_TEST_DATABASE_URL", returncode=4)
        with scratch_database(server, "ekiosk_test") as url:
            upgrade_database(url)
            yield url
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        upgrade_database(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    install_sqlite_behaviour()
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


def empty_database(engine: Engine) -> None:
    """Remove every row, keeping the migrated schema."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            quoted = ", ".join(f'"{t}"' for t in tables)
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(text("UPDATE service SET current_version_id = NULL"))
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the migrated database; every row is removed after the test."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
    empty_database(engine)


@pytest.fixture
def app(database_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An app on the test database, with CSRF checks off unless a test turns them on."""
    from kiosk import create_app
    from kiosk.extensions import db

    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "PIN_KEY": "test-pin-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    })
    enforce_api_contract(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    empty_database(engine)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_session(app) -> Iterator[Session]:
    """The app's own session (db.session), inside an app context."""
    from kiosk.extensions import db

    with app.app_context():
        yield db.session


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
