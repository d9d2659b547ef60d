"""Builders for the kiosk tests: an enrolled kiosk and a multi-page service with show-if."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.kiosks.devices import ensure_demo_kiosk
from services.models import Kiosk
from tests.builders import (  # noqa: F401  (NIK and PHONE: kiosk tests take them from here)
    NIK,
    PHONE,
    bilingual,
    field_def,
    make_catalog,
    service_def,
    step_def,
)

KIOSK_TOKEN = "test-kiosk-device-token-0123456789"
KIOSK_CODE = "KIOSK-TEST-01"


def make_kiosk(session: Session, *, code: str = KIOSK_CODE, token: str = KIOSK_TOKEN) -> Kiosk:
    kiosk, _ = ensure_demo_kiosk(session, code=code, name=f"Kiosk {code}", location="MPP",
                                 device_token=token)
    session.commit()
    return kiosk


def choice(value: str, label: str) -> dict[str, Any]:
    return {"value": value, "label": bilingual(label)}


def business_service(code: str = "IZIN-USAHA") -> dict[str, Any]:
    """Two pages; the second has a field shown only for a 'yes' on the same page."""
    return service_def(
        code,
        fields=[
            field_def("business_name", page=1, constraints={"max_length": 80}),
            field_def("sector", type="choice", page=1,
                      choices=[choice("dagang", "Perdagangan"), choice("jasa", "Jasa")]),
            field_def("workers", type="number", page=2, constraints={"min": 1, "max": 500}),
            field_def("has_npwp", type="yes_no", page=2),
            field_def("npwp_number", page=2,
                      show_if={"field": "has_npwp", "op": "eq", "value": True}),
            field_def("start_date", type="date", page=2, required=False),
        ],
        workflow=[step_def("DPMPTSP")],
    )


def make_business_catalog(session: Session) -> None:
    make_catalog(session, business_service())


def enrol(client: Any, token: str = KIOSK_TOKEN) -> Any:
    return client.post("/kiosk/enrol", data={"token": token})
