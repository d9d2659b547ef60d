"""The product of a request: its issued document, signed verification codes and revocation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.clock import utcnow
from services.documents.signing import (
    SignatureCheck,
    SigningIdentity,
    check_pdf_signature,
    sign_pdf,
    signer_name,
)
from services.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from services.models import (
    Agency,
    IssuedDocument,
    RequestStatus,
    RevocationReason,
    Role,
    ServiceRequest,
    User,
)
from services.privacy import mask_name, mask_nik
from services.workflow.access import request_for_staff
from services.workflow.history import record_event
from services.workflow.locks import lock_request
from services.working_days import local_day

SALT = "e-kiosk-document-verification"


def document_number(request: ServiceRequest, agency: Agency, issued_at: datetime, tz: str) -> str:
    """A readable, unique number: agency / service / year / request number."""
    service = request.service_version.service.code
    return f"{agency.code}/{service}/{local_day(issued_at, tz).year}/{request.id:07d}"


def issue_document(session: Session, request: ServiceRequest, *, agency: Agency,
                   now: datetime, tz: str) -> IssuedDocument:
    """Record the document an approved request yields (the PDF is drawn from this record)."""
    validity = request.service_version.product_validity_days
    document = IssuedDocument(
        request=request, number=document_number(request, agency, now, tz), agency=agency,
        issued_at=now, valid_until=now + timedelta(days=validity) if validity else None,
    )
    session.add(document)
    return document


def document_for_request(session: Session, request: ServiceRequest) -> IssuedDocument:
    document = session.scalar(select(IssuedDocument).where(IssuedDocument.request_id == request.id))
    if document is None:
        raise NotFound("document.none_issued")
    return document


KEY_SEPARATOR = "~"


@dataclass(frozen=True)
class VerificationKeys:
    """The keys that sign verification codes, by key id: new codes use ``current``; every key
    listed still checks the codes it signed, so a rotation keeps issued documents verifiable.
    ``legacy`` is the key of codes made before key ids (they carry none)."""

    current: str
    keys: Mapping[str, str]
    legacy: str = ""

    @classmethod
    def parse(cls, text: str, legacy: str = "") -> VerificationKeys:
        """ "2026b:secret-b,2026a:secret-a": the first pair is the current key."""
        pairs = [item.split(":", 1) for item in text.split(",") if item.strip()]
        if not pairs or any(len(pair) != 2 or not pair[0].strip() or not pair[1].strip()
                            or KEY_SEPARATOR in pair[0] for pair in pairs):
            raise ValueError("Write verification keys as id:secret,id:secret (current first).")
        keys = {kid.strip(): secret.strip() for kid, secret in pairs}
        return cls(current=pairs[0][0].strip(), keys=keys, legacy=legacy)

    def serializer(self, kid: str) -> URLSafeSerializer:
        return URLSafeSerializer(self.keys[kid], salt=SALT)


def verification_code(keys: VerificationKeys, document: IssuedDocument) -> str:
    """A signed code naming the document and the key that signed it; altering any character
    breaks the signature."""
    return f"{keys.current}{KEY_SEPARATOR}{keys.serializer(keys.current).dumps(document.number)}"


def _document_number(keys: VerificationKeys, code: str) -> str | None:
    kid, separator, token = code.partition(KEY_SEPARATOR)
    try:
        if separator:
            if kid not in keys.keys:
                return None
            return str(keys.serializer(kid).loads(token))
        if keys.legacy:  # a code from before key ids
            return str(URLSafeSerializer(keys.legacy, salt=SALT).loads(code))
    except BadSignature:
        return None
    return None


def verification_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{code}"


@dataclass(frozen=True)
class Verification:
    state: str  # valid, revoked, expired, invalid
    number: str = ""
    holder: str = ""
    holder_nik: str = ""
    service_id: str = ""
    service_en: str = ""
    agency_id: str = ""
    agency_en: str = ""
    issued_at: datetime | None = None
    valid_until: datetime | None = None
    revoked_at: datetime | None = None
    # One of RevocationReason's values: the free-text reason never leaves the agency.
    revoked_category: str = ""
    signer: str = ""
    signature: SignatureCheck | None = None
    # A signed decision's jabatan of the signer and its product facts (holder lines left out:
    # the holder shows masked above).
    signer_jabatan: str = ""
    facts: tuple[tuple[str, str], ...] = ()


HOLDER_FACTS = frozenset({"Nama", "NIK"})


def verify_document(session: Session, keys: VerificationKeys, code: str,
                    now: datetime | None = None,
                    trust_roots: list[Any] | None = None) -> Verification:
    """What the public verification page shows: the state, the holder masked, and for a
    signed document its signer and whether the signature of the stored copy is intact."""
    number = _document_number(keys, code)
    if number is None:
        return Verification(state="invalid")
    document = session.scalar(select(IssuedDocument).where(IssuedDocument.number == number))
    if document is None or (document.content is not None and document.signed_at is None):
        return Verification(state="invalid")  # unknown, or a draft not yet signed
    now = now or utcnow()
    if document.revoked_at is not None:
        state = "revoked"
    elif document.valid_until is not None and document.valid_until < now:
        state = "expired"
    else:
        state = "valid"
    request, version = document.request, document.request.service_version
    return Verification(
        state=state, number=document.number, holder=mask_name(request.applicant_name),
        holder_nik=mask_nik(request.applicant_nik), service_id=version.name_id,
        service_en=version.name_en, agency_id=document.agency.name_id,
        agency_en=document.agency.name_en, issued_at=document.issued_at,
        valid_until=document.valid_until, revoked_at=document.revoked_at,
        revoked_category=document.revoked_category.value if document.revoked_category else "",
        signer=document.signer,
        signature=check_pdf_signature(document.signed_pdf, trust_roots or [])
        if document.signed_pdf else None,
        signer_jabatan=document.signer_jabatan,
        facts=tuple((str(label), str(value)) for label, value in
                    (document.content or {}).get("facts", []) if label not in HOLDER_FACTS),
    )


def document_file(document: IssuedDocument, *, render: Callable[[bool], bytes],
                  identity: SigningIdentity | None, location: str) -> bytes:
    """The document's PDF: signed (PAdES) once with the city's certificate and kept, so every
    download is the same signed file; without a certificate, an unsigned PDF that does not
    claim to need no wet signature. ``render(signed)`` draws the PDF."""
    if document.signed_pdf is not None:
        return document.signed_pdf
    if identity is None:
        return render(False)
    document.signed_pdf = sign_pdf(render(True), identity, reason=f"Dokumen {document.number}",
                                   location=location)
    document.signer = signer_name(identity)[:300]
    return document.signed_pdf


def may_revoke(actor: User, document: IssuedDocument) -> bool:
    """Only a supervisor of the agency that issued a document may revoke it."""
    return actor.role is Role.SUPERVISOR and actor.agency_id == document.agency_id


def revoke_document(session: Session, *, actor: User, tracking_code: str,
                    category: RevocationReason | str, reason: str,
                    now: datetime | None = None) -> IssuedDocument:
    """A supervisor of the issuing agency revokes its document: the public sees the category,
    the free-text reason stays inside the agency's history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("document.reason_needed", fields={"reason": "document.reason_needed"})
    try:
        category = RevocationReason(category)
    except ValueError as unknown:
        raise ValidationFailed("document.category_needed",
                               fields={"category": "document.category_needed"}) from unknown
    now = now or utcnow()
    request = lock_request(session, request_for_staff(session, actor, tracking_code).id)
    if request.status not in (RequestStatus.APPROVED, RequestStatus.COMPLETED):
        raise NotFound("document.none_issued")
    document = document_for_request(session, request)
    if not may_revoke(actor, document):
        raise NotAllowed("document.revoke_supervisor_only")
    if document.revoked_at is not None:
        raise Conflict("document.already_revoked")
    document.revoked_at, document.revoked_by_id = now, actor.id
    document.revoked_reason, document.revoked_category = reason, category
    record_event(session, request, "document_revoked", now=now, from_status=request.status,
                 actor=actor, agency=actor.agency, note=reason,
                 data={"document_number": document.number, "category": category.value})
    return document
