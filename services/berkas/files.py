"""Uploads: a file checked and stored (sealed, by its digest) first on its own, then linked to
its request or complaint in the transaction of the answer that names it; read back only through
the access rules; loose uploads of drafts never submitted removed after a day."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.berkas.inspection import inspect_upload
from services.berkas.sealing import Keyring
from services.berkas.storage import BlobStore
from services.catalog.requirements import (
    MAX_MB,
    MEDIA_TYPES,
    REQUEST_MAX_MB,
    Requirement,
    documents_asked,
)
from services.errors import Message, NotFound, ValidationFailed
from services.models import ServiceRequest, StoredBlob, Upload

log = logging.getLogger(__name__)

# A loose upload (its draft never submitted) is removed after this long.
UPLOAD_TTL = timedelta(days=1)
ALL_MEDIA_TYPES = tuple(MEDIA_TYPES.values())


@dataclass(frozen=True)
class Berkas:
    """The storage seam, built once by the app: where sealed files go and the keys."""

    store: BlobStore
    keyring: Keyring


def new_upload_token() -> str:
    return "upl_" + secrets.token_urlsafe(18)


def receive_upload(session: Session, berkas: Berkas, *, data: bytes, filename: str,
                   source: str, now: datetime, requirement: Requirement | None = None) -> Upload:
    """Check a file as hostile, store its cleaned bytes sealed under their digest (once, however
    often it comes) and record a loose upload; a refused file leaves nothing behind."""
    accepted = requirement.media_types if requirement else ALL_MEDIA_TYPES
    limit = requirement.max_bytes if requirement else MAX_MB * 1024 * 1024
    inspected = inspect_upload(data, accepted=accepted, max_bytes=limit)
    digest = hashlib.sha256(inspected.data).hexdigest()
    blob = _stored_blob(session, berkas, digest, inspected.data, inspected.media_type, now)
    upload = Upload(token=new_upload_token(), blob=blob, filename=_safe_name(filename),
                    media_type=inspected.media_type, size=len(inspected.data),
                    pages=inspected.pages, source=source[:60], uploaded_at=now,
                    requirement_key=requirement.key if requirement else None)
    session.add(upload)
    session.flush()
    return upload


def _safe_name(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200]


def _stored_blob(session: Session, berkas: Berkas, digest: str, data: bytes, media_type: str,
                 now: datetime) -> StoredBlob:
    blob = session.scalar(select(StoredBlob).where(StoredBlob.digest == digest))
    if blob is not None:
        if not berkas.store.exists(digest):  # removed meanwhile: store it again
            berkas.store.put(digest, berkas.keyring.seal(data, digest))
        return blob
    berkas.store.put(digest, berkas.keyring.seal(data, digest))
    blob = StoredBlob(digest=digest, size=len(data), media_type=media_type,
                      key_id=berkas.keyring.current_id, created_at=now)
    try:
        with session.begin_nested():
            session.add(blob)
    except IntegrityError:  # the same content arrived at the same moment
        blob = session.scalar(select(StoredBlob).where(StoredBlob.digest == digest))
        assert blob is not None
    return blob


def read_upload(berkas: Berkas, upload: Upload) -> bytes:
    """The plain bytes of an upload (callers have checked who may see them)."""
    return berkas.keyring.open(berkas.store.get(upload.blob.digest), upload.blob.digest)


Documents = Mapping[str, Sequence[str]]


def document_keys(requirements: Iterable[Requirement]) -> set[str]:
    return {r.key for r in requirements if r.asks_a_file}


def split_documents(requirements: Iterable[Requirement],
                    answers: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The answers without the documents, and the documents: a requirement's key among the
    answers names its upload ids (one id, or a list)."""
    keys = document_keys(requirements)
    plain = {k: v for k, v in answers.items() if k not in keys}
    documents = {k: ([v] if isinstance(v, str) else [str(i) for i in v or []])
                 for k, v in answers.items() if k in keys}
    return plain, documents


