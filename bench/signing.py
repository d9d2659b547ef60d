"""Time what issues 12 and 22 added to the hot paths: signing a document with the city's
certificate (PAdES B-B, RSA 2048), checking its signature and searching the demo catalog; and
an official's decision signed through the CSC signing service as PAdES B-LTA (the CSC round
trip, revocation data and two time-stamps included, the demo service on loopback), its
validation, and the documents a minute of a batch of 50 signed with one passphrase.

    .venv/bin/python -m bench.signing [--rounds 30] [--batch 50]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.catalog.queries import active_services
from services.catalog.transfer import import_catalog, read_catalog_file
from services.db import Base
from services.demo import DEMO_CATALOG
from services.documents.signing import (
    SigningIdentity,
    check_pdf_signature,
    create_demo_certificates,
    load_trust_roots,
    sign_pdf,
)


def timed(action: Callable[[], object], rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--batch", type=int, default=50)
    arguments = parser.parse_args()
    rounds = arguments.rounds
    folder = Path(tempfile.mkdtemp())
    made = create_demo_certificates(folder, city="Kota Contoh", passphrase="bench")
    identity = SigningIdentity(str(made.p12), "bench")
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, "Dokumen contoh")
    canvas.showPage()
    canvas.save()
    pdf = buffer.getvalue()
    signed = sign_pdf(pdf, identity, reason="bench", location="Kota Contoh")
    roots = load_trust_roots([str(made.ca_pem)])
    sign_ms = timed(lambda: sign_pdf(pdf, identity, reason="bench", location="Kota Contoh"),
                    rounds)
    check_ms = timed(lambda: check_pdf_signature(signed, roots), rounds)
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        import_catalog(session, read_catalog_file(DEMO_CATALOG), DEMO_CATALOG.name)
        session.commit()
        search_ms = timed(lambda: active_services(session, search="ktp hilang"), rounds)
    for name, (median, worst) in (("sign (PAdES B-B)", sign_ms), ("check signature", check_ms),
                                  ("search demo catalog", search_ms)):
        print(f"{name:22} median {median:7.1f} ms   max {worst:7.1f} ms   ({rounds} rounds)")
    remote_signing(max(3, rounds // 5), arguments.batch)


def decision_pdf(number: int) -> bytes:
    from datetime import date

    from services.documents.decision import Signatory, decision_content, render_decision_pdf

    content = decision_content(
        template={"classification": "650", "about": "Keterangan Rencana Kota",
                  "fields": [{"label": "Lokasi persil", "answer": "address"},
                             {"label": "KDB", "record": "kdb", "suffix": "%"}]},
        number=f"650/{number:05d}/DPUPR/2026", city="Kota Contoh",
        agency={"name": "Dinas Pekerjaan Umum dan Penataan Ruang"},
        product="Keterangan Rencana Kota (KRK)", legal_basis=["UU 26/2007"],
        holder_name="Budi Santoso", holder_nik="3578014506900001",
        answers={"address": "Jl. Melati 3"}, choice_labels={}, records={"kdb": "60"},
        valid_until=None)
    return render_decision_pdf(content, signed_on=date(2026, 12, 7),
                               signatory=Signatory("Ir. Bambang Wijaya, M.T.",
                                                   "Kepala Dinas PUPR", "197001011995031001"),
                               verify_url=f"http://127.0.0.1:8000/verify/{number}")


def remote_signing(rounds: int, batch: int) -> None:
    """Sign decisions through the demo CSC service on loopback (B-LTA) and validate them."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    from services.demo import DEMO_OFFICIAL_KEYS
    from services.documents.authority import create_authority, root_certificate_pem, tsa_url
    from services.documents.demo_service import set_passphrases, start_in_thread
    from services.documents.remote import CSCSigningService, LongTermSettings, PdfToSign

    folder = Path(tempfile.mkdtemp())
    official = DEMO_OFFICIAL_KEYS[1]
    config = create_authority(folder, [official], city="Kota Contoh")
    set_passphrases(folder, {official.credential_id: "bench"})
    running = start_in_thread(folder)
    try:
        root = asn1_x509.Certificate.load(pem.unarmor(
            root_certificate_pem(config, running.pki_url))[2])
        service = CSCSigningService(running.csc_url, LongTermSettings(
            tsa_url(running.pki_url), trust_roots=(root,)))
        pdfs = [decision_pdf(n) for n in range(max(rounds, batch))]

        def sign(chosen: list[bytes]) -> list[bytes]:
            return service.sign([PdfToSign(pdf, "Keputusan", "Kota Contoh") for pdf in chosen],
                                credential=official.credential_id, passphrase="bench")

        signed: list[bytes] = []
        one = iter(pdfs)
        sign_ms = timed(lambda: signed.extend(sign([next(one)])), rounds)
        check_ms = timed(lambda: check_pdf_signature(signed[0], [root]), rounds)
        start = time.perf_counter()
        sign(pdfs[:batch])
        seconds = time.perf_counter() - start
    finally:
        running.stop()
    for name, (median, worst) in (("sign via CSC (B-LTA)", sign_ms),
                                  ("check B-LTA signature", check_ms)):
        print(f"{name:22} median {median:7.1f} ms   max {worst:7.1f} ms   ({rounds} rounds)")
    print(f"batch of {batch:<3} via CSC  {seconds:7.1f} s   "
          f"{batch / seconds * 60:7.1f} documents/minute (one passphrase, one authorisation)")


if __name__ == "__main__":
    main()
