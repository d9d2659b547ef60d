"""The product: an A4 PDF with a QR code, signed verification codes, revocation."""

import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.documents import (
    VerificationKeys,
    revoke_document,
    verification_code,
    verify_document,
)
from services.documents.pdf import render_document_pdf
from services.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from services.models import IssuedDocument, RevocationReason
from services.timeline import citizen_timeline
from services.workflow.tasks import approve_task
from tests.builders.workflow import WEDNESDAY, open_task, submit

KEYS = VerificationKeys.parse("k1:test-verification-key")

LATER = WEDNESDAY + timedelta(hours=3)


@pytest.fixture
def document(session, staff):
    request, _ = submit(session, floor_area=120)
    for agency in ("DPMPTSP", "DLH", "DPMPTSP"):
        approve_task(session, actor=staff[f"clerk.{agency.lower()}"],
                     task_id=open_task(session, request, agency).id, now=LATER)
        session.commit()
    return session.scalar(select(IssuedDocument))


def test_a_genuine_code_verifies_with_the_holder_masked(session, document):
    result = verify_document(session, KEYS, verification_code(KEYS, document), now=LATER)
    assert result.state == "valid" and result.number == document.number
    assert result.holder == "S*** A*****" and result.holder_nik == "3578**********01"


@pytest.mark.parametrize("tamper", [
    lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # altered signature
    lambda code: "k1~IkRQTVBUU1AvUEJHLzIwMjYvMDAwMDAwMiI" + code[code.index("."):],  # other doc
    lambda code: "k9" + code[2:],  # an unknown key id
    lambda code: "forged",
])
def test_a_tampered_or_forged_code_is_detected(session, document, tamper):
    code = verification_code(KEYS, document)
    assert verify_document(session, KEYS, tamper(code)).state == "invalid"
    assert verify_document(session, VerificationKeys.parse("k1:another-secret"), code).state \
        == "invalid"


def test_a_revoked_document_shows_as_revoked_with_its_category_only(session, staff, document):
    with pytest.raises(NotFound):
        revoke_document(session, actor=staff["spv.kec-utara"], category="data_error",
                        tracking_code=document.request.tracking_code, reason="x")
    revoke_document(session, actor=staff["spv.dpmptsp"], category=RevocationReason.DATA_ERROR,
                    tracking_code=document.request.tracking_code,
                    reason="NIK 3578014506900001 salah ketik", now=LATER)
    session.commit()
    result = verify_document(session, KEYS, verification_code(KEYS, document))
    assert result.state == "revoked" and result.revoked_category == "data_error"
    assert "3578014506900001" not in repr(result)
    event = document.request.events[-1]
    assert event.kind == "document_revoked" and event.data["category"] == "data_error"
    assert citizen_timeline(document.request, "id")[-1].note == ""  # free text stays internal
    with pytest.raises(Conflict):
        revoke_document(session, actor=staff["spv.dpmptsp"], category="replaced",
                        tracking_code=document.request.tracking_code, reason="again")


@pytest.mark.parametrize("who", ["clerk.dpmptsp", "clerk.dlh", "spv.dlh"])
def test_only_a_supervisor_of_the_issuing_agency_may_revoke(session, staff, document, who):
    with pytest.raises(NotAllowed):
        revoke_document(session, actor=staff[who], category="data_error",
                        tracking_code=document.request.tracking_code, reason="x")
    assert document.revoked_at is None


def test_a_revocation_needs_a_category_from_the_list(session, staff, document):
    with pytest.raises(ValidationFailed) as refused:
        revoke_document(session, actor=staff["spv.dpmptsp"], category="because I say so",
                        tracking_code=document.request.tracking_code, reason="x")
    assert "category" in refused.value.fields


def test_an_expired_document_shows_as_expired(session, document):
    code = verification_code(KEYS, document)
    assert verify_document(session, KEYS, code, now=LATER + timedelta(days=1826)).state \
        == "expired"


def test_the_pdf_carries_the_document_facts_and_a_qr_code_to_verification(
        session, document, tmp_path):
    url = "https://layanan.kotacontoh.go.id/verify/" + verification_code(KEYS, document)
    pdf = render_document_pdf(document, city_name="Kota Contoh", verify_url=url)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ("PEMERINTAH KOTA CONTOH", document.number, "Siti Aminah",
                     "Service PBG", "Agency DPMPTSP"):
        assert expected in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    scan = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "page-1.png")],
                          capture_output=True, text=True)
    assert scan.stdout.strip() == url
