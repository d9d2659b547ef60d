"""Documents of a finished request are kept for the service's period, then removed by the
worker's retention job, which logs each removal without personal data."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from kiosk.notifications.commands import document_retention_job
from services.models import Upload
from tests.builders import NIK, WEDNESDAY


def test_documents_go_after_the_services_period_and_are_logged(session, filed, berkas, caplog):
    request = filed["request"]
    request.closed_at = WEDNESDAY
    session.commit()
    job = document_retention_job(berkas, 3600)
    four_years = WEDNESDAY + timedelta(days=4 * 365)
    assert job.run(session, four_years).startswith("0 document(s) past retention")
    assert len(list(berkas.store.names())) == 2
    with caplog.at_level(logging.INFO, logger="services.berkas.retention"):
        said = job.run(session, WEDNESDAY + timedelta(days=5 * 365 + 2))
    assert said == "2 document(s) past retention, 2 stored file(s) removed"
    assert list(berkas.store.names()) == []
    assert session.scalar(select(func.count()).select_from(Upload)) == 0
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert f"gambar_rencana of request {request.tracking_code}" in logged
    assert NIK not in logged


def test_an_open_request_keeps_its_documents(session, filed, berkas):
    job = document_retention_job(berkas, 3600)
    assert job.run(session, WEDNESDAY + timedelta(days=20 * 365)).startswith("0 document(s)")
    assert len(list(berkas.store.names())) == 2
