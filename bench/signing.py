"""Time what issue 12 added to the hot paths: signing a document (PAdES with pyHanko, RSA 2048,
no time-stamp), checking its signature, and searching the demo catalog.

    .venv/bin/python -m bench.signing [--rounds 30]
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
    rounds = parser.parse_args().rounds
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


if __name__ == "__main__":
    main()
