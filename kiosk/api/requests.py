"""Requests through the API: submit one (as an enrolled kiosk device) and look one up."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, jsonify, request

from kiosk.api import bp
from kiosk.api_keys import calling_key
from kiosk.bank.citizen import bill_context
from kiosk.credential_guard import device_for_token
from kiosk.errors import json_error
from kiosk.extensions import city_calendar, clock, db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import answer_in, api_language, say
from kiosk.ratelimit import lookup_limited
from kiosk.receipts import signed_receipt_url
from services.catalog.cache import PublishedVersion
from services.codes import format_tracking_code
from services.errors import Conflict, Message, ValidationFailed
from services.lookup import find_request
from services.models import Channel, Kiosk, Scope, ServiceRequest
from services.submission import Applicant, Submission, submit_request
from services.timeline import citizen_timeline

MAX_IDEMPOTENCY_KEY = 100


def bearer_kiosk() -> Kiosk:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    return device_for_token(token)


def idempotency_key_header() -> str | None:
    """The Idempotency-Key header ('' when absent); None when it is sent blank, too long or
    unprintable (a blank key must not silently mean "no key")."""
    given = request.headers.get("Idempotency-Key")
    key = (given or "").strip()
    if (given is not None and not key) or len(key) > MAX_IDEMPOTENCY_KEY \
            or not key.isprintable():
        return None
    return key


def filing_body() -> tuple[str, dict[str, Any]]:
    """What a filing (a request or a complaint) sends: its Idempotency-Key ('' when none) and
    its JSON object. Either one wrong is answered 400, in the same words by both APIs."""
    key = idempotency_key_header()
    if key is None:
        language = api_language()
        refuse(json_error(400, say(Message("api.idempotency_key_invalid",
                                           {"limit": MAX_IDEMPOTENCY_KEY}), language),
                          code="idempotency_key_invalid",
                          fields={"Idempotency-Key": say("api.idempotency_key_format",
                                                         language)}))
    body = json_body()
    if body is None:
        refuse(json_error(400, "The body must be a JSON object."))
    assert body is not None and key is not None
    return key, body


def refuse(answer: tuple[Response, int]) -> NoReturn:
    """Stop the view with this error body (not reworded by the HTTP error handlers)."""
    response, status = answer
    response.status_code = status
    abort(response)


def filed_response(body: dict[str, Any], *, created: bool) -> Response:
    """201 for what was filed now; 200 with Idempotent-Replayed for a retry's first result."""
    response = jsonify(body)
    if created:
        response.status_code = 201
    else:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def json_body() -> dict[str, Any] | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def local_date(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo(current_app.config["CITY_TIMEZONE"])).date().isoformat()


def request_json(found: ServiceRequest, lang: str,
                 version: PublishedVersion | None = None) -> dict[str, Any]:
    """What a citizen may know of their request (a just-made one names its cached version)."""
    service = ({"code": version.service_code, "name": version.text("name", lang)} if version
               else {"code": found.service_version.service.code,
                     "name": found.service_version.text("name", lang)})
    return {
        "tracking_code": found.tracking_code,
        "tracking_code_display": format_tracking_code(found.tracking_code),
        "service": service,
        "status": found.status.value,
        "created_at": found.created_at.isoformat(),
        "expected_completion": local_date(found.due_at),
    }


def bill_json(found: ServiceRequest) -> dict[str, Any] | None:
    """The request's standing bill as the status page shows it, with its PDF link."""
    shown = bill_context(found)
    if shown["bill"] is None:
        return None
    slip = shown["bill"]
    return {**{key: slip[key] for key in ("number", "kind", "state", "amount", "amount_words",
                                         "rounding", "due_text", "va_number", "qris",
                                         "legal_basis", "lines")},
            "pdf_url": shown["bill_pdf_url"]}


def _submission_input(body: dict[str, Any]) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    """The body's parts, or ValidationFailed naming each part of the wrong shape."""
    errors: dict[str, str] = {}
    service_code = body.get("service_code")
    if not isinstance(service_code, str) or not service_code:
        errors["service_code"] = "api.service_code_required"
    language = body.get("language", "id")
    if language not in ("id", "en"):
        errors["language"] = "api.language_values"
    applicant = body.get("applicant")
    if not isinstance(applicant, dict):
        errors["applicant"] = "api.applicant_required"
        applicant = {}
    for key in ("nik", "name", "phone"):
        if not isinstance(applicant.get(key, ""), str):
            errors[f"applicant.{key}"] = "api.must_be_string"
    if not isinstance(body.get("notify", "none"), str):
        errors["notify"] = "api.notify_values"
    answers = body.get("answers", {})
    if not isinstance(answers, dict):
        errors["answers"] = "api.answers_object"
    if errors:
        raise ValidationFailed("api.request_body_invalid", fields=errors)
    return (service_code, language,
            {key: applicant.get(key) or "" for key in ("nik", "name", "phone")}, answers)


@bp.post("/requests")
def create_request():
    """Submit a request as an enrolled kiosk device or with an API key (X-API-Key, scope
    requests:submit): 201 the first time, 200 with the same body when a retry carries an
    Idempotency-Key already used (header Idempotent-Replayed: true)."""
    api_key = calling_key(Scope.REQUESTS_SUBMIT, required=False)
    kiosk = None if api_key else bearer_kiosk()
    if kiosk is not None and not kiosk.in_service:
        raise Conflict("kiosk.out_of_service")
    caller = f"key{api_key.id}" if api_key else kiosk.code  # type: ignore[union-attr]
    key, body = filing_body()
    service_code, language, applicant, answers = _submission_input(body)
    answer_in(language)
    with unit_of_work(keep_loaded=True):
        result = submit_request(
            db.session,
            Submission(service_code=service_code, applicant=Applicant(**applicant),
                       answers=answers, channel=Channel.API, language=language,
                       kiosk_id=kiosk.id if kiosk else None,
                       api_key_id=api_key.id if api_key else None,
                       idempotency_key=f"api:{caller}:{key}" if key else None,
                       actor_label=f"API {api_key.prefix if api_key else caller}",
                       notify=body.get("notify", "none")),
            pins=pin_keyring(), calendar=city_calendar(), now=clock().now(),
        )
    return filed_response({**request_json(result.request, language, result.version),
                           "pin": result.pin}, created=result.created)


@bp.post("/requests/lookup")
@lookup_limited
def lookup_request():
    """Status and timeline for a tracking code and PIN, sent in the body (never in a URL);
    a wrong code and a wrong PIN both answer 404 with the same body."""
    body = json_body()
    if body is None:
        return json_error(400, "The body must be a JSON object.")
    code, pin = body.get("tracking_code"), body.get("pin")
    if not isinstance(code, str) or not isinstance(pin, str):
        raise ValidationFailed("api.code_and_pin_required",
                               fields={"tracking_code": "field.required", "pin": "field.required"})
    lang = current_language()
    with unit_of_work():  # keeps an upgraded PIN hash; a right PIN forgives earlier wrong ones
        found = find_request(db.session, code, pin, pin_keyring())
    return jsonify({
        **request_json(found, lang),
        "receipt_url": signed_receipt_url(found, pin),
        "bill": bill_json(found),
        "timeline": [{"at": entry.at.isoformat(), "kind": entry.kind, "text": say(entry.text, lang),
                      "note": entry.note} for entry in citizen_timeline(found, lang)],
    })
