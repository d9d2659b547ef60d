"""The public verification page a document's QR code points at: /verify/<code>."""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from kiosk.extensions import db, limiter
from kiosk.i18n import current_language
from kiosk.signing import trust_roots, verification_keys
from services.documents import verify_document
from services.models import RevocationReason

bp = Blueprint("verify", __name__)

# The only words the public sees about why a document was revoked (the clerk's form offers these).
REVOCATION_REASON_TEXT = {
    RevocationReason.DATA_ERROR: _l("Kesalahan data pada dokumen"),
    RevocationReason.REPLACED: _l("Diganti dengan dokumen baru"),
    RevocationReason.HOLDER_REQUEST: _l("Dibatalkan atas permintaan pemegang"),
    RevocationReason.ISSUED_IN_ERROR: _l("Diterbitkan karena kekeliruan"),
}


@bp.get("/verify/<code>")
@limiter.limit("60 per minute")
def verify(code: str):
    result = verify_document(db.session, verification_keys(), code[:400],
                             trust_roots=trust_roots())
    status = 404 if result.state == "invalid" else 200
    category = RevocationReason(result.revoked_category) if result.revoked_category else None
    return render_template("verify/verify.html", result=result, lang=current_language(),
                           revoked_because=REVOCATION_REASON_TEXT.get(category)), status
