"""Fixtures for the admin page tests: a signed-in administrator on a small catalog."""

import pytest
from sqlalchemy import select

from services.models import AuditRecord, Role
from tests.builders import login, make_catalog, make_user


@pytest.fixture
def admin_client(client, app_session):
    """A test client signed in as an administrator, with the builders' small catalog."""
    make_catalog(app_session)
    make_user(app_session, "boss", Role.ADMIN)
    login(client, "boss")
    return client


def audit_records(session, entity: str) -> list[AuditRecord]:
    session.expire_all()
    return list(session.scalars(
        select(AuditRecord).where(AuditRecord.entity == entity).order_by(AuditRecord.id)))
