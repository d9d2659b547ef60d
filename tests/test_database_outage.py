"""When the database is down or drops the connection, clients get 503 with Retry-After (the
API's JSON error format, a plain page elsewhere), never a traceback, and retries succeed once
it is back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.builders.kiosk import make_business_catalog

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2"


@pytest.fixture
def app_without_database(tmp_path, monkeypatch):
    from kiosk import create_app

    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": UNREACHABLE, "SECRET_KEY": "t", "DEMO_MODE": True,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    app.logger.disabled = True  # the warning is expected; keep the test output clean
    yield app
    app.logger.disabled = False
    from kiosk.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_api_answers_503_with_retry_after_in_its_error_format(app_without_database):
    response = app_without_database.test_client().get("/api/v1/services")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    error = response.get_json()["error"]
    assert error["code"] == "unavailable" and error["message"] and error["fields"] == {}


def test_pages_answer_a_plain_503_page_without_a_traceback(app_without_database):
    response = app_without_database.test_client().post(
        "/auth/login", data={"username": "clerk", "password": "correct-horse-battery"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and "psycopg" not in page and "127.0.0.1" not in page
    assert "coba lagi" in page


@pytest.mark.committing  # the app must reuse a connection of its own pool, not the test's
def test_a_connection_dropped_under_the_app_is_replaced_on_the_next_request(app, client,
                                                                          session):
    """pool_pre_ping: the kind of drop a PostgreSQL restart causes costs no failed request."""
    from kiosk.extensions import db

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("terminating a server connection needs PostgreSQL")
    make_business_catalog(session)
    session.commit()
    assert client.get("/api/v1/services").status_code == 200
    with app.app_context(), db.engine.connect() as pooled:  # the connection the app reuses
        pid = pooled.execute(text("SELECT pg_backend_pid()")).scalar()
    session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    session.commit()
    assert client.get("/api/v1/services").status_code == 200
