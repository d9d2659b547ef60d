"""The clerk's request page shows each document inline as pictures this app draws (each view
audited, never cached), the checklist per requirement, and berkas lengkap / tidak lengkap."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from services.models import AuditRecord, RequestStatus
from tests.builders import login

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                reason="pdftoppm is missing: apt-get install -y poppler-utils")


@pytest.fixture
def page(app, client, filed, berkas):
    app.extensions["berkas"] = berkas
    login(client, "clerk.dpmptsp")
    return f"/clerk/requests/{filed['request'].tracking_code}"


def test_the_request_page_shows_each_document_inline(client, page, filed, session):
    html = client.get(page).get_data(as_text=True)
    drawing, ktp = filed["drawing"].token, filed["ktp"].token
    assert f'{page}/berkas/{drawing}/1"' in html and f'{page}/berkas/{drawing}/2"' in html
    assert f'{page}/berkas/{ktp}/1"' in html
    assert 'data-test="requirement-kk_asli"' in html and "tunjukkan di loket" in html
    picture = client.get(f"{page}/berkas/{drawing}/2")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert picture.data.startswith(b"\x89PNG") and picture.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in picture.headers["Content-Security-Policy"]
    photo = client.get(f"{page}/berkas/{ktp}/1")
    assert photo.mimetype == "image/jpeg"
    assert session.scalar(select(func.count()).select_from(AuditRecord)
                          .where(AuditRecord.action == "view")) == 2


def test_another_agency_sees_no_document(client, page, filed):
    client.post("/auth/logout")
    login(client, "clerk.dlh")
    assert client.get(f"{page}/berkas/{filed['drawing'].token}/1").status_code == 404


def test_the_clerk_marks_the_drawing_and_returns_the_file(client, page, filed, session):
    task = filed["task"].id
    refused = client.post(f"/clerk/tasks/{task}/requirements/gambar_rencana",
                          data={"verdict": "tidak_sesuai"}, follow_redirects=True)
    assert "Tuliskan alasan berkas tidak sesuai" in refused.get_data(as_text=True)
    client.post(f"/clerk/tasks/{task}/requirements/gambar_rencana",
                data={"verdict": "tidak_sesuai", "reason": "Belum ditandatangani perencana"})
    html = client.get(page).get_data(as_text=True)
    assert 'data-test="verdict-gambar_rencana">Tidak sesuai' in html
    assert "Belum ditandatangani perencana" in html
    client.post(f"/clerk/tasks/{task}/berkas-tidak-lengkap", data={"note": ""})
    session.expire_all()
    assert filed["request"].status is RequestStatus.NEEDS_INFO


def test_berkas_lengkap_from_the_page_starts_the_clock(client, page, filed, session):
    task = filed["task"].id
    refused = client.post(f"/clerk/tasks/{task}/berkas-lengkap", follow_redirects=True)
    assert "Periksa setiap persyaratan dulu" in refused.get_data(as_text=True)
    for key in ("gambar_rencana", "ktp", "kk_asli"):
        client.post(f"/clerk/tasks/{task}/requirements/{key}", data={"verdict": "sesuai"})
    done = client.post(f"/clerk/tasks/{task}/berkas-lengkap", follow_redirects=True)
    assert 'data-test="berkas-lengkap"' in done.get_data(as_text=True)
    session.expire_all()
    assert filed["request"].due_at is not None
