"""Builders and tools for the receipt, print-job and kiosk client tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kiosk_client.receipt import Receipt
from services.kiosks.devices import create_kiosk, issue_enrolment_code
from services.kiosks.printing import queue_receipt
from services.models import Channel, Kiosk, PrintJob, ServiceRequest
from services.submission import Submission, submit_request
from services.unit_of_work import UnitOfWork
from tests.builders import (
    APPLICANT,
    PINS,
    SECRET,  # noqa: F401  (printing tests take it from here)
    make_catalog,
    service_def,
)


def sample_receipt(**changes: Any) -> Receipt:
    values: dict[str, Any] = {
        "tracking_code": "K7QM-4XNA-P",
        "service_name": "Surat Keterangan Tidak Mampu (SKTM)",
        "city": "Kota Contoh",
        "agency": "Dinas Sosial",
        "submitted_at": "2026-11-25T15:23+07:00",
        "timezone_label": "WIB",
        "expected_completion": "2026-12-02",
        "fee": 150000,
        "status_url": "http://127.0.0.1:8000/status?code=K7QM-4XNA-P",
        "kiosk_code": "KIOSK-MPP-01",
        "pin": "042917",
        "applicant": "S*** A*****",
        "requirements": ["Fotokopi KTP", "Fotokopi Kartu Keluarga (KK)"],
        **changes,
    }
    return Receipt(**values)


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        pytest.skip(f"!!! {', '.join(missing)} not installed: SKIPPED "
                    "(apt-get install poppler-utils zbar-tools)")


def pdf_text(pdf: bytes | Path) -> str:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def decoded_codes(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    """Rasterise the PDF and decode every barcode on it: {symbology: value}."""
    prefix = tmp_path / f"page-{uuid.uuid4().hex[:6]}"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", "-", str(prefix)],
                   input=pdf, check=True)
    answer = subprocess.run(["zbarimg", "--quiet", "--xml", f"{prefix}.png"],
                            capture_output=True, check=False)
    found = {}
    for kind, value in re.findall(r"<symbol type='([^']+)'[^>]*>.*?<data><!\[CDATA\[(.*?)\]\]>",
                                  answer.stdout.decode(), re.S):
        found[kind] = value
    return found


def make_kiosk(session: Session, code: str = "KIOSK-MPP-01") -> Kiosk:
    kiosk = create_kiosk(session, code=code, name=f"Kios {code}", location="MPP")
    session.commit()
    return kiosk


def enrolment_code(session: Session, kiosk: Kiosk) -> str:
    code = issue_enrolment_code(session, kiosk.code, actor=None)
    session.commit()
    return code


ISSUED_PINS: dict[str, str] = {}


def kiosk_request(session: Session, kiosk: Kiosk, *, language: str = "id",
                  with_catalog: bool = True, fee: int = 25000) -> ServiceRequest:
    """A request submitted at ``kiosk``, as the kiosk UI submits it."""
    if with_catalog:
        make_catalog(session, service_def("SKTM", fee=fee))
    with UnitOfWork(session, keep_loaded=True):
        result = submit_request(session, Submission(
            service_code="SKTM", applicant=APPLICANT, answers={"purpose": "Beasiswa"},
            channel=Channel.KIOSK, language=language, kiosk_id=kiosk.id,
            idempotency_key=f"kiosk:{kiosk.code}:{uuid.uuid4()}"), pins=PINS)
    ISSUED_PINS[result.request.tracking_code] = result.pin
    return result.request


def issued_pin(request: ServiceRequest) -> str:
    """The PIN the citizen was given for a request made here (the server keeps only its hash)."""
    return ISSUED_PINS[request.tracking_code]


def queued_receipt(session: Session, kiosk: Kiosk, **options: Any) -> tuple[ServiceRequest,
                                                                          PrintJob]:
    request = kiosk_request(session, kiosk, **options)
    job = queue_receipt(session, request, kiosk, pin=issued_pin(request), pins=PINS)
    session.commit()
    return request, job
