"""Checking any copy of a decision: a PDF someone holds (uploaded to /verify or sent to the API)
is compared with what the city issued. It says whether the signature is intact and trusted,
who signed and when, whether this very file is the issued one (the same bytes, or the issued
bytes followed only by later annotations), and whether the document was revoked."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.berkas.inspection import pdf_refusal
from services.documents.signing import display_name, outside_event_loop
from services.models import IssuedDocument

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Whether the checked file is the one the city issued.
SAME_FILE = "same_file"  # byte for byte
ANNOTATED = "annotated"  # the issued bytes, then only later annotations
NOT_ISSUED = "not_issued"  # anything else: changed, re-saved, or never issued here


@dataclass(frozen=True)
class SignerFacts:
    name: str = ""
    jabatan: str = ""
    nip: str = ""
    certificate_subject: str = ""
    certificate_issuer: str = ""
    certificate_serial: str = ""


@dataclass(frozen=True)
class CopyCheck:
    """What checking a file found; ``refusal`` (a message code) when it could not be read."""

    refusal: str = ""
    signed: bool = False
    intact: bool = False
    trusted: bool = False
    signed_at: datetime | None = None
    timestamped: bool = False
    signer: SignerFacts = field(default_factory=SignerFacts)
    issued: str = NOT_ISSUED
    document: IssuedDocument | None = None
    state: str = ""  # of the issued document: valid, revoked, expired
    revoked_category: str = ""

    @property
    def genuine(self) -> bool:
        return self.issued in (SAME_FILE, ANNOTATED) and self.intact and self.trusted


def _refused(code: str) -> CopyCheck:
    return CopyCheck(refusal=code)


def _issued_prefix(session: Session, data: bytes, ends: list[int],
                   number: str) -> tuple[IssuedDocument | None, int]:
    """The issued document whose file is ``data`` or a leading revision of it, and where that
    revision ends."""
    digests = {hashlib.sha256(data[:end]).hexdigest(): end for end in {*ends, len(data)}}
    document = session.scalar(select(IssuedDocument).where(
        IssuedDocument.pdf_sha256.in_(list(digests)), IssuedDocument.signed_at.is_not(None)))
    if document is not None:
        return document, digests[document.pdf_sha256]
    # A copy handed out before a renewal of the time-stamp: its hash is among the earlier ones
    # of a document whose current file begins with it.
    candidate = session.scalar(select(IssuedDocument).where(
        IssuedDocument.number == number, IssuedDocument.signed_at.is_not(None))) \
        if number else None
    for digest, end in sorted(digests.items(), key=lambda item: -item[1]):
        if candidate is not None and digest in (candidate.earlier_sha256 or []):
            return candidate, end
    return None, 0


def _number_in(signature: Any) -> str:
    """The document number the signature's reason names ("... Nomor 650/00012/DPUPR/2026")."""
    reason = str(signature.sig_object.get("/Reason", "")) if signature is not None else ""
    return reason.rpartition("Nomor ")[2].strip() if "Nomor " in reason else ""


def _revision_ends(data: bytes) -> list[int]:
    """Where each revision of the file ends (after each %%EOF and its line end)."""
    ends, at = [], data.find(b"%%EOF")
    while at != -1:
        end = at + 5
        while end < len(data) and data[end:end + 1] in (b"\r", b"\n"):
            end += 1
        ends.append(end)
        at = data.find(b"%%EOF", end)
    return ends


