"""Write the administrators' audit trail, in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.models import AuditRecord, User


def record_audit(
    session: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_key: str,
    changes: dict[str, Any],
) -> AuditRecord:
    record = AuditRecord(
        actor_id=actor.id if actor else None,
        action=action,
        entity=entity,
        entity_key=entity_key,
        changes=changes,
    )
    session.add(record)
    return record
