# ruff: noqa: F811  (signing_world, from tests.signing_support, is a test parameter here)
"""Signing through a real CSC signing service (certomancer-csc-dummy on loopback), as PAdES
B-LTA, checked by pyHanko's own validator run apart from the project."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from services.documents.authority import create_authority, root_certificate_pem, tsa_url
from services.documents.demo_service import set_passphrases, start_in_thread
from services.documents.remote import (
    CSCSigningService,
    LongTermSettings,
    PdfToSign,
    SigningRefused,
    SigningUnavailable,
)
from tests.signing_support import (  # noqa: F401 (signing_world is a fixture)
    PASSPHRASE,
    PUPR,
    external_validation,
    signing_world,
    simple_pdf,
)


def _dss(pdf: bytes) -> dict[str, int]:
    reader = PdfFileReader(io.BytesIO(pdf))
    dss = reader.root["/DSS"]
    return {key: len(dss[key]) for key in ("/Certs", "/OCSPs", "/CRLs") if key in dss}


def test_a_signed_decision_validates_long_term_apart_from_the_project(tmp_path):
    """Signed with the official's key on the signing service, then validated with the
    service stopped: trust, revocation data and time-stamps come from the file alone."""
    folder = tmp_path / "authority"
    config = create_authority(folder, [PUPR], city="Kota Contoh")
    set_passphrases(folder, {PUPR.credential_id: PASSPHRASE})
    running = start_in_thread(folder)
    try:
        root_pem = tmp_path / "demo-root.pem"
        root_pem.write_bytes(root_certificate_pem(config, running.pki_url))
        from asn1crypto import pem, x509
        root = x509.Certificate.load(pem.unarmor(root_pem.read_bytes())[2])
        service = CSCSigningService(running.csc_url, LongTermSettings(
            tsa_url(running.pki_url), trust_roots=(root,)))
        [signed] = service.sign([PdfToSign(simple_pdf(), "Keputusan 1", "Kota Contoh")],
                                credential=PUPR.credential_id, passphrase=PASSPHRASE)
    finally:
        running.stop()
    path = tmp_path / "keputusan.pdf"
    path.write_bytes(signed)
    reader = PdfFileReader(io.BytesIO(signed))
    kinds = [s.sig_object["/Type"] for s in reader.embedded_signatures]
    assert kinds == ["/Sig", "/DocTimeStamp"]  # the official's signature, then a B-LTA stamp
    assert reader.embedded_signatures[0].signer_cert.subject.native["common_name"] \
        == PUPR.common_name
    dss = _dss(signed)
    assert dss["/OCSPs"] >= 1 and dss["/CRLs"] >= 1 and dss["/Certs"] >= 3

    result = external_validation(path, root_pem)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The signer's certificate is trusted." in result.stdout
    assert "The TSA certificate is trusted." in result.stdout
    assert "judged VALID" in result.stdout

    changed = bytearray(signed)
    at = signed.index(b"ReportLab")  # one byte of the signed first revision
    changed[at] = ord("r")
    path.write_bytes(bytes(changed))
    refused = external_validation(path, root_pem)
    assert refused.returncode != 0 and "judged VALID" not in refused.stdout


def test_a_batch_is_authorised_once_and_each_document_gets_its_own_signature(signing_world):
    documents = [PdfToSign(simple_pdf(f"Keputusan {n}"), f"Keputusan {n}", "Kota Contoh")
                 for n in range(3)]
    signed = signing_world.service.sign(documents, credential=PUPR.credential_id,
                                        passphrase=PASSPHRASE)
    assert len(signed) == 3
    assert len({bytes(PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
                      .sig_object["/Contents"]) for pdf in signed}) == 3


@pytest.mark.parametrize("passphrase", ["salah", "", PASSPHRASE + " "])
def test_a_wrong_passphrase_signs_nothing(signing_world, passphrase):
    with pytest.raises(SigningRefused):
        signing_world.service.sign([PdfToSign(simple_pdf(), "x", "y")],
                                   credential=PUPR.credential_id, passphrase=passphrase)


def test_an_unreachable_signing_service_signs_nothing(signing_world):
    from services.documents.demo_service import free_port

    service = CSCSigningService(f"http://127.0.0.1:{free_port()}",
                                LongTermSettings(tsa_url(signing_world.pki_url), timeout=3))
    with pytest.raises(SigningUnavailable):
        service.sign([PdfToSign(simple_pdf(), "x", "y")], credential=PUPR.credential_id,
                     passphrase=PASSPHRASE)
