"""Builders for the admin page tests (the signed-in administrator is conftest's admin_client)."""

from sqlalchemy import select

from services.models import AuditRecord


def audit_records(session, entity: str) -> list[AuditRecord]:
    session.expire_all()
    return list(session.scalars(
        select(AuditRecord).where(AuditRecord.entity == entity).order_by(AuditRecord.id)))