def loose_uploads(session: Session, documents: Documents, *, now: datetime,
                  lock: bool = True) -> dict[str, list[Upload]]:
    """The uploads the documents name, still loose and fresh, by requirement key; a missing,
    taken or stale one is a field error of its key."""
    tokens = {token for ids in documents.values() for token in ids}
    query = select(Upload).where(Upload.token.in_(tokens), Upload.request_id.is_(None),
                                 Upload.complaint_id.is_(None),
                                 Upload.uploaded_at > now - UPLOAD_TTL)
    if lock:
        query = query.with_for_update()
    found = {u.token: u for u in session.scalars(query)} if tokens else {}
    errors = {f"documents.{key}": Message("berkas.no_such_upload")
              for key, ids in documents.items() if any(token not in found for token in ids)}
    if errors:
        raise ValidationFailed("answers.need_fixing", fields=errors)
    return {key: [found[token] for token in ids] for key, ids in documents.items()}


def check_documents(requirements: Sequence[Requirement], answers: Mapping[str, Any],
                    uploads: Mapping[str, list[Upload]], *,
                    already: int = 0) -> dict[str, Message]:
    """Field errors for documents that these answers do not ask for, or that break their
    requirement's formats and limits, or the request's total size (``already`` bytes kept)."""
    asked = {r.key: r for r in documents_asked(requirements, answers)}
    errors: dict[str, Message] = {}
    total = already
    for key, items in uploads.items():
        requirement = asked.get(key)
        if requirement is None:
            errors[f"documents.{key}"] = Message("berkas.not_asked")
            continue
        if len(items) > requirement.max_files:
            errors[f"documents.{key}"] = Message("berkas.too_many_files",
                                                 {"max_files": requirement.max_files})
        elif any(u.media_type not in requirement.media_types for u in items):
            errors[f"documents.{key}"] = Message("berkas.type_not_accepted")
        elif any(u.size > requirement.max_bytes for u in items):
            errors[f"documents.{key}"] = Message("berkas.too_large",
                                                 {"max_mb": requirement.max_mb})
        total += sum(u.size for u in items)
    if total > REQUEST_MAX_MB * 1024 * 1024:
        errors.setdefault("documents", Message("berkas.request_too_large",
                                               {"max_mb": REQUEST_MAX_MB}))
    return errors


def link_to_request(request: ServiceRequest, uploads: Mapping[str, list[Upload]],
                    now: datetime) -> None:
    """Tie the uploads to the request (in the submission's transaction)."""
    for key, items in uploads.items():
        for upload in items:
            upload.request = request
            upload.requirement_key = key
            upload.linked_at = now


def current_documents(session: Session, request: ServiceRequest) -> dict[str, list[Upload]]:
    """The request's documents in force (not replaced), by requirement key."""
    by_key: dict[str, list[Upload]] = {}
    for upload in session.scalars(select(Upload).where(Upload.request_id == request.id,
                                                       Upload.replaced_at.is_(None))
                                  .order_by(Upload.id)):
        by_key.setdefault(upload.requirement_key or "", []).append(upload)
    return by_key


def upload_of_request(session: Session, request: ServiceRequest, token: str) -> Upload:
    upload = session.scalar(select(Upload).where(Upload.token == token,
                                                 Upload.request_id == request.id))
    if upload is None:
        raise NotFound("berkas.no_such_upload")
    return upload


def remove_loose_uploads(session: Session, *, now: datetime) -> list[str]:
    """Remove the uploads of drafts never submitted, a day old, and the stored files no upload
    names any more; return the digests whose sealed bytes the caller deletes from the store
    after committing."""
    session.execute(delete(Upload).where(Upload.request_id.is_(None),
                                         Upload.complaint_id.is_(None),
                                         Upload.uploaded_at <= now - UPLOAD_TTL))
    return remove_unused_blobs(session)


def remove_unused_blobs(session: Session) -> list[str]:
    """Delete the rows of stored files no upload names; return their digests."""
    used = exists().where(Upload.blob_id == StoredBlob.id)
    unused = list(session.scalars(select(StoredBlob).where(~used).with_for_update()))
    for blob in unused:
        session.delete(blob)
    session.flush()
    return [blob.digest for blob in unused]


def delete_from_store(berkas: Berkas, digests: Iterable[str]) -> int:
    """Delete sealed files after the transaction that dropped their rows committed."""
    count = 0
    for digest in digests:
        berkas.store.delete(digest)
        count += 1
    return count
