"""Documents through the API: upload a file (multipart) for an upload id, then name the id
among the answers of POST /api/v1/requests under the requirement's key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, request
from sqlalchemy.orm import Session

from kiosk.api import bp
from kiosk.api.requests import bearer_kiosk
from kiosk.api_keys import calling_key
from kiosk.berkas import berkas
from kiosk.extensions import clock, db, takes_files, unit_of_work
from services.berkas.files import UPLOAD_TTL, receive_upload
from services.catalog.cache import published_catalog
from services.catalog.requirements import Requirement
from services.errors import Conflict, ValidationFailed
from services.models import Scope, Upload


def upload_json(upload: Upload) -> dict[str, Any]:
    return {"upload_id": upload.token, "filename": upload.filename,
            "media_type": upload.media_type, "size": upload.size, "pages": upload.pages,
            "requirement": upload.requirement_key,
            "expires_at": (upload.uploaded_at + UPLOAD_TTL).isoformat()}


def requirement_named(session: Session, service_code: str, key: str) -> Requirement | None:
    """The document requirement a multipart upload names (both parts optional)."""
    if not service_code and not key:
        return None
    version = published_catalog.for_submission(session, service_code).version
    for requirement in version.requirements:
        if requirement.key == key and requirement.asks_a_file:
            return requirement
    raise ValidationFailed("berkas.not_asked", fields={"requirement": "berkas.not_asked"})


def received_file(source: str, now: datetime) -> Upload:
    """Check and store the request's ``file`` part for the requirement its form parts name."""
    file = request.files.get("file")
    if file is None:
        raise ValidationFailed("berkas.empty", fields={"file": "berkas.empty"})
    requirement = requirement_named(db.session, request.form.get("service_code", ""),
                                    request.form.get("requirement", ""))
    return receive_upload(db.session, berkas(), data=file.read(),
                          filename=file.filename or "", source=source, now=now,
                          requirement=requirement)


@bp.post("/uploads")
@takes_files
def create_upload():
    """Upload one document as a kiosk device or with an API key (scope requests:submit):
    201 with its upload id, to name in a request's answers within a day."""
    api_key = calling_key(Scope.REQUESTS_SUBMIT, required=False)
    kiosk = None if api_key else bearer_kiosk()
    if kiosk is not None and not kiosk.in_service:
        raise Conflict("kiosk.out_of_service")
    source = f"api:{api_key.id}" if api_key else f"kiosk:{kiosk.code}"  # type: ignore[union-attr]
    with unit_of_work(keep_loaded=True):
        upload = received_file(source, clock().now())
    response = jsonify(upload_json(upload))
    response.status_code = 201
    return response
