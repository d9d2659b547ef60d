"""Builders for the admin page tests (the signed-in administrator is conftest's admin_client)."""

from sqlalchemy import select

from services.models import AuditRecord


def audit_records(session, entity: str) -> list[AuditRecord]:
    session.expire_all()
    return list(session.scalars(
        select(AuditRecord).where(AuditRecord.entity == entity).order_by(AuditRecord.id)))


def refused_new_field(client, code: str, **values: str) -> str:
    """Post a new field for ``code`` that the catalog rules refuse; the form page shown again."""
    response = client.post(f"/admin/services/{code}/fields/new", data={
        "page": "1", "show_if_field": "", "show_if_op": "eq", **values})
    assert response.status_code == 200
    return response.get_data(as_text=True)
