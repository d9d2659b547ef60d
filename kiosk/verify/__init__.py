"""The public verification pages: /verify/<code>, where a document's QR code points, shows the
issued document's key facts; /verify takes a PDF someone holds and says whether it is the
document the city issued."""

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from kiosk.extensions import clock, db, limiter
from kiosk.i18n import current_language
from kiosk.messages import say
from kiosk.signing import trust_roots, verification_keys
from services.documents import verify_document
from services.documents.upload import MAX_UPLOAD_BYTES, CopyCheck, check_copy
from services.models import RevocationReason

bp = Blueprint("verify", __name__)

# The only words the public sees about why a document was revoked (the clerk's form offers these).
REVOCATION_REASON_TEXT = {
    RevocationReason.DATA_ERROR: _l("Kesalahan data pada dokumen"),
    RevocationReason.REPLACED: _l("Diganti dengan dokumen baru"),
    RevocationReason.HOLDER_REQUEST: _l("Dibatalkan atas permintaan pemegang"),
    RevocationReason.ISSUED_IN_ERROR: _l("Diterbitkan karena kekeliruan"),
}


def revoked_because(category: str):  # type: ignore[no-untyped-def]
    return REVOCATION_REASON_TEXT.get(RevocationReason(category)) if category else None


@bp.get("/verify/<code>")
@limiter.limit("60 per minute")
def verify(code: str):
    result = verify_document(db.session, verification_keys(), code[:400],
                             trust_roots=trust_roots())
    status = 404 if result.state == "invalid" else 200
    return render_template("verify/verify.html", result=result, lang=current_language(),
                           revoked_because=revoked_because(result.revoked_category)), status


def uploaded_pdf() -> bytes | None:
    """The uploaded file's bytes (form field ``file``, or an application/pdf body), read no
    further than the limit: None when nothing was sent."""
    upload = request.files.get("file")
    stream = upload.stream if upload is not None and upload.filename else None
    if stream is None and request.mimetype == "application/pdf":
        stream = request.stream
    if stream is None:
        return None
    return stream.read(MAX_UPLOAD_BYTES + 1)


def check_upload(data: bytes) -> CopyCheck:
    return check_copy(db.session, data, trust_roots=trust_roots(), now=clock().now())


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def verify_upload():
    if request.method == "GET":
        return render_template("verify/upload.html", result=None)
    data = uploaded_pdf()
    result = check_upload(data) if data else CopyCheck(refusal="verify.no_file")
    status = 422 if result.refusal else 200
    return render_template("verify/upload.html", result=result, lang=current_language(),
                           refusal_text=say(result.refusal) if result.refusal else "",
                           revoked_because=revoked_because(result.revoked_category)), status
