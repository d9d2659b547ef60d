"""The counter officer sees the documents of the request tied to the ticket they serve, and
only while they serve it; every page shown is audited, as the clerk's are."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from services.frontoffice.queue import take_ticket
from services.models import AuditRecord
from tests.builders import login
from tests.builders.frontoffice import CALENDAR, make_counter_officer, make_hall, morning_clock

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                reason="pdftoppm is missing: apt-get install -y poppler-utils")


def test_the_officer_sees_the_linked_requests_documents_only_while_serving_it(
        app, client, session, filed, berkas):
    app.extensions["berkas"] = berkas
    make_hall(session)
    officer = make_counter_officer(session)
    clock = morning_clock()
    app.extensions["clock"], app.extensions["city_calendar"] = clock, CALENDAR
    ticket = take_ticket(session, group_code="ADMINDUK", clock=clock, calendar=CALENDAR,
                         request=filed["request"]).ticket
    session.commit()
    code, drawing = filed["request"].tracking_code, filed["drawing"].token
    picture = f"/loket/1/berkas/{code}/{drawing}/1"
    login(client, officer.username)
    assert client.get(picture).status_code == 404  # not called yet: not this officer's visit

    client.post("/loket/1/panggil")
    page = client.get("/loket/1").get_data(as_text=True)
    assert f'{picture}"' in page and 'data-test="requirement-kk_asli"' in page
    assert "requirement-check" not in page  # the clerk's checking forms are not the counter's
    shown = client.get(picture)
    assert shown.status_code == 200 and shown.data.startswith(b"\x89PNG")
    assert shown.headers["Cache-Control"] == "no-store"
    assert session.scalar(select(func.count()).select_from(AuditRecord)
                          .where(AuditRecord.action == "view")) == 1

    client.post(f"/loket/1/tiket/{ticket.id}/selesai")
    assert client.get(picture).status_code == 404  # the visit is over
