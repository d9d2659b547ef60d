"""The Kota Contoh demonstration data: catalog, staff accounts and a kiosk; and, on request, a
little history, so the public figures (no cell under ten cases) have something to show."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.accounts import UserInput, create_user
from services.apikeys import ensure_demo_api_key
from services.catalog.transfer import import_catalog, read_catalog_file
from services.city_calendar import CityCalendar
from services.clock import utcnow
from services.codes import PinKeyring
from services.complaints.categories import import_complaint_categories, read_categories_file
from services.complaints.filing import ComplaintInput, file_complaint
from services.complaints.handling import answer_complaint, forward_complaint
from services.documents.authority import OfficialKey
from services.frontoffice.demo import load_demo_hall
from services.ikm.paper import import_paper_survey
from services.kiosks.devices import ensure_demo_kiosk
from services.models import (
    Agency,
    Channel,
    ComplaintCategory,
    ComplaintForwarding,
    Kiosk,
    Role,
    ServiceRequest,
    SurveyResponse,
    SurveySource,
    Task,
    TaskStatus,
    User,
)

DEMO_CATALOG = Path(__file__).resolve().parent.parent / "demo" / "kota_contoh.yaml"
DEMO_COMPLAINT_CATEGORIES = DEMO_CATALOG.with_name("pengaduan.yaml")
DEMO_DECISIONS = DEMO_CATALOG.with_name("keputusan.yaml")
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
    ("bendahara", "Siti Rahmawati", Role.TREASURER, None),
)

# The signing officials (pejabat penandatangan), each with a key on the demo signing service;
# their demo passphrase is published with the demo accounts (docs/signing.md).
DEMO_SIGNING_PASSPHRASE = "tte-kotacontoh-demo"  # nosec B105
DEMO_OFFICIALS: tuple[tuple[str, str, str, str, str], ...] = (
    ("kepala.dpmptsp", "Drs. Hadi Santoso, M.Si.", "DPMPTSP",
     "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "197203152000031002"),
    ("kepala.pupr", "Ir. Bambang Wijaya, M.T.", "DPUPR",
     "Kepala Dinas Pekerjaan Umum dan Penataan Ruang", "197001011995031001"),
    ("kepala.dinkes", "dr. Ratna Kusumawati, M.Kes.", "DINKES", "Kepala Dinas Kesehatan",
     "197505102003122001"),
)
DEMO_OFFICIAL_KEYS = tuple(OfficialKey(username.replace(".", "-"), name, jabatan)
                           for username, name, _, jabatan, _ in DEMO_OFFICIALS)


def load_demo_officials(session: Session) -> list[str]:
    """The demo's signing officials that are missing (password DEMO_PASSWORD)."""
    existing = set(session.scalars(select(User.username)))
    report = []
    for (username, full_name, agency, jabatan, nip), key in zip(DEMO_OFFICIALS,
                                                               DEMO_OFFICIAL_KEYS, strict=True):
        if username in existing:
            continue
        create_user(session, UserInput(username=username, full_name=full_name,
                                       role=Role.OFFICIAL, agency_code=agency,
                                       password=DEMO_PASSWORD, jabatan=jabatan, nip=nip,
                                       signing_credential=key.credential_id))
        report.append(f"Signing official {username} ({jabatan}).")
    return report


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
    report += load_demo_hall(session)
    return report


# The history `flask demo history` adds for one agency: answered complaints and paper surveys
# (a unit's own paper IKM, PermenPANRB 14/2017), enough for /kinerja to show its figures.
HISTORY_CASES = 10
HISTORY_SURVEY_ROWS = ((3, 3, 3, 3, 3, 3, 3, 3, 3), (3, 4, 3, 3, 4, 3, 3, 3, 2),
                       (4, 3, 3, 4, 3, 3, 4, 3, 3), (3, 3, 2, 3, 3, 3, 3, 3, 3),
                       (3, 3, 3, 4, 3, 4, 3, 3, 3))


