"""The public verification page a document's QR code points at: /verify/<code>."""

from flask import Blueprint, render_template

from kiosk.extensions import db, limiter
from kiosk.i18n import current_language
from kiosk.signing import trust_roots, verification_keys
from services.documents import verify_document

bp = Blueprint("verify", __name__)


@bp.get("/verify/<code>")
@limiter.limit("60 per minute")
def verify(code: str):
    result = verify_document(db.session, verification_keys(), code[:400],
                             trust_roots=trust_roots())
    status = 404 if result.state == "invalid" else 200
    return render_template("verify/verify.html", result=result,
                           lang=current_language()), status
