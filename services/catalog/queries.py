"""Read the catalog: what citizens may apply for and who handles it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from services.catalog.search import search_services
from services.catalog.standard import has_maklumat
from services.errors import NotFound
from services.models import Agency, Category, Service, ServiceVersion


def active_services(session: Session, *, category: str | None = None,
                    search: str | None = None) -> Sequence[Service]:
    """Active services with a published version, by category and name; ``search`` finds them
    by name, description and keywords (services.catalog.search)."""
    query = (
        select(Service)
        .join(Service.current_version)
        .join(Service.category)
        .where(Service.active.is_(True))
        .options(joinedload(Service.current_version), joinedload(Service.category))
        .order_by(Category.position, ServiceVersion.name_id)
    )
    if category:
        query = query.where(Category.code == category)
    services = session.scalars(query).unique().all()
    if search:
        # A city has hundreds of services at most: matched in Python, accents and all.
        return search_services(services, search)
    return services


def active_service(session: Session, code: str) -> Service:
    """An active, published service by code, or NotFound."""
    service = session.scalar(
        select(Service).where(Service.code == code, Service.active.is_(True))
    )
    if service is None or service.current_version is None:
        raise NotFound("service.not_active", code=code)
    return service


def categories(session: Session) -> Sequence[Category]:
    """Categories that hold at least one active service."""
    query = (
        select(Category)
        .join(Service, Service.category_id == Category.id)
        .where(Service.active.is_(True), Service.current_version_id.is_not(None))
        .distinct()
        .order_by(Category.position, Category.code)
    )
    return session.scalars(query).all()


def agencies(session: Session, *, include_inactive: bool = False) -> Sequence[Agency]:
    query = select(Agency).order_by(Agency.kind, Agency.code)
    if not include_inactive:
        query = query.where(Agency.active.is_(True))
    return session.scalars(query).all()


def kiosk_maklumat(session: Session, agency_id: int | None, host_code: str) -> Agency | None:
    """The Maklumat Pelayanan an attract screen shows: its kiosk's unit's, else the host's (the
    unit that runs the MPP or the one-stop office)."""
    for agency in (session.get(Agency, agency_id) if agency_id else None,
                   session.scalar(select(Agency).where(Agency.code == host_code))):
        if agency is not None and agency.active and has_maklumat(agency):
            return agency
    return None
