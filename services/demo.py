"""The Kota Contoh demonstration data: catalog, staff accounts and a kiosk; and, on request, a
little history, so the public figures (no cell under ten cases) have something to show."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.accounts import UserInput, create_user
from services.apikeys import ensure_demo_api_key
from services.catalog.transfer import import_catalog, read_catalog_file
from services.codes import PinKeyring
from services.complaints.categories import import_complaint_categories, read_categories_file
from services.complaints.filing import ComplaintInput, file_complaint
from services.complaints.handling import answer_complaint, forward_complaint
from services.db import utcnow
from services.ikm.paper import import_paper_survey
from services.kiosks.devices import ensure_demo_kiosk
from services.models import (
    Agency,
    Channel,
    ComplaintCategory,
    ComplaintForwarding,
    Role,
    SurveyResponse,
    SurveySource,
    User,
)

DEMO_CATALOG = Path(__file__).resolve().parent.parent / "demo" / "kota_contoh.yaml"
DEMO_COMPLAINT_CATEGORIES = DEMO_CATALOG.with_name("pengaduan.yaml")
# The demo's published password (README) (bandit B105).
DEMO_PASSWORD = "kotacontoh-demo"  # nosec B105
DEMO_KIOSK_CODE = "KIOSK-MPP-01"

DEMO_USERS: tuple[tuple[str, str, Role, str | None], ...] = (
    ("admin", "Admin Diskominfo", Role.ADMIN, None),
    ("clerk.dpmptsp", "Rina Wulandari", Role.CLERK, "DPMPTSP"),
    ("spv.dpmptsp", "Bambang Sutrisno", Role.SUPERVISOR, "DPMPTSP"),
    ("clerk.disdukcapil", "Dewi Lestari", Role.CLERK, "DISDUKCAPIL"),
    ("spv.disdukcapil", "Agus Santoso", Role.SUPERVISOR, "DISDUKCAPIL"),
    ("clerk.dinkes", "dr. Maya Putri", Role.CLERK, "DINKES"),
    ("clerk.pupr", "Ir. Hendra Gunawan", Role.CLERK, "DPUPR"),
    ("spv.pupr", "Sri Rahayu", Role.SUPERVISOR, "DPUPR"),
    ("clerk.dinsos", "Yusuf Hidayat", Role.CLERK, "DINSOS"),
    ("clerk.dlh", "Fitri Handayani", Role.CLERK, "DLH"),
    ("clerk.bapenda", "Ratna Sari", Role.CLERK, "BAPENDA"),
    ("clerk.kec-utara", "Joko Prasetyo", Role.CLERK, "KEC-UTARA"),
    ("clerk.kec-selatan", "Lina Marlina", Role.CLERK, "KEC-SELATAN"),
    ("clerk.kec-timur", "Andi Saputra", Role.CLERK, "KEC-TIMUR"),
    ("officer.mpp", "Nur Aisyah", Role.OFFICER, None),
    ("koordinator.pengaduan", "Hendra Wijaya", Role.COORDINATOR, None),
    ("pimpinan", "Wali Kota Kota Contoh", Role.LEADERSHIP, None),
)


def load_demo(session: Session, *, device_token: str | None = None,
              api_key: str | None = None) -> list[str]:
    """Import the demo catalog and create the demo accounts that are missing."""
    summary = import_catalog(session, read_catalog_file(DEMO_CATALOG), DEMO_CATALOG.name)
    report = [
        f"Catalog: {len(summary.created)} new services, {len(summary.new_versions)} new versions, "
        f"{len(summary.unchanged)} unchanged."
    ]
    categories = import_complaint_categories(session,
                                             read_categories_file(DEMO_COMPLAINT_CATEGORIES))
    report.append(f"Complaint categories: {categories}.")
    existing = set(session.scalars(select(User.username)))
    for username, full_name, role, agency in DEMO_USERS:
        if username in existing:
            continue
        create_user(session, UserInput(username=username, full_name=full_name, role=role,
                                       agency_code=agency, password=DEMO_PASSWORD))
        report.append(f"Account {username} ({role.value}{', ' + agency if agency else ''}).")
    kiosk, token = ensure_demo_kiosk(
        session, code=DEMO_KIOSK_CODE, name="e-Kios MPP Kota Contoh",
        location="Mal Pelayanan Publik, Jl. Merdeka 1, lantai 1", device_token=device_token,
    )
    if token:
        report.append(f"Demo kiosk {kiosk.code} enrolled; its device token (shown once): {token}")
    elif device_token:
        report.append(f"Demo kiosk {kiosk.code} uses KIOSK_DEMO_DEVICE_TOKEN.")
    if api_key:
        ensure_demo_api_key(session, api_key)
        report.append("Demo API key (every scope) uses KIOSK_DEMO_API_KEY.")
    return report


# The history `flask demo history` adds for one agency: answered complaints and paper surveys
# (a unit's own paper IKM, PermenPANRB 14/2017), enough for /kinerja to show its figures.
HISTORY_CASES = 10
HISTORY_SURVEY_ROWS = ((3, 3, 3, 3, 3, 3, 3, 3, 3), (3, 4, 3, 3, 4, 3, 3, 3, 2),
                       (4, 3, 3, 4, 3, 3, 4, 3, 3), (3, 3, 2, 3, 3, 3, 3, 3, 3),
                       (3, 3, 3, 4, 3, 4, 3, 3, 3))


def load_demo_history(session: Session, *, pins: PinKeyring, tz: str, agency_code: str = "DINKES",
                      survey_service: str = "SIP-BIDAN-PERAWAT", cases: int = HISTORY_CASES,
                      now: datetime | None = None) -> list[str]:
    """Up to ``cases`` anonymous complaints the agency has answered and ``cases`` paper survey
    responses for it (safe to repeat: only what is missing is added). The complaints' codes and
    PINs are handed to no one. Commits."""
    now = now or utcnow()
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    coordinator = session.scalar(select(User).where(User.role == Role.COORDINATOR))
    clerk = session.scalar(select(User).where(User.role == Role.CLERK, User.agency == agency))
    category = session.scalar(select(ComplaintCategory).where(
        ComplaintCategory.default_agency == agency))
    if agency is None or coordinator is None or clerk is None or category is None:
        return [f"No history: load the demo first (agency {agency_code}, its clerk, a category)."]
    had = session.scalar(select(func.count(func.distinct(ComplaintForwarding.complaint_id)))
                         .where(ComplaintForwarding.agency_id == agency.id)) or 0
    for number in range(had, cases):
        filed = file_complaint(session, ComplaintInput(
            category_code=category.code, privacy="anonymous", channel=Channel.WEB,
            description=f"Contoh riwayat {number + 1}: antrean panjang tanpa nomor urut di loket "
                        "pelayanan."), pins=pins, tz=tz, now=now)
        code = filed.complaint.tracking_code
        forward_complaint(session, actor=coordinator, tracking_code=code,
                          agency_codes=[agency.code], now=now, tz=tz)
        answer_complaint(session, actor=clerk, tracking_code=code, now=now, tz=tz,
                         answer="Loket kini memakai nomor antrean elektronik dan papan informasi.")
    surveyed = session.scalar(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.agency_id == agency.id, SurveyResponse.source == SurveySource.PAPER)) or 0
    rows = [HISTORY_SURVEY_ROWS[n % len(HISTORY_SURVEY_ROWS)] for n in range(surveyed, cases)]
    if rows:
        import_paper_survey(session, rows, service_code=survey_service, agency_code=agency.code,
                            period=now.astimezone(ZoneInfo(tz)).strftime("%Y-%m"), now=now)
    return [f"{agency.code}: {max(cases - had, 0)} answered complaints and {len(rows)} paper "
            "surveys added."]
