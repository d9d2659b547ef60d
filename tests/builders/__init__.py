"""Builders for test data: keyword arguments with sensible defaults. The modules beside this
one build each area's data (workflow, kiosk, printing, complaints, ikm, open311, outbox,
admin); the values every area shares (the applicant, the clock, the secrets) live here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts import UserInput, create_user
from services.catalog.transfer import import_catalog
from services.codes import PinKeyring
from services.models import Agency, Role, Service, User
from services.submission import Applicant

PASSWORD = "correct-horse-battery"
# Staff passwords in tests are hashed with one round of PBKDF2 instead of scrypt (66 ms a hash
# or check on the 2-core machine): check_password_hash reads the method from the hash itself.
FAST_PASSWORD_HASH = "pbkdf2:sha256:1"
PIN_KEY = "test-pin-key"  # the app fixture's PIN_KEY too
PINS = PinKeyring.from_secrets(PIN_KEY)
SECRET = "test-secret"  # the app fixture's SECRET_KEY: documents and webhooks are signed with it
NIK = "3578014506900001"  # a woman born 05-06-1990 in Jawa Timur
PHONE = "081234567890"
APPLICANT = Applicant(nik=NIK, name="Siti Aminah", phone=PHONE)
# A Wednesday morning in Jakarta (02:00 UTC = 09:00 WIB).
WEDNESDAY = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def bilingual(text: str) -> dict[str, str]:
    return {"id": text, "en": f"{text} (en)"}


def field_def(key: str, type: str = "text", **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": type, "label": bilingual(key.replace("_", " ").title()), **extra}


def step_def(agency: str | None = "DPMPTSP", stage: int = 1, sla_days: int = 3,
             **extra: Any) -> dict[str, Any]:
    step = {"stage": stage, "name": bilingual(f"Step at {agency}"), "sla_days": sla_days, **extra}
    if agency is not None and "agency_from" not in extra:
        step["agency"] = agency
    return step


def agency_def(code: str, kind: str = "dinas") -> dict[str, Any]:
    return {"code": code, "kind": kind, "name": bilingual(f"Agency {code}")}


def service_def(code: str = "SKTM", *, fields: list[dict[str, Any]] | None = None,
                workflow: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "category": "sosial",
        "name": bilingual(f"Service {code}"),
        "description": bilingual("What it is for"),
        "requirements": {"id": ["Fotokopi KTP"], "en": ["Copy of identity card"]},
        "procedure": {"id": ["Isi formulir"], "en": ["Fill in the form"]},
        "dasar_hukum": {"id": ["Perda Kota Contoh 1/2020"], "en": ["City Regulation 1/2020"]},
        "duration_days": 5,
        "fee": 0,
        "fee_basis": bilingual("Tidak dipungut biaya"),
        "product_kind": "document",
        "product": bilingual("Surat keterangan"),
        "complaint_channel": bilingual("SP4N-LAPOR!"),
        "fields": fields if fields is not None else [field_def("purpose")],
        "workflow": workflow if workflow is not None else [step_def()],
        **extra,
    }


def catalog_def(*services: dict[str, Any], agencies: list[str] | None = None) -> dict[str, Any]:
    return {
        "categories": [{"code": "sosial", "name": bilingual("Sosial")}],
        "agencies": [agency_def(code) for code in (agencies or ["DPMPTSP", "DINSOS", "DPUPR"])],
        "services": list(services) or [service_def()],
    }


def make_catalog(session: Session, *services: dict[str, Any],
                 agencies: list[str] | None = None) -> list[Service]:
    """Import a small catalog and return its services."""
    document = catalog_def(*services, agencies=agencies)
    import_catalog(session, document, "test.yaml")
    session.commit()
    codes = [s["code"] for s in document["services"]]
    return [session.scalar(select(Service).where(Service.code == c)) for c in codes]


def make_user(session: Session, username: str = "clerk1", role: Role = Role.CLERK,
              agency: str | None = "DPMPTSP", password: str = PASSWORD) -> User:
    if role is Role.ADMIN:
        agency = None
    if agency and session.scalar(select(Agency).where(Agency.code == agency)) is None:
        import_catalog(session, {"agencies": [agency_def(agency)]}, "agency.yaml")
    user = create_user(session, UserInput(username=username, full_name=username.title(),
                                          role=role, agency_code=agency, password=password))
    session.commit()
    return user


def login(client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/auth/login", data={"username": username, "password": password})
