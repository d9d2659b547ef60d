"""Retention: the documents of a finished request are kept for its service's period (default 5
years), then removed by a job that logs what it removed (tracking codes and requirements, never
a citizen's data)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.berkas.files import remove_unused_blobs
from services.models import ServiceRequest, ServiceVersion, Upload

log = logging.getLogger(__name__)


def retention_cutoff(now: datetime, years: int) -> datetime:
    """The close time before which a request's documents are past ``years`` of keeping."""
    return now - timedelta(days=365 * years + years // 4)


@dataclass(frozen=True)
class RetentionResult:
    removed: list[tuple[str, str]]  # (tracking code, requirement key) of each upload removed
    digests: list[str]  # stored files no upload names any more: delete them after the commit


def remove_expired_documents(session: Session, *, now: datetime) -> RetentionResult:
    """Remove the uploads of requests closed longer ago than their service keeps them."""
    removed: list[tuple[str, str]] = []
    for years in session.scalars(select(ServiceVersion.retention_years).distinct()):
        expired = session.execute(
            select(Upload.id, ServiceRequest.tracking_code, Upload.requirement_key)
            .join(ServiceRequest, Upload.request_id == ServiceRequest.id)
            .join(ServiceVersion, ServiceRequest.service_version_id == ServiceVersion.id)
            .where(ServiceVersion.retention_years == years,
                   ServiceRequest.closed_at.is_not(None),
                   ServiceRequest.closed_at < retention_cutoff(now, years))
        ).all()
        if not expired:
            continue
        session.execute(delete(Upload).where(Upload.id.in_([row.id for row in expired])))
        for row in expired:
            log.info("retention: removed document %s of request %s (kept %s years)",
                     row.requirement_key, row.tracking_code, years)
            removed.append((row.tracking_code, row.requirement_key or ""))
    return RetentionResult(removed, remove_unused_blobs(session))
