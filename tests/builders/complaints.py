"""Builders for complaint tests: categories, the coordinator, clerks, and filed complaints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from services.city_calendar import DEFAULT_CALENDAR
from services.complaints.categories import import_complaint_categories
from services.complaints.filing import ComplaintInput, FilingResult, file_complaint
from services.models import Channel, Holiday, Role, User
from services.unit_of_work import UnitOfWork
from tests.builders import NIK, PHONE, PINS, WEDNESDAY, agency_def
from tests.builders.workflow import make_staff

AGENCIES = ["DINKES", "DPUPR", "DLH"]
# A confidential complainant, whose identity no agency and no public page may show.
NAME = "Siti Aminah Wulandari"
CLINIC = (f"Saya {NAME} (NIK {NIK}, HP {PHONE}) menunggu lima jam di Puskesmas Sukamaju "
          "dan petugas loket membentak pasien lansia.")


def make_complaint_city(session: Session, holidays: tuple[date, ...] = ()) -> dict[str, User]:
    """Agencies, complaint categories, the coordinator and a clerk and supervisor per agency."""
    from services.catalog.transfer import import_catalog

    import_catalog(session, {"agencies": [agency_def(code) for code in AGENCIES]}, "a.yaml")
    for day in holidays:
        session.add(Holiday(day=day, name_id="Libur", name_en="Holiday"))
    import_complaint_categories(session, {"complaint_categories": [
        {"code": "kesehatan", "name": {"id": "Kesehatan", "en": "Health"}, "agency": "DINKES"},
        {"code": "jalan", "name": {"id": "Jalan", "en": "Roads"}, "agency": "DPUPR",
         "forward_days": 2, "answer_days": 10},
    ]})
    staff = {"koordinator": make_staff(session, "koordinator.pengaduan", Role.COORDINATOR,
                                       "DINKES")}
    staff["koordinator"].agency_id = None
    for code in AGENCIES:
        slug = code.lower()
        staff[f"clerk.{slug}"] = make_staff(session, f"clerk.{slug}", Role.CLERK, code)
        staff[f"spv.{slug}"] = make_staff(session, f"spv.{slug}", Role.SUPERVISOR, code)
    session.commit()
    return staff


def file(session: Session, *, privacy: str = "confidential", category: str = "kesehatan",
         description: str = CLINIC, now: datetime = WEDNESDAY, **extra: Any) -> FilingResult:
    identity = {} if privacy == "anonymous" else {"nik": NIK, "name": NAME, "phone": PHONE}
    data = {"category_code": category, "description": description, "privacy": privacy,
            "channel": Channel.WEB, "location": "Puskesmas Sukamaju", **identity, **extra}
    with UnitOfWork(session, keep_loaded=True):
        return file_complaint(session, ComplaintInput(**data), pins=PINS, calendar=DEFAULT_CALENDAR,
                              now=now)
