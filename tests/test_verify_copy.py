# ruff: noqa: F811  (signing_world, from tests.signing_support, is a test parameter here)
"""Verifying any copy: the issued file, the issued file with a later annotation, a re-saved
copy with a changed field, a hostile file; on the page, through the API and by the QR code."""

import io
from datetime import timedelta

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from sqlalchemy import select

from services.documents import VerificationKeys, verification_code, verify_document
from services.documents.upload import ANNOTATED, NOT_ISSUED, SAME_FILE, check_copy
from services.models import IssuedDocument, RevocationReason
from tests.builders import WEDNESDAY
from tests.builders.signing import CITY, make_signing_city, render, waiting_for_signature
from tests.builders.workflow import open_task
from tests.signing_support import PASSPHRASE, signing_world  # noqa: F401

LATER = WEDNESDAY + timedelta(hours=2)


@pytest.fixture
def issued(session, signing_world):
    from services.signing.decisions import sign_decisions

    staff = make_signing_city(session)
    request = waiting_for_signature(session, staff)
    [signed] = sign_decisions(session, actor=staff["kepala.pupr"],
                              task_ids=[open_task(session, request, "DPUPR").id],
                              passphrase=PASSPHRASE, signing=signing_world.service,
                              render=render, location=CITY, now=LATER)
    session.commit()
    return signed.document


