"""At the kiosk, the documents the answers ask for come after the form: each is checked and
stored at once, previewed from this citizen's draft only, replaced or removed, listed on the
check page and linked to the request when it is submitted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.models import ServiceRequest, Upload
from tests.builders import NIK, PHONE, make_catalog
from tests.builders.berkas import jpeg, multipart, pbg_with_documents, pdf
from tests.builders.kiosk import enrol, make_kiosk


@pytest.fixture
def applying(app, client, session, berkas):
    """A citizen at the kiosk who filled in PBG's form (one floor: no calculation asked)."""
    app.extensions["berkas"] = berkas
    make_catalog(session, pbg_with_documents(), agencies=["DPMPTSP", "DPUPR"])
    make_kiosk(session)
    enrol(client)
    client.post("/kiosk/service/PBG/start")
    client.post("/kiosk/apply/identity", data={"nik": NIK, "name": "Siti Aminah",
                                               "phone": PHONE})
    done = client.post("/kiosk/apply/page/1", data={"purpose": "Rumah", "floors": "1"})
    assert done.headers["Location"].endswith("/kiosk/apply/berkas")
    return client


def send(client, data, name, key, next_=False):
    body, content_type = multipart(data, name, **({"next": "1"} if next_ else {}))
    return client.post("/kiosk/apply/berkas", content_type=content_type,
                       data=body.replace(b'name="file"', f'name="berkas_{key}"'.encode()))


def test_the_documents_step_asks_what_the_answers_need(applying):
    page = applying.get("/kiosk/apply/berkas").get_data(as_text=True)
    assert 'name="berkas_gambar_rencana"' in page and 'name="berkas_ktp"' in page
    assert "berkas_perhitungan" not in page and "berkas_kk_asli" not in page
    assert 'capture="environment"' in page and 'accept="application/pdf"' in page


def test_a_refused_file_says_why_and_a_good_one_is_previewed_and_submitted(
        applying, session, berkas, client):
    refused = send(client, b"MZ\x90\x00" + b"\x00" * 60, "ktp.jpg", "ktp")
    assert refused.status_code == 422
    assert "ktp.jpg: Jenis berkas tidak dikenali" in refused.get_data(as_text=True)
    assert list(berkas.store.names()) == []
    send(client, jpeg(), "ktp.jpg", "ktp")
    send(client, jpeg(300, 300), "ktp-baru.jpg", "ktp")  # one file: the new one replaces it
    page = send(client, pdf(2), "gambar.pdf", "gambar_rencana", next_=True)
    assert page.headers["Location"].endswith("/kiosk/apply/check")
    form = client.get("/kiosk/apply/berkas").get_data(as_text=True)
    assert "ktp-baru.jpg" in form and "ktp.jpg ·" not in form
    token = session.scalar(select(Upload.token).where(Upload.filename == "ktp-baru.jpg"))
    assert client.get(f"/kiosk/apply/berkas/{token}/preview").mimetype == "image/jpeg"
    other = session.scalar(select(Upload.token).where(Upload.filename == "ktp.jpg"))
    assert client.get(f"/kiosk/apply/berkas/{other}/preview").status_code == 404
    check = client.get("/kiosk/apply/check").get_data(as_text=True)
    assert 'data-test="check-berkas-gambar_rencana"' in check and "gambar.pdf" in check
    assert client.post("/kiosk/apply/submit").status_code == 302
    request = session.scalar(select(ServiceRequest))
    linked = {u.requirement_key: u.filename for u in session.scalars(
        select(Upload).where(Upload.request_id == request.id))}
    assert linked == {"ktp": "ktp-baru.jpg", "gambar_rencana": "gambar.pdf"}


def test_a_document_can_be_removed_before_submitting(applying, client):
    send(client, jpeg(), "ktp.jpg", "ktp")
    client.post("/kiosk/apply/berkas/ktp/0/remove")
    assert "ktp.jpg" not in client.get("/kiosk/apply/berkas").get_data(as_text=True)
