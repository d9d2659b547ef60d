"""H1: a database error during a submission logs no personal data; logs are JSON lines with a
request id that the response echoes."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import event

from kiosk.privacy_log import JsonFormatter
from services.privacy import forget_log_secrets, keep_out_of_logs, mask_log_text
from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE, make_business_catalog, make_kiosk

NAME = "Siti Aminah Wulandari"
KEY = "retry-key-7f3a9c"


@pytest.fixture
def production_app(app):
    """The test app with TESTING off, so unexpected errors go through the real 500 handler."""
    from kiosk import create_app

    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    real = create_app({**config, "TESTING": False, "RATELIMIT_ENABLED": False,
                       "WTF_CSRF_ENABLED": False, "PUBLIC_BASE_URL": "https://kota.example"})
    yield real
    from kiosk.extensions import db

    with real.app_context():
        db.session.remove()
        db.engine.dispose()


def break_request_inserts(app) -> None:
    """Make every INSERT into service_request a real database error carrying its parameters."""
    from kiosk.extensions import db

    with app.app_context():
        def poison(conn, cursor, statement, parameters, context, executemany):
            if statement.startswith("INSERT INTO service_request"):
                statement = statement.replace("INSERT INTO", "INSERT INTO no_such_table_", 1)
            return statement, parameters

        event.listen(db.engine, "before_cursor_execute", poison, retval=True)


@pytest.mark.committing  # the error is made on the production app's own engine
def test_a_database_error_during_a_submission_logs_no_personal_data(production_app, session,
                                                                     caplog):
    make_business_catalog(session)
    make_kiosk(session)
    break_request_inserts(production_app)
    payload = {"service_code": "IZIN-USAHA", "language": "en",
               "applicant": {"nik": NIK, "name": NAME, "phone": PHONE},
               "answers": {"business_name": "Warung Siti", "sector": "jasa", "workers": 2,
                           "has_npwp": False}}
    with caplog.at_level(logging.INFO):
        response = production_app.test_client().post(
            "/api/v1/requests", json=payload,
            headers={"Authorization": f"Bearer {KIOSK_TOKEN}", "Idempotency-Key": KEY})
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "no_such_table_" in caplog.text  # the error and its traceback were logged...
    for secret in (NIK, NAME, PHONE, KEY, "Siti Aminah"):
        assert secret not in caplog.text  # ...without the citizen's data or the key
    assert "hidden due to hide_parameters" in caplog.text


def test_tracebacks_are_masked_too(caplog):
    keep_out_of_logs("Budi Santoso")
    try:
        with caplog.at_level(logging.INFO):
            try:
                raise ValueError(f"bad row ('Budi Santoso', '{NIK}', '{PHONE}')")
            except ValueError:
                logging.getLogger("kiosk.test").exception("failed")
    finally:
        forget_log_secrets()
    record = caplog.records[-1]
    assert "ValueError" in record.exc_text
    for secret in ("Budi Santoso", NIK, PHONE):
        assert secret not in caplog.text and secret not in record.exc_text


@pytest.mark.parametrize(("given", "kept"), [
    ("req-123.abc", True),
    ("", False),
    ("x" * 129, False),
    ("bad id with space", False),
    ("<script>", False),
])
def test_the_request_id_is_echoed_when_sane_and_made_otherwise(client, given, kept):
    headers = {"X-Request-ID": given} if given else {}
    answered = client.get("/", headers=headers).headers["X-Request-ID"]
    if kept:
        assert answered == given
    else:
        assert answered != given and len(answered) == 32


def test_log_lines_are_json_with_the_request_id_and_masked_exception():
    formatter = JsonFormatter()
    try:
        raise RuntimeError(f"nik {NIK}")
    except RuntimeError:
        import sys

        record = logging.LogRecord("kiosk", logging.ERROR, __file__, 1, "phone %s",
                                   (PHONE,), sys.exc_info())
    record.request_id = "abc"
    line = json.loads(formatter.format(record))
    assert line["level"] == "ERROR" and line["request_id"] == "abc"
    assert line["message"] == "phone [phone]"
    assert NIK not in line["exception"] and "[nik]" in line["exception"]


def test_quoted_forms_of_a_named_value_are_masked():
    keep_out_of_logs("Dewi O'Neil", "Ni Luh \u00c9")
    try:
        shown = repr(("Dewi O'Neil", "Ni Luh \u00c9")) + " " + json.dumps("Ni Luh \u00c9")
        assert mask_log_text(shown) == "(\"[redacted]\", '[redacted]') \"[redacted]\""
    finally:
        forget_log_secrets()
