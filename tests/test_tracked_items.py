"""A request and a complaint, the two tracked items, share their mechanics (services.tracking,
kiosk/anjungan/receipt_screens.py): where the two copies had drifted apart, these say they
now agree: the idempotency column, the print job's link, the API's Idempotency-Key errors,
and the receipt screens' polls that the idle wipe ignores."""

from __future__ import annotations

import json
import os
import re

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from kiosk.anjungan import PASSIVE_ENDPOINTS
from kiosk.anjungan.receipt_screens import RECEIPT_SCREENS
from services.codes import idempotency_digest
from services.database import alembic_config, scratch_database
from services.kiosks.printing import fetch_print_jobs, queue_receipt
from services.kiosks.status import ReceiptPrinting, receipt_print_status
from services.models import PrintJob, PrintJobState
from tests.builders import PINS
from tests.builders.complaints import CLINIC, NAME, NIK, PHONE, file, make_complaint_city
from tests.builders.kiosk import KIOSK_TOKEN, make_business_catalog, make_kiosk
from tests.builders.printing import queued_receipt
from tests.conftest import test_database_kind as database_kind
from tests.test_api_requests import body as request_body

AUTH = {"Authorization": f"Bearer {KIOSK_TOKEN}"}


def complaint_body(**changes):
    return {"category": "kesehatan", "description": CLINIC, "privacy": "confidential",
            "complainant": {"nik": NIK, "name": NAME, "phone": PHONE}, **changes}


# -- the complaint's idempotency column --------------------------------------------------------

def test_a_complaint_keeps_only_its_idempotency_keys_digest_in_a_column_named_so(session):
    make_complaint_city(session)
    filed = file(session, idempotency_key="api:K1:abc").complaint
    assert filed.idempotency_digest == idempotency_digest("api:K1:abc")
    again = file(session, idempotency_key="api:K1:abc")
    assert (again.complaint.id, again.created) == (filed.id, False)


# -- print jobs --------------------------------------------------------------------------------

def test_a_complaints_print_job_names_the_complaint_by_foreign_key(session):
    make_complaint_city(session)
    kiosk = make_kiosk(session)
    complaint = file(session).complaint
    assert receipt_print_status(session, kiosk, complaint).state is not ReceiptPrinting.PRINTING
    job = queue_receipt(session, complaint, kiosk, pin="123456", pins=PINS)
    session.commit()
    assert (job.complaint_id, job.request_id) == (complaint.id, None)
    assert set(job.payload) == {"language", "sealed_pin"}
    assert receipt_print_status(session, kiosk, complaint).state in (
        ReceiptPrinting.PRINTING, ReceiptPrinting.WAITING)
    [handed] = fetch_print_jobs(session, kiosk, pins=PINS, city="Kota Contoh",
                                base_url="https://kota.example")
    assert handed["receipt"]["kind"] == "complaint"
    assert handed["receipt"]["pin"] == "123456"
    assert NAME not in str(handed)


def test_a_print_job_prints_one_tracked_item_never_two(session):
    make_complaint_city(session)
    kiosk = make_kiosk(session)
    request, _job = queued_receipt(session, kiosk)
    complaint = file(session).complaint
    session.add(PrintJob(kiosk_id=kiosk.id, request_id=request.id, complaint_id=complaint.id,
                         kind="receipt", state=PrintJobState.PENDING, payload={}))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


# -- the two APIs' Idempotency-Key errors ------------------------------------------------------

@pytest.fixture
def both_apis(app, session):
    make_business_catalog(session)
    make_complaint_city(session)
    make_kiosk(session)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_both_apis_refuse_a_bad_idempotency_key_in_the_same_words(client, both_apis, lang):
    answers = [client.post(f"/api/v1/{path}?lang={lang}", json=payload,
                           headers={**AUTH, "Idempotency-Key": "x" * 101})
               for path, payload in (("requests", request_body()),
                                     ("complaints", complaint_body()))]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].get_json() == answers[1].get_json()
    error = answers[0].get_json()["error"]
    assert error["code"] == "idempotency_key_invalid" and "100" in error["message"]
    assert set(error["fields"]) == {"Idempotency-Key"}