def check_copy(session: Session, data: bytes, *, trust_roots: list[Any],
               now: datetime) -> CopyCheck:
    """Check an uploaded PDF against the documents this city issued; never raises for a bad
    file: a refusal says why it could not be checked."""
    if len(data) > MAX_UPLOAD_BYTES:
        return _refused("verify.too_large")
    if b"%PDF-" not in data[:1024]:
        return _refused("verify.not_pdf")
    if pdf_refusal(data) is not None:  # the same hostile-file checks as a citizen's upload
        return _refused("verify.unreadable")
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = [s for s in reader.embedded_signatures
                      if s.sig_object.get("/Type") != "/DocTimeStamp"]
    except Exception:  # a hostile or broken file is reported, not raised
        logger.info("An uploaded PDF could not be read")
        return _refused("verify.unreadable")
    document, end = _issued_prefix(session, data, _revision_ends(data),
                                   _number_in(signatures[0] if signatures else None))
    issued = NOT_ISSUED
    if document is not None:
        issued = SAME_FILE if end == len(data) else ANNOTATED
    if not signatures:
        return CopyCheck(issued=NOT_ISSUED if issued == NOT_ISSUED else issued,
                         **_document_facts(document, now))
    signature = signatures[0]
    try:
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False,
                                    revocation_mode="soft-fail")
        status = outside_event_loop(lambda: validate_pdf_signature(signature, context))
    except Exception:  # a tampered signature container cannot even be parsed
        return CopyCheck(signed=True, issued=NOT_ISSUED, **_document_facts(None, now))
    if issued == ANNOTATED and not _only_annotations_after(reader, end):
        issued, document = NOT_ISSUED, None
    cert = status.signing_cert
    signer = SignerFacts(
        name=cert.subject.native.get("common_name", "") if cert is not None else "",
        certificate_subject=display_name(cert.subject) if cert is not None else "",
        certificate_issuer=display_name(cert.issuer) if cert is not None else "",
        certificate_serial=format(cert.serial_number, "X") if cert is not None else "")
    if document is not None:
        signer = SignerFacts(name=signer.name, jabatan=document.signer_jabatan,
                             nip=document.signer_nip,
                             certificate_subject=signer.certificate_subject,
                             certificate_issuer=signer.certificate_issuer,
                             certificate_serial=signer.certificate_serial)
    return CopyCheck(
        signed=True, intact=bool(status.intact and status.valid), trusted=bool(status.trusted),
        signed_at=(status.timestamp_validity.timestamp if status.timestamp_validity
                   else status.signer_reported_dt),
        timestamped=status.timestamp_validity is not None, signer=signer, issued=issued,
        **_document_facts(document, now))


def _only_annotations_after(reader: Any, end: int) -> bool:
    """Whether every revision after the issued bytes (which end at ``end``) only adds
    annotations: new annotation objects, /Annots arrays, and pages whose only change is their
    /Annots. (pyHanko's own difference analysis classes a comment added by a PDF reader as
    an unrecognised change, so it is checked here.)"""
    from pyhanko.pdf_utils import generic

    xrefs = reader.xrefs
    revisions = xrefs.total_revisions
    first = next((rev for rev in range(revisions)
                  if xrefs.get_startxref_for_revision(rev) >= end), None)
    if first is None or first == 0:
        return False
    before = reader.get_historical_resolver(first - 1)
    for revision in range(first, revisions):
        after = reader.get_historical_resolver(revision)
        for ref in xrefs.explicit_refs_in_revision(revision):
            new = after(ref)
            if isinstance(new, generic.DictionaryObject) and new.get("/Type") == "/Annot":
                continue
            if isinstance(new, generic.ArrayObject) and all(
                    isinstance(item, generic.IndirectObject)
                    and after(item.reference).get("/Type") == "/Annot"
                    for item in new if isinstance(item, generic.IndirectObject)):
                continue
            try:
                old = before(ref)
            except Exception:  # an object new in this revision that is not an annotation
                return False
            if _same_apart_from(old, new, {"/ModDate", "/Producer"}) and "/Producer" in new:
                continue  # the document information dictionary: a writer notes itself there
            if not (_same_apart_from(old, new, {"/Annots"}) and new.get("/Type") == "/Page"):
                return False
    return True


def _same_apart_from(old: Any, new: Any, keys: set[str]) -> bool:
    from pyhanko.pdf_utils import generic

    return (isinstance(old, generic.DictionaryObject) and isinstance(new, generic.DictionaryObject)
            and {k: v for k, v in old.items() if k not in keys}
            == {k: v for k, v in new.items() if k not in keys})


def _document_facts(document: IssuedDocument | None, now: datetime) -> dict[str, Any]:
    if document is None:
        return {"document": None}
    if document.revoked_at is not None:
        state = "revoked"
    elif document.valid_until is not None and document.valid_until < now:
        state = "expired"
    else:
        state = "valid"
    category = document.revoked_category.value if document.revoked_category else ""
    return {"document": document, "state": state, "revoked_category": category}
