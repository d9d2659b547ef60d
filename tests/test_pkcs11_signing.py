# ruff: noqa: F811  (signing_world, from tests.signing_support, is a test parameter here)
"""A city's own HSM: the official's key on a PKCS#11 token (Debian's SoftHSM2), the token's
user PIN as the passphrase, signed as PAdES B-LTA like the CSC path."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import pem
from certomancer.registry import ArchLabel, CertLabel
from pyhanko.pdf_utils.reader import PdfFileReader

from services.documents.authority import ARCH, CA, CONFIG_FILE, ROOT, load_authority
from services.documents.remote import PdfToSign, PKCS11SigningService, SigningRefused
from services.documents.signing import check_pdf_signature
from tests.signing_support import PUPR, signing_world, simple_pdf  # noqa: F401

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "246810"


@pytest.fixture
def token(tmp_path, monkeypatch, signing_world):
    """A SoftHSM2 token holding the Kepala Dinas PUPR's key, and a folder of certificates."""
    if not (shutil.which("softhsm2-util") and Path(MODULE).exists()):
        pytest.skip("!!! SoftHSM2 is not installed: PKCS#11 tests SKIPPED "
                    "(apt-get install -y softhsm2)")
    (tmp_path / "tokens").mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\n"
                      "objectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    run = {"check": True, "capture_output": True}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "ekiosk",
                    "--so-pin", "13579135", "--pin", PIN], **run)
    subprocess.run(["softhsm2-util", "--import",
                    str(signing_world.folder / "keys" / f"{PUPR.label}.key.pem"),
                    "--token", "ekiosk", "--label", PUPR.label, "--id", "01", "--pin", PIN],
                   **run)
    arch = load_authority(signing_world.folder / CONFIG_FILE, signing_world.pki_url) \
        .get_pki_arch(ArchLabel(ARCH))
    certificates = tmp_path / "certs"
    certificates.mkdir()
    (certificates / f"{PUPR.label}.pem").write_bytes(
        pem.armor("CERTIFICATE", arch.get_cert(CertLabel(PUPR.label)).dump()))
    (certificates / "chain.pem").write_bytes(b"".join(
        pem.armor("CERTIFICATE", arch.get_cert(CertLabel(label)).dump()) for label in (CA, ROOT)))
    return PKCS11SigningService(MODULE, "ekiosk", str(certificates),
                                signing_world.service.settings)


def test_a_decision_is_signed_on_the_token_as_b_lta(token, signing_world):
    [signed] = token.sign([PdfToSign(simple_pdf(), "Keputusan", "Kota Contoh")],
                          credential=PUPR.credential_id, passphrase=PIN)
    reader = PdfFileReader(io.BytesIO(signed))
    assert [s.sig_object["/Type"] for s in reader.embedded_signatures] \
        == ["/Sig", "/DocTimeStamp"]
    assert reader.embedded_signatures[0].signer_cert.subject.native["common_name"] \
        == PUPR.common_name
    assert check_pdf_signature(signed, [signing_world.root]).good


def test_a_wrong_pin_signs_nothing(token):
    with pytest.raises(SigningRefused):
        token.sign([PdfToSign(simple_pdf(), "Keputusan", "Kota Contoh")],
                   credential=PUPR.credential_id, passphrase="000000")
