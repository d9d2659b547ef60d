"""Requests through the API: submit one (as an enrolled kiosk device) and look one up."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, jsonify, request

from kiosk.api import bp
from kiosk.errors import json_error
from kiosk.extensions import db, limiter, lookup_rate_limit
from kiosk.i18n import current_language
from kiosk.receipts import signed_receipt_url
from services.codes import format_tracking_code
from services.errors import Conflict, ValidationFailed
from services.kiosks.devices import authenticate_device
from services.lookup import find_request
from services.models import Channel, Kiosk, ServiceRequest
from services.submission import Applicant, Submission, submit_request
from services.timeline import citizen_timeline

MAX_IDEMPOTENCY_KEY = 100


def _bearer_kiosk() -> Kiosk:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    return authenticate_device(db.session, token)


def _json_body() -> dict[str, Any] | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def _local_date(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo(current_app.config["CITY_TIMEZONE"])).date().isoformat()


def request_json(found: ServiceRequest, lang: str) -> dict[str, Any]:
    """What a citizen may know of their request."""
    return {
        "tracking_code": found.tracking_code,
        "tracking_code_display": format_tracking_code(found.tracking_code),
        "service": {"code": found.service_version.service.code,
                    "name": found.service_version.text("name", lang)},
        "status": found.status.value,
        "created_at": found.created_at.isoformat(),
        "expected_completion": _local_date(found.due_at),
    }


def _submission_input(body: dict[str, Any]) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    """The body's parts, or ValidationFailed naming each part of the wrong shape."""
    errors: dict[str, str] = {}
    service_code = body.get("service_code")
    if not isinstance(service_code, str) or not service_code:
        errors["service_code"] = "Required: the code of an active service."
    language = body.get("language", "id")
    if language not in ("id", "en"):
        errors["language"] = "Must be 'id' or 'en'."
    applicant = body.get("applicant")
    if not isinstance(applicant, dict):
        errors["applicant"] = "Required: an object with nik, name and phone."
        applicant = {}
    for key in ("nik", "name", "phone"):
        if not isinstance(applicant.get(key, ""), str):
            errors[f"applicant.{key}"] = "Must be a string."
    if not isinstance(body.get("notify", "none"), str):
        errors["notify"] = "Must be 'whatsapp', 'sms' or 'none'."
    answers = body.get("answers", {})
    if not isinstance(answers, dict):
        errors["answers"] = "Must be an object of field keys to answers."
    if errors:
        raise ValidationFailed("The request body is not valid.", fields=errors)
    return (service_code, language,
            {key: applicant.get(key) or "" for key in ("nik", "name", "phone")}, answers)


@bp.post("/requests")
def create_request():
    """Submit a request as an enrolled kiosk device: 201 the first time, 200 with the same body
    when a retry carries an Idempotency-Key already used (header Idempotent-Replayed: true)."""
    kiosk = _bearer_kiosk()
    if not kiosk.in_service:
        raise Conflict("This kiosk is out of service.")
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        return json_error(400, f"Idempotency-Key must be at most {MAX_IDEMPOTENCY_KEY} "
                               "printable characters.")
    body = _json_body()
    if body is None:
        return json_error(400, "The body must be a JSON object.")
    service_code, language, applicant, answers = _submission_input(body)
    result = submit_request(
        db.session,
        Submission(service_code=service_code, applicant=Applicant(**applicant), answers=answers,
                   channel=Channel.API, language=language, kiosk_id=kiosk.id,
                   idempotency_key=f"api:{kiosk.code}:{key}" if key else None,
                   actor_label=f"API {kiosk.code}", notify=body.get("notify", "none")),
        secret=current_app.config["SECRET_KEY"], tz=current_app.config["CITY_TIMEZONE"],
    )
    response = jsonify({**request_json(result.request, language), "pin": result.pin})
    if result.created:
        response.status_code = 201
    else:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.post("/requests/lookup")
@limiter.limit(lookup_rate_limit)
def lookup_request():
    """Status and timeline for a tracking code and PIN, sent in the body (never in a URL);
    a wrong code and a wrong PIN both answer 404 with the same body."""
    body = _json_body()
    if body is None:
        return json_error(400, "The body must be a JSON object.")
    code, pin = body.get("tracking_code"), body.get("pin")
    if not isinstance(code, str) or not isinstance(pin, str):
        raise ValidationFailed("tracking_code and pin are required strings.",
                               fields={"tracking_code": "Required.", "pin": "Required."})
    lang = current_language()
    found = find_request(db.session, code, pin)
    return jsonify({
        **request_json(found, lang),
        "receipt_url": signed_receipt_url(found),
        "timeline": [{"at": entry.at.isoformat(), "kind": entry.kind, "text": entry.text,
                      "note": entry.note} for entry in citizen_timeline(found, lang)],
    })
