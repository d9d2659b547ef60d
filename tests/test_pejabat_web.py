# ruff: noqa: F811  (signing_world, from tests.signing_support, is a test parameter here)
"""The done-when path on the web: a KRK approved by clerk.pupr waits in the Kepala Dinas PUPR's
signing queue, is read as the final PDF, signed with the passphrase through the (loopback) CSC
signing service, and the download carries the decision, the jabatan and the NIP."""

import io
import logging
import re
import subprocess

import pytest
from sqlalchemy import select

from services.catalog.transfer import read_catalog_file
from services.db import Base
from services.demo import DEMO_DECISIONS, DEMO_PASSWORD, load_demo, load_demo_officials
from services.models import Channel, IssuedDocument, RequestStatus, ServiceRequest, User
from services.signing.catalog import apply_signing
from services.submission import Applicant, Submission, submit_request
from tests.builders import PINS, login
from tests.builders.workflow import open_task
from tests.signing_support import PASSPHRASE, signing_world  # noqa: F401
from tests.test_verify_copy import resaved_with_changed_title

KRK = {"land_address": "Jl. Melati 3, Sukamaju", "land_certificate_number": "SHM 1234",
       "land_area_m2": "120", "planned_use": "hunian"}
PINS_GIVEN: dict[str, str] = {}  # the citizen's PIN of each request the fixture files
RECORDS = {"record_zone": "R-2 (perumahan kepadatan sedang)", "record_kdb": "60",
           "record_klb": "1,2", "record_gsb": "4"}


@pytest.fixture
def krk_drafted(app, client, app_session, signing_world):
    app.config.update(SIGNING_CSC_URL=signing_world.csc_url,
                      SIGNING_TSA_URL=signing_world.service.settings.tsa_url,
                      SIGNING_TRUST_ROOTS=[str(signing_world.root_pem)])
    load_demo(app_session)
    apply_signing(app_session, read_catalog_file(DEMO_DECISIONS), "keputusan.yaml")
    load_demo_officials(app_session)
    app_session.commit()
    submitted = submit_request(app_session, Submission(
        service_code="KRK", applicant=Applicant(nik="3578014506900001", name="Budi Santoso",
                                                phone="081298765432"), answers=KRK,
        channel=Channel.WEB), pins=PINS)
    request, PINS_GIVEN[submitted.request.tracking_code] = submitted.request, submitted.pin
    app_session.commit()
    task = open_task(app_session, request, "DPUPR")
    login(client, "clerk.pupr", DEMO_PASSWORD)
    page = client.get(f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    assert 'data-test="decision-record"' in page and 'name="record_kdb"' in page
    client.post(f"/clerk/tasks/{task.id}/claim")
    client.post(f"/clerk/tasks/{task.id}/approve", data={"note": "sesuai RDTR", **RECORDS})
    client.post("/auth/logout")
    app_session.expire_all()
    request = app_session.get(ServiceRequest, request.id)
    assert request.status is RequestStatus.IN_PROGRESS
    return request


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())


