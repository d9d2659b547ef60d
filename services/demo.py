"""The Kota Contoh demonstration data: catalog, staff accounts and a kiosk."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts import UserInput, create_user
from services.apikeys import ensure_demo_api_key
from services.catalog.transfer import import_catalog, read_catalog_file
from services.complaints.categories import import_complaint_categories, read_categories_file
from services.kiosks.devices import ensure_demo_kiosk
from services.models import Role, User

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
