"""The yearly renewal of long-term validation: documents whose last document time-stamp nears
its TSA certificate's expiry get fresh validation data and a new time-stamp (PAdES B-LTA), so a
decision valid for years keeps validating after the certificates of its signature expire."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.documents.remote import LongTermSettings, renew_archival_timestamp
from services.models import IssuedDocument
from services.signing.decisions import timestamp_expiry

RENEW_WITHIN = timedelta(days=365)


def documents_to_restamp(session: Session, *, now: datetime,
                         within: timedelta = RENEW_WITHIN) -> list[IssuedDocument]:
    """Signed documents whose last time-stamp's TSA certificate expires within ``within``."""
    return list(session.scalars(
        select(IssuedDocument).where(IssuedDocument.signed_pdf.is_not(None),
                                     IssuedDocument.timestamp_expires_at.is_not(None),
                                     IssuedDocument.timestamp_expires_at <= now + within)
        .order_by(IssuedDocument.timestamp_expires_at, IssuedDocument.id)))


def renew_timestamps(session: Session, *, settings: LongTermSettings, now: datetime,
                     within: timedelta = RENEW_WITHIN) -> list[IssuedDocument]:
    """Re-stamp each document due for it; the file keeps its earlier revisions (and hashes), so
    a copy handed out before still checks as the issued document."""
    renewed = []
    for document in documents_to_restamp(session, now=now, within=within):
        assert document.signed_pdf is not None
        pdf = renew_archival_timestamp(document.signed_pdf, settings)
        document.earlier_sha256 = [*(document.earlier_sha256 or []), document.pdf_sha256]
        document.signed_pdf, document.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
        document.timestamped_at, document.timestamp_expires_at = now, timestamp_expiry(pdf)
        renewed.append(document)
    if renewed:
        record_audit(session, None, "restamp", "issued_document", "timestamps",
                     {"documents": [d.number for d in renewed]})
    return renewed