def test_the_kepala_dinas_pupr_signs_the_krk_and_the_download_shows_the_decision(
        client, app_session, krk_drafted, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    request = krk_drafted
    login(client, "kepala.pupr", DEMO_PASSWORD)
    queue = client.get("/pejabat/").get_data(as_text=True)
    document = app_session.scalar(select(IssuedDocument))
    assert document.number in queue and 'data-test="signing-queue"' in queue
    task = open_task(app_session, request, "DPUPR")
    draft = client.get(f"/pejabat/konsep/{task.id}.pdf")
    assert draft.status_code == 200 and draft.mimetype == "application/pdf"
    assert "KEPUTUSAN KEPALA DINAS PEKERJAAN UMUM DAN PENATAAN RUANG" in _text(draft.data,
                                                                              tmp_path)

    wrong = client.post("/pejabat/tandatangani", data={"tasks": [task.id], "passphrase": "x"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Passphrase ditolak" in wrong
    app_session.expire_all()
    official = app_session.scalar(select(User).where(User.username == "kepala.pupr"))
    assert official.signing_failures == 1
    assert app_session.get(ServiceRequest, request.id).status is RequestStatus.IN_PROGRESS

    signed = client.post("/pejabat/tandatangani",
                         data={"tasks": [task.id], "passphrase": PASSPHRASE},
                         follow_redirects=True).get_data(as_text=True)
    assert "ditandatangani dan terbit: 1" in signed
    app_session.expire_all()
    assert app_session.get(ServiceRequest, request.id).status is RequestStatus.APPROVED

    client.post("/auth/logout")
    # The citizen looks the request up with its code and PIN and downloads the decision.
    status = client.post("/status", data={"tracking_code": request.tracking_code,
                                          "pin": PINS_GIVEN[request.tracking_code]})
    link = re.search(r'id="document-pdf" href="([^"]+)"', status.get_data(as_text=True))
    assert link is not None, "no download link on the status page"
    download = client.get(link.group(1).replace("&amp;", "&"))
    document = app_session.scalar(select(IssuedDocument))
    assert download.data == document.signed_pdf  # the issued file, as signed
    assert client.get(f"/clerk/requests/{request.tracking_code}/document.pdf").status_code \
        in (302, 401, 403)  # the clerk's download needs a clerk
    text = _text(download.data, tmp_path)
    for expected in ("TENTANG KETERANGAN RENCANA KOTA", "MEMUTUSKAN", "Mengingat",
                     "Koefisien Dasar Bangunan (KDB) : 60 %", "R-2 (perumahan kepadatan sedang)",
                     "KEPALA DINAS PEKERJAAN UMUM DAN PENATAAN RUANG,",
                     "Ir. Bambang Wijaya, M.T.", "NIP 19700101 199503 1 001",
                     "Balai Besar Sertifikasi Elektronik (BSrE), BSSN"):
        assert expected in text, expected

    # Any copy can be checked: the issued file says so, a re-saved copy with a changed field
    # does not, on the page and through the API.
    page = client.post("/verify", data={"file": (io.BytesIO(download.data), "krk.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Berkas ini adalah dokumen yang diterbitkan, tanpa perubahan." in page
    assert document.number in page and "Kepala Dinas Pekerjaan Umum dan Penataan Ruang" in page
    changed = resaved_with_changed_title(download.data)
    page = client.post("/verify", data={"file": (io.BytesIO(changed), "krk.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "BUKAN dokumen yang diterbitkan" in page
    api = client.post("/api/v1/documents/verify", data=download.data,
                      content_type="application/pdf").get_json()
    assert api["issued"] == "same_file" and api["genuine"] is True
    assert api["signature"]["signer"]["nip"] == "197001011995031001"
    assert api["document"] == {"number": document.number, "state": "valid",
                               "revoked_category": None,
                               "valid_until": document.valid_until.isoformat()}
    api = client.post("/api/v1/documents/verify", data=changed,
                      content_type="application/pdf").get_json()
    assert api["issued"] == "not_issued" and api["genuine"] is False
    refused = client.post("/api/v1/documents/verify", data=b"not a pdf",
                          content_type="application/pdf")
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "verify.not_pdf"

    logged = "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_info!r}" for r in caplog.records)
    for secret in (PASSPHRASE, "passphrase=x"):
        assert secret not in logged
    for table in Base.metadata.sorted_tables:
        for row in app_session.execute(select(table)):
            assert PASSPHRASE not in repr(tuple(row)), table.name


@pytest.mark.parametrize("who", ["clerk.pupr", "spv.pupr", "kepala.dpmptsp"])
def test_no_one_else_signs_the_krk(client, app_session, krk_drafted, who):
    task = open_task(app_session, krk_drafted, "DPUPR")
    login(client, who, DEMO_PASSWORD)
    queue = client.get("/pejabat/")
    if who != "kepala.dpmptsp":
        assert queue.status_code == 403
    else:
        assert "signing-queue" not in queue.get_data(as_text=True)
    client.post("/pejabat/tandatangani", data={"tasks": [task.id], "passphrase": PASSPHRASE})
    client.post(f"/pejabat/{task.id}/kembalikan", data={"note": "bukan saya"})
    app_session.expire_all()
    assert app_session.get(ServiceRequest, krk_drafted.id).status is RequestStatus.IN_PROGRESS
    assert app_session.scalar(select(IssuedDocument)).signed_at is None


def test_the_official_sends_the_draft_back_with_a_note(client, app_session, krk_drafted):
    task = open_task(app_session, krk_drafted, "DPUPR")
    login(client, "kepala.pupr", DEMO_PASSWORD)
    page = client.post(f"/pejabat/{task.id}/kembalikan", data={"note": "KDB menurut RDTR 50%"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Konsep dikembalikan kepada petugas." in page and 'data-test="empty"' in page
    again = open_task(app_session, krk_drafted, "DPUPR")
    assert again.id != task.id and again.note == "KDB menurut RDTR 50%"


def test_demo_signing_gives_krk_pbg_and_sip_their_signing_official(app, runner, app_session):
    from pathlib import Path

    from services.models import Service

    load_demo(app_session)
    app_session.commit()
    first = runner.invoke(args=["demo", "signing"])
    again = runner.invoke(args=["demo", "signing"])
    assert "Signing stage: 3 new versions, 0 unchanged." in first.output, first.output
    assert "Signing official kepala.pupr (Kepala Dinas Pekerjaan Umum" in first.output
    assert "Signing stage: 0 new versions, 3 unchanged." in again.output
    krk = app_session.scalar(select(Service).where(Service.code == "KRK")).current_version
    assert [(s.stage, s.agency.code, s.signs) for s in krk.steps][-1] == (2, "DPUPR", True)
    assert krk.decision["classification"] == "650"
    assert (Path(app.instance_path) / "signing" / "authority" / "root.pem").exists()
