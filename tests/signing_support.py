"""A real signing service for tests: the demo authority's CSC API and its CRL/OCSP/TSA, on
loopback ports of this process, started once per test session."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from reportlab.pdfgen.canvas import Canvas

from services.demo import DEMO_OFFICIAL_KEYS
from services.documents.authority import (
    create_authority,
    root_certificate_pem,
    tsa_url,
)
from services.documents.demo_service import set_passphrases, start_in_thread
from services.documents.remote import CSCSigningService, LongTermSettings

# The demo's officials' keys (Kepala DPMPTSP, Kepala Dinas PUPR, Kepala Dinas Kesehatan).
DPMPTSP, PUPR, DINKES = DEMO_OFFICIAL_KEYS
PASSPHRASE = "benar-sekali-2026"


@dataclass(frozen=True)
class SigningWorld:
    service: CSCSigningService
    root_pem: Path
    root: asn1_x509.Certificate
    csc_url: str
    pki_url: str
    folder: Path


@pytest.fixture(scope="session")
def signing_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SigningWorld]:
    folder = tmp_path_factory.mktemp("authority")
    config = create_authority(folder, DEMO_OFFICIAL_KEYS, city="Kota Contoh")
    set_passphrases(folder, {key.credential_id: PASSPHRASE for key in DEMO_OFFICIAL_KEYS})
    running = start_in_thread(folder)
    try:
        root_pem = folder / "root.pem"
        root_pem.write_bytes(root_certificate_pem(config, running.pki_url))
        root = asn1_x509.Certificate.load(pem.unarmor(root_pem.read_bytes())[2])
        service = CSCSigningService(running.csc_url, LongTermSettings(
            tsa_url(running.pki_url), trust_roots=(root,)))
        yield SigningWorld(service, root_pem, root, running.csc_url, running.pki_url, folder)
    finally:
        running.stop()


def simple_pdf(text: str = "Keputusan contoh") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.drawString(100, 700, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def external_validation(pdf: Path, root_pem: Path) -> subprocess.CompletedProcess[str]:
    """pyHanko's own validator, run apart from the project: AdES LTA validation of every
    signature against the demo root only, from what the file embeds."""
    return subprocess.run(
        [sys.executable, "-m", "pyhanko", "sign", "adesverify", "--pretty-print",
         "--trust", str(root_pem), "--trust-replace", str(pdf)],
        capture_output=True, text=True, timeout=120)
