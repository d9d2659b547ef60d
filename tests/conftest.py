"""Shared fixtures: one migrated database per run (SQLite, or PostgreSQL when asked) and one
app built on it for the whole run.

Each test runs inside a transaction that is rolled back at its end: the `session` fixture and
the app's db.session share one connection and write in savepoints (SQLAlchemy's "join a session
into an external transaction" recipe), so a commit in a view is seen by the test, and nothing
survives the test. Tests whose data must be seen by other connections (threads, subprocesses,
a live server for the browser, their own engines) are *committing*: they commit for real and
every row is removed after them. A test is committing when it is marked
``@pytest.mark.committing``, or takes ``engine`` or ``database_url`` itself, or uses
``live_server``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session

from services.database import scratch_database, upgrade_database
from services.db import Base, install_sqlite_behaviour
from tests.api_contract import enforce_api_contract
from tests.builders import FAST_PASSWORD_HASH

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Fixtures whose users need committed data, seen by other connections.
COMMITTING_FIXTURES = ("engine", "database_url", "live_server")
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "PIN_KEY": "test-pin-key",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
}


def pytest_report_header(config: pytest.Config) -> str:
    return f"e-Kiosk test database: {test_database_kind()}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if takes_committing_fixture(item):
            item.add_marker(pytest.mark.committing)
        if "browser" in getattr(item, "fixturenames", ()):
            # `make test` runs browser tests once, on PostgreSQL: a test that drives Chromium
            # is marked so whether or not its author remembered to.
            item.add_marker(pytest.mark.browser)


def takes_committing_fixture(item: pytest.Item) -> bool:
    """Whether the test, or a fixture of its own (not one of these), takes a fixture whose
    users need committed data."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    if set(info.argnames) & set(COMMITTING_FIXTURES):
        return True
    return any(set(definition.argnames) & set(COMMITTING_FIXTURES)
               for definitions in info.name2fixturedefs.values() for definition in definitions
               if definition.func.__module__ != __name__)


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


def is_committing(request: pytest.FixtureRequest) -> bool:
    return (request.node.get_closest_marker("committing") is not None
            or "live_server" in request.fixturenames)


@pytest.fixture(autouse=True)
def committed_rows_removed(request: pytest.FixtureRequest) -> Iterator[None]:
    """A committing test that never asked for ``test_connection`` (it builds its own app on
    ``database_url``, say) has its rows removed too, so no later test finds them."""
    if not is_committing(request) or "test_connection" in request.fixturenames:
        yield
        return
    engine = request.getfixturevalue("engine")
    yield
    empty_database(engine)


@pytest.fixture
def test_connection(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Connection | None]:
    """The connection whose transaction this test runs in and that is rolled back after it;
    None for a committing test, whose rows are removed after it instead."""
    if is_committing(request):
        yield None
        empty_database(engine)
        return
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            yield connection
        finally:
            outer.rollback()


@pytest.fixture
def session(engine: Engine, test_connection: Connection | None) -> Iterator[Session]:
    """A session on the migrated database; what the test writes is gone after it."""
    if test_connection is None:
        with Session(engine, expire_on_commit=False) as session:
            yield session
        return
    with Session(bind=test_connection, join_transaction_mode="create_savepoint",
                 expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Accounts made in tests hash their passwords cheaply (tests.builders.FAST_PASSWORD_HASH):
    the use cases' default hasher and the apps' (config PASSWORD_HASH_METHOD) use it; what is
    checked, and how, stays the same."""
    from services.passwords import DEFAULT_HASHER
    from tests.builders import FAST_PASSWORD_HASH

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DEFAULT_HASHER, "method", FAST_PASSWORD_HASH)
        yield


@pytest.fixture(scope="session")
def shared_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the whole run (create_app costs a fifth of a second)."""
    from kiosk import create_app
    from kiosk.extensions import db, limiter

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    enforce_api_contract(app)
    app.extensions["test_limiter_state"] = dict(vars(limiter))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(shared_app: Flask, test_connection: Connection | None, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on the test database, with CSRF checks off unless a test turns them on. Its
    db.session joins the test's transaction; what a test changes in app.config is undone, and
    what it adds to or replaces in app.extensions (a fake clock) is put back."""
    from kiosk.extensions import db

    app = shared_app
    config, extensions = dict(app.config), dict(app.extensions)
    reset_limiter(app)
    instance = tmp_path / "instance"
    monkeypatch.setattr(app, "instance_path", str(instance))
    app.config["NOTIFY_FOLDER"] = str(instance / "messages")
    if test_connection is not None:
        join_app_sessions(monkeypatch, test_connection)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()  # e.g. the print-job watch made, or a fake clock put in
        app.extensions.update(extensions)
        reset_limiter(app)


@pytest.fixture
def worded(shared_app: Flask) -> Callable[..., Any]:
    """``worded(entries, lang)``: timeline entries (or one) in words, as the web layer words
    them; services give message codes."""
    from kiosk.messages import say

    def word(said: Any, lang: str = "id") -> Any:
        with shared_app.app_context():
            if isinstance(said, list):
                return [say(entry.text, lang) for entry in said]
            return say(getattr(said, "text", said), lang)
    return word


def reset_limiter(app: Flask) -> None:
    """The one Limiter object takes its settings from the app it was last initialised with
    (RATELIMIT_ENABLED among them): give it back the shared app's, whatever app a test built."""
    from kiosk.extensions import limiter

    vars(limiter).update(app.extensions["test_limiter_state"])


def join_app_sessions(monkeypatch: pytest.MonkeyPatch, connection: Connection) -> None:
    """Make every db.session of the app use the test's connection, in savepoints."""
    from kiosk.extensions import db

    factory: Any = db.session.session_factory
    monkeypatch.setitem(factory.kw, "join_transaction_mode", "create_savepoint")
    monkeypatch.setattr(factory.class_, "get_bind", lambda *_args, **_kw: connection)


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


@pytest.fixture
def staff(session):
    """The builders' small city (tests.builders.workflow.make_city): its staff by username."""
    from tests.builders.workflow import make_city

    return make_city(session)


@pytest.fixture
def admin_client(client, app_session):
    """A test client signed in as an administrator, with the builders' small catalog."""
    from services.models import Role
    from tests.builders import login, make_catalog, make_user

    make_catalog(app_session)
    make_user(app_session, "boss", Role.ADMIN)
    login(client, "boss")
    return client


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