def annotated(pdf: bytes) -> bytes:
    """The file with a sticky note added in an incremental update, as a PDF reader does."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0]
    note = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject(
            [generic.FloatObject(v) for v in (20, 20, 40, 40)]),
        generic.NameObject("/Contents"): generic.TextStringObject("sudah diterima"),
    }))
    page_obj = page.get_object()
    existing = page_obj.get("/Annots")
    annots = generic.ArrayObject(list(existing.get_object()) if existing is not None else [])
    annots.append(note)
    page_obj[generic.NameObject("/Annots")] = annots
    writer.update_container(page_obj)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def resaved_with_changed_title(pdf: bytes) -> bytes:
    """The file read and written anew, with its title changed."""
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf), strict=False))
    writer.set_info(generic.DictionaryObject({
        generic.NameObject("/Title"): generic.TextStringObject("KEPUTUSAN PALSU")}))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _check(session, world, data):
    return check_copy(session, data, trust_roots=[world.root], now=LATER)


def test_the_issued_file_is_the_issued_document(session, issued, signing_world):
    result = _check(session, signing_world, issued.signed_pdf)
    assert result.issued == SAME_FILE and result.genuine and result.state == "valid"
    assert result.intact and result.trusted and result.timestamped
    assert result.signer.name == "Ir. Bambang Wijaya, M.T."
    assert result.signer.jabatan == "Kepala Dinas Pekerjaan Umum dan Penataan Ruang"
    assert result.signer.nip == "197001011995031001"
    assert "CA Penandatanganan Demo" in result.signer.certificate_issuer
    assert result.document.number == issued.number


def test_a_later_annotation_keeps_it_the_issued_document(session, issued, signing_world):
    result = _check(session, signing_world, annotated(issued.signed_pdf))
    assert result.issued == ANNOTATED and result.genuine


def test_a_resaved_copy_with_a_changed_field_is_not_the_issued_document(
        session, issued, signing_world):
    result = _check(session, signing_world, resaved_with_changed_title(issued.signed_pdf))
    assert result.issued == NOT_ISSUED and not result.genuine and result.document is None


def test_a_changed_byte_breaks_the_signature(session, issued, signing_world):
    data = bytearray(issued.signed_pdf)
    at = data.index(b"ReportLab")
    data[at] = ord("r")
    result = _check(session, signing_world, bytes(data))
    assert result.issued == NOT_ISSUED and not (result.intact and result.trusted)


def test_a_revoked_document_says_so_with_its_category(session, issued, signing_world):
    issued.revoked_at, issued.revoked_category = LATER, RevocationReason.REPLACED
    session.commit()
    result = _check(session, signing_world, issued.signed_pdf)
    assert result.issued == SAME_FILE and result.state == "revoked"
    assert result.revoked_category == "replaced"


@pytest.mark.parametrize(("data", "refusal"), [
    (b"GIF89a not a pdf", "verify.not_pdf"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer <<>>\n%%EOF",
     "verify.unreadable"),
    (b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "verify.too_large"),
])
def test_a_hostile_or_broken_file_is_refused_clearly(session, signing_world, data, refusal):
    assert _check(session, signing_world, data).refusal == refusal


def test_a_copy_carrying_javascript_or_a_password_is_refused_as_a_citizens_upload_is(
        session, issued, signing_world):
    """The verifier's upload goes through the berkas issue's hostile-file checks first."""
    import io

    import pikepdf

    def with_script(pdf: bytes) -> bytes:
        document, out = pikepdf.open(io.BytesIO(pdf)), io.BytesIO()
        document.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        document.save(out)
        return out.getvalue()

    def locked(pdf: bytes) -> bytes:
        out = io.BytesIO()
        pikepdf.open(io.BytesIO(pdf)).save(out, encryption=pikepdf.Encryption(owner="o",
                                                                               user="u"))
        return out.getvalue()

    pdf = issued.signed_pdf
    assert _check(session, signing_world, pdf).refusal == ""
    for hostile in (with_script(pdf), locked(pdf), pdf + b"\nPK\x03\x04 a zip after the end"):
        assert _check(session, signing_world, hostile).refusal == "verify.unreadable"


def test_an_unsigned_draft_does_not_verify_by_its_code(session, signing_world):
    staff = make_signing_city(session)
    waiting_for_signature(session, staff)
    keys = VerificationKeys.parse("k1:test")
    draft = session.scalar(select(IssuedDocument))
    assert verify_document(session, keys, verification_code(keys, draft)).state == "invalid"


def test_the_qr_page_shows_the_decisions_facts_and_jabatan(session, issued, signing_world):
    keys = VerificationKeys.parse("k1:test")
    result = verify_document(session, keys, verification_code(keys, issued), now=LATER,
                             trust_roots=[signing_world.root])
    assert result.state == "valid" and result.holder == "S*** A*****"
    assert ("KDB", "60 %") in result.facts and not any(label == "NIK" for label, _ in result.facts)
    assert result.signer_jabatan == "Kepala Dinas Pekerjaan Umum dan Penataan Ruang"
    assert result.signature is not None and result.signature.good


def test_the_renewal_restamps_documents_near_the_tsa_expiry_and_old_copies_still_check(
        session, issued, signing_world, tmp_path):
    from services.signing.renewal import documents_to_restamp, renew_timestamps
    from tests.signing_support import external_validation

    expiry = issued.timestamp_expires_at
    assert documents_to_restamp(session, now=LATER) == []  # the TSA certificate lasts years
    near = expiry - timedelta(days=30)
    old_copy = issued.signed_pdf
    [renewed] = renew_timestamps(session, settings=signing_world.service.settings, now=near)
    session.commit()
    stamps = [s for s in PdfFileReader(io.BytesIO(renewed.signed_pdf)).embedded_signatures
              if s.sig_object.get("/Type") == "/DocTimeStamp"]
    assert len(stamps) == 2 and renewed.signed_pdf.startswith(old_copy)
    assert renewed.timestamped_at == near and renewed.earlier_sha256
    assert _check(session, signing_world, renewed.signed_pdf).issued == SAME_FILE
    assert _check(session, signing_world, old_copy).issued == SAME_FILE  # handed out before
    path = tmp_path / "renewed.pdf"
    path.write_bytes(renewed.signed_pdf)
    result = external_validation(path, signing_world.root_pem)
    assert result.returncode == 0 and "judged VALID" in result.stdout, result.stdout
