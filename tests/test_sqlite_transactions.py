"""On SQLite a transaction that will write begins IMMEDIATE (no deadlock on upgrade) and one
that only reads begins DEFERRED (it never waits for a writer): GET reads, other methods write."""

import pytest
from sqlalchemy import event

from services.db import expect_writes, stop_expecting
from tests.builders.kiosk import KIOSK_TOKEN, make_business_catalog, make_kiosk

pytestmark = pytest.mark.sqlite_only
AUTH = {"Authorization": f"Bearer {KIOSK_TOKEN}"}


@pytest.fixture
def begins(app, session, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    from kiosk.extensions import db

    make_business_catalog(session)
    make_kiosk(session)
    seen: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: statement.startswith("BEGIN")
                 and seen.append(statement))
    return seen


def test_a_get_begins_deferred_and_a_post_immediate(client, begins):
    assert client.get("/api/v1/services").status_code == 200
    assert begins == ["BEGIN"]
    begins.clear()
    client.post("/api/v1/kiosk/heartbeat", json={"printer_state": "ok"}, headers=AUTH)
    assert begins and set(begins) == {"BEGIN IMMEDIATE"}


def test_a_get_that_writes_begins_immediate(client, begins):
    assert client.get("/api/v1/kiosk/print-jobs", headers=AUTH).status_code == 200
    assert begins and set(begins) == {"BEGIN IMMEDIATE"}


def test_outside_a_request_transactions_write_unless_told(session, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    seen: list[str] = []
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: statement.startswith("BEGIN")
                 and seen.append(statement))
    token = expect_writes(False)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    finally:
        stop_expecting(token)
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    assert seen == ["BEGIN", "BEGIN IMMEDIATE"]
