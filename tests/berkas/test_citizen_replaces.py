"""A file returned incomplete: the citizen's phone page (and the API) offers a file input for
each returned document only, with the clerk's reason; a refused file gets its own message and
changes nothing, an accepted one replaces the document and the request goes back to work."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.berkas.checking import check_requirement, request_file, return_incomplete_file
from services.models import RequestStatus, Upload, Verdict
from tests.berkas.conftest import WEDNESDAY_LATER
from tests.builders.berkas import jpeg, multipart, pdf


@pytest.fixture
def returned(app, session, filed, berkas):
    """The drawing marked tidak sesuai and the file returned; the phone's status page open."""
    app.extensions["berkas"] = berkas
    clerk, task = filed["clerk"], filed["task"]
    check_requirement(session, actor=clerk, task_id=task.id, requirement_key="gambar_rencana",
                      verdict=Verdict.TIDAK_SESUAI, reason="Belum ditandatangani perencana",
                      now=WEDNESDAY_LATER)
    return_incomplete_file(session, actor=clerk, task_id=task.id, now=WEDNESDAY_LATER)
    session.commit()
    return filed


def look_up(client, filed):
    return client.post("/status", data={"tracking_code": filed["request"].tracking_code,
                                        "pin": filed["pin"]}).get_data(as_text=True)


def send(client, data, name, field="berkas_gambar_rencana"):
    body, content_type = multipart(data, name, note="")
    return client.post("/status/information", data=body.replace(
        b'name="file"', f'name="{field}"'.encode()), content_type=content_type)


def test_the_phone_page_asks_only_for_the_returned_document(client, returned):
    page = look_up(client, returned)
    assert 'name="berkas_gambar_rencana"' in page and 'capture="environment"' in page
    assert 'accept="application/pdf"' in page and 'name="berkas_ktp"' not in page
    assert "Belum ditandatangani perencana" in page
    assert 'enctype="multipart/form-data"' in page and "berkas.js" in page


def test_a_refused_file_says_why_and_changes_nothing(client, returned, session, berkas):
    look_up(client, returned)
    refused = send(client, jpeg(), "gambar.jpg")
    assert refused.status_code == 422
    assert "gambar.jpg: Format ini tidak diterima untuk persyaratan ini." in \
        refused.get_data(as_text=True)
    session.expire_all()
    assert returned["request"].status is RequestStatus.NEEDS_INFO
    assert len(list(berkas.store.names())) == 2  # the drawing and the KTP, nothing more


def test_the_new_drawing_replaces_the_old_and_work_resumes(client, returned, session):
    look_up(client, returned)
    sent = send(client, pdf(3), "gambar-ttd.pdf")
    assert sent.status_code == 302
    session.expire_all()
    request = returned["request"]
    assert request.status is RequestStatus.IN_PROGRESS
    drawing = request_file(session, request)[0]
    assert drawing.uploads[0].filename == "gambar-ttd.pdf" and drawing.check is None
    assert session.get(Upload, returned["drawing"].id).replaced_at is not None


def test_the_api_replaces_a_returned_document_by_upload_id(client, returned, session, berkas):
    from services.berkas.files import receive_upload
    from services.db import utcnow

    signed = receive_upload(session, berkas, data=pdf(2), filename="ttd.pdf", source="api",
                            now=utcnow())  # the API's clock is the app's
    session.commit()
    code = returned["request"].tracking_code
    response = client.post(f"/api/v1/requests/{code}/information", json={
        "pin": returned["pin"], "answers": {"gambar_rencana": [signed.token]}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "in_progress"
    assert session.scalar(select(Upload.request_id).where(Upload.id == signed.id)) == \
        returned["request"].id