def load_demo_history(session: Session, *, pins: PinKeyring, calendar: CityCalendar,
                      now: datetime, agency_code: str = "DINKES",
                      survey_service: str = "SIP-BIDAN-PERAWAT",
                      cases: int = HISTORY_CASES) -> list[str]:
    """Up to ``cases`` anonymous complaints the agency has answered and ``cases`` paper survey
    responses for it (safe to repeat: only what is missing is added). The complaints' codes and
    PINs are handed to no one. Commits."""
    tz = calendar.timezone
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
                        "pelayanan."), pins=pins, calendar=calendar, now=now)
        code = filed.complaint.tracking_code
        forward_complaint(session, actor=coordinator, tracking_code=code,
                          agency_codes=[agency.code], calendar=calendar, now=now)
        answer_complaint(session, actor=clerk, tracking_code=code, calendar=calendar, now=now,
                         answer="Loket kini memakai nomor antrean elektronik dan papan informasi.")
    surveyed = session.scalar(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.agency_id == agency.id, SurveyResponse.source == SurveySource.PAPER)) or 0
    rows = [HISTORY_SURVEY_ROWS[n % len(HISTORY_SURVEY_ROWS)] for n in range(surveyed, cases)]
    if rows:
        import_paper_survey(session, rows, service_code=survey_service, agency_code=agency.code,
                            period=now.astimezone(ZoneInfo(tz)).strftime("%Y-%m"), now=now)
    return [f"{agency.code}: {max(cases - had, 0)} answered complaints and {len(rows)} paper "
            "surveys added."]


# Finished requests for the demo's figures: each service, its answers, and the days from filing
# to the decision of each of its requests, some beyond the service's standard (KTP-el: 1 working
# day; KRK: 5), so the command center and /kinerja have outputs to show, late ones included.
HISTORY_REQUESTS: tuple[tuple[str, dict[str, str], tuple[int, ...]], ...] = (
    ("KTP-EL-GANTI", {"replacement_reason": "rusak", "pickup_location": "mpp"},
     (0, 1, 0, 1, 3, 0, 1, 0, 2, 1, 0, 1)),
    ("KRK", {"land_address": "Jl. Melati 3, Sukamaju", "land_certificate_number": "SHM 1234",
             "land_area_m2": "120", "planned_use": "hunian"},
     (3, 4, 6, 2, 5, 10, 3, 4, 7, 2, 5, 3)),
)
HISTORY_APPLICANT = ("3578014506900001", "BUDI SANTOSO", "081298765432")


def _weekday_at(moment: datetime, tz: str, hour: int) -> datetime:
    """The moment's local day at ``hour`` o'clock, moved past a weekend to Monday."""
    local = moment.astimezone(ZoneInfo(tz)).replace(hour=hour, minute=0, second=0, microsecond=0)
    while local.weekday() >= 5:
        local += timedelta(days=1)
    return local


def load_demo_requests(session: Session, *, pins: PinKeyring, calendar: CityCalendar,
                       now: datetime | None = None) -> list[str]:
    """Twelve requests for each service of HISTORY_REQUESTS over the past months, at the demo
    kiosk and on the web, each decided by its agency's clerk (safe to repeat: each request has
    its idempotency key, and only an undecided one is decided)."""
    from services.submission import Applicant, Submission, submit_request
    from services.workflow.queues import claim_task
    from services.workflow.tasks import approve_task

    now = now or utcnow()
    tz = calendar.timezone
    kiosk = session.scalar(select(Kiosk).where(Kiosk.code == DEMO_KIOSK_CODE))
    lines = []
    for code, answers, decided_after in HISTORY_REQUESTS:
        added = 0
        for number, days in enumerate(decided_after):
            filed_at = _weekday_at(now - timedelta(days=14 * (len(decided_after) - number)), tz, 9)
            on_kiosk = number % 2 == 0 and kiosk is not None
            result = submit_request(session, Submission(
                service_code=code, applicant=Applicant(*HISTORY_APPLICANT), answers=answers,
                channel=Channel.KIOSK if on_kiosk else Channel.WEB,
                kiosk_id=kiosk.id if on_kiosk and kiosk else None,
                idempotency_key=f"demo-history:{code}:{number}"),
                pins=pins, calendar=calendar, now=filed_at)
            decided_at = _weekday_at(filed_at + timedelta(days=days), tz, 14)
            for task in _ready_tasks(session, result.request):
                clerk = session.scalar(select(User).where(
                    User.role == Role.CLERK, User.agency_id == task.agency_id).order_by(User.id))
                if clerk is None:
                    continue
                claim_task(session, actor=clerk, task_id=task.id, now=decided_at)
                approve_task(session, actor=clerk, task_id=task.id, now=decided_at,
                             calendar=calendar)
            added += result.created
        lines.append(f"{code}: {added} decided requests added.")
    return lines


def _ready_tasks(session: Session, request: ServiceRequest) -> list[Task]:
    session.flush()
    return list(session.scalars(select(Task).where(Task.request_id == request.id,
                                                   Task.status == TaskStatus.READY)
                                .order_by(Task.id)))
