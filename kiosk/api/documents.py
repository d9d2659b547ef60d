"""Checking a document file for another system: POST /documents/verify (stateless: nothing is
stored) says what /verify says, as JSON."""

from flask import jsonify

from kiosk.api import bp
from kiosk.errors import api_error
from kiosk.extensions import limiter
from kiosk.messages import api_language, say
from kiosk.verify import check_upload, uploaded_pdf


@bp.post("/documents/verify")
@limiter.limit("20 per minute")
def verify_document_file():
    data = uploaded_pdf()
    if not data:
        return api_error(422, say("verify.no_file", api_language()), code="verify.no_file")
    result = check_upload(data)
    if result.refusal:
        return api_error(422, say(result.refusal, api_language()), code=result.refusal)
    document = result.document
    return jsonify({
        "issued": result.issued,
        "genuine": result.genuine,
        "signature": {
            "signed": result.signed, "intact": result.intact, "trusted": result.trusted,
            "signed_at": result.signed_at.isoformat() if result.signed_at else None,
            "timestamped": result.timestamped,
            "signer": {"name": result.signer.name, "jabatan": result.signer.jabatan,
                       "nip": result.signer.nip,
                       "certificate_subject": result.signer.certificate_subject,
                       "certificate_issuer": result.signer.certificate_issuer,
                       "certificate_serial": result.signer.certificate_serial},
        },
        "document": None if document is None else {
            "number": document.number, "state": result.state,
            "revoked_category": result.revoked_category or None,
            "valid_until": document.valid_until.isoformat() if document.valid_until else None,
        },
    })