def test_both_apis_answer_a_reused_key_in_the_same_words(client, both_apis):
    errors = []
    for path, first, other in (
            ("requests", request_body(), request_body(language="id", service_code="IZIN-USAHA",
                                                      answers={**request_body()["answers"],
                                                               "workers": 3})),
            ("complaints", complaint_body(), complaint_body(location="Pasar Baru"))):
        headers = {**AUTH, "Idempotency-Key": "same-key"}
        assert client.post(f"/api/v1/{path}", json=first, headers=headers).status_code == 201
        reused = client.post(f"/api/v1/{path}?lang=en", json={**other, "language": "en"},
                             headers=headers)
        assert reused.status_code == 409
        errors.append(reused.get_json()["error"])
    assert errors[0] == errors[1]
    assert "idempotency key" in errors[0]["message"]


# -- the receipt screens -----------------------------------------------------------------------

def test_every_receipt_screens_poll_is_passive_for_the_idle_wipe(client, app, session):
    """The poll a receipt screen's page calls is the one the idle wipe ignores (the complaint's
    screen once polled an endpoint missing from the list, and kept a PIN on screen)."""
    make_complaint_city(session)
    kiosk = make_kiosk(session)
    request, _job = queued_receipt(session, kiosk)
    complaint = file(session, kiosk_id=kiosk.id).complaint
    session.commit()
    client.get("/kiosk/enrol")
    client.post("/kiosk/enrol", data={"token": KIOSK_TOKEN})
    client.get("/kiosk/")  # the session joins the kiosk's generation first, as at a real kiosk
    polled = set()
    for screen, item in zip(RECEIPT_SCREENS, (request, complaint), strict=True):
        with client.session_transaction() as kept:
            kept[screen.receipt_key] = {"id": item.id, "pin": "123456"}
        page = client.get(app.url_map.bind("localhost").build(screen.done))
        assert page.status_code == 200, screen.done
        [poll_url] = re.findall(r'data-print-url="([^"]+)"', page.get_data(as_text=True))
        endpoint, _args = app.url_map.bind("localhost").match(poll_url, "GET")
        polled.add(endpoint)
    assert polled == {screen.poll for screen in RECEIPT_SCREENS}
    assert polled <= PASSIVE_ENDPOINTS


# -- the migration of existing rows ------------------------------------------------------------

@pytest.fixture
def fresh_database(tmp_path):
    if database_kind() == "postgres":
        with scratch_database(os.environ["KIOSK_TEST_DATABASE_URL"], "ekiosk_tracking") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'tracking.sqlite3'}"


def required_values(table: sa.Table, **given):
    """A value for every column that must have one, as a migration test writes rows by hand."""
    values = dict(given)
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type if not isinstance(column.type, sa.JSON) else dict
        values[column.name] = {str: "x", int: 0, bool: False, dict: {}}.get(kind)
        if column.name.endswith("_at"):
            values[column.name] = sa.func.current_timestamp()
    return values


def as_dict(payload):
    return payload if isinstance(payload, dict) else json.loads(payload)


def test_the_migration_moves_a_complaints_job_to_its_key_and_keeps_its_digest(fresh_database):
    config = alembic_config(fresh_database)
    command.upgrade(config, "uxscreens0001")
    engine = sa.create_engine(fresh_database)
    digest = idempotency_digest("kiosk:K1:abc")
    try:
        with engine.begin() as connection:
            tables = sa.MetaData()
            tables.reflect(connection, only=["complaint_category", "complaint", "kiosk",
                                             "print_job"])
            category, complaint, kiosk, job = (tables.tables[name] for name in (
                "complaint_category", "complaint", "kiosk", "print_job"))
            connection.execute(category.insert().values(required_values(category, id=1)))
            connection.execute(kiosk.insert().values(required_values(kiosk, id=1)))
            connection.execute(complaint.insert().values(required_values(
                complaint, id=7, category_id=1, tracking_code="K7QM4XNAP",
                idempotency_key=digest)))
            connection.execute(job.insert().values(required_values(
                job, id=1, kiosk_id=1, payload={"language": "id", "complaint_id": 7})))
        command.upgrade(config, "tracking0001")
        with engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT idempotency_digest FROM complaint")).scalar() == digest
            complaint_id, payload = connection.execute(sa.text(
                "SELECT complaint_id, payload FROM print_job")).one()
        assert complaint_id == 7
        assert as_dict(payload) \
            == {"language": "id"}
        command.downgrade(config, "uxscreens0001")
        with engine.connect() as connection:
            payload = connection.execute(sa.text("SELECT payload FROM print_job")).scalar()
            assert connection.execute(sa.text(
                "SELECT idempotency_key FROM complaint")).scalar() == digest
        assert as_dict(payload) \
            == {"language": "id", "complaint_id": 7}
    finally:
        engine.dispose()
