"""Complaints through the API: file one (as an enrolled kiosk device, like /requests), look one
up and rate its answer by code and PIN, and read the public board and the categories."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from kiosk.api import bp
from kiosk.api.requests import (
    bearer_kiosk,
    filed_response,
    filing_body,
    json_body,
    local_date,
)
from kiosk.extensions import city_calendar, clock, db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import answer_in, say
from kiosk.ratelimit import lookup_limited
from services.codes import format_tracking_code
from services.complaints.categories import active_categories
from services.complaints.citizen import rate_answer
from services.complaints.filing import ComplaintInput, file_complaint, find_complaint
from services.complaints.history import ComplaintTimelineEntry, complaint_timeline
from services.complaints.read_models import AnswerView, BoardFilter, complaint_figures, public_board
from services.errors import Conflict, ValidationFailed
from services.models import Channel, Complaint


def _timeline(entries: list[ComplaintTimelineEntry]) -> list[dict[str, Any]]:
    return [{"at": e.at.isoformat(), "kind": e.kind, "text": say(e.text), "note": e.note}
            for e in entries]


def _answer(answer: AnswerView) -> dict[str, Any]:
    return {"agency": {"code": answer.agency_code, "name": answer.agency_name},
            "state": answer.state.value, "due_date": local_date(answer.due_at),
            "overdue": answer.overdue_since is not None, "answer": answer.answer or None,
            "answered_at": answer.answered_at.isoformat() if answer.answered_at else None}


def complaint_json(complaint: Complaint, lang: str) -> dict[str, Any]:
    """What the citizen may know of their own complaint (never their identity: not needed)."""
    return {
        "tracking_code": complaint.tracking_code,
        "tracking_code_display": format_tracking_code(complaint.tracking_code),
        "category": {"code": complaint.category.code, "name": complaint.category.name(lang)},
        "privacy": complaint.privacy.value,
        "status": complaint.status.value,
        "created_at": complaint.created_at.isoformat(),
        "forward_due_date": local_date(complaint.forward_due_at),
        "confirm_due_date": local_date(complaint.confirm_due_at),
        "rating": complaint.rating,
        "resolved": complaint.resolved,
        "status_url": url_for("complaints.status", code=format_tracking_code(
            complaint.tracking_code), _external=True),
    }


def _filing_input(body: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for key in ("category", "description", "privacy"):
        if not isinstance(body.get(key), str) or not body[key]:
            errors[key] = "api.string_required"
    if not isinstance(body.get("location", ""), str):
        errors["location"] = "api.must_be_string"
    language = body.get("language", "id")
    if language not in ("id", "en"):
        errors["language"] = "api.language_values"
    if not isinstance(body.get("notify", "none"), str):
        errors["notify"] = "api.notify_values"
    complainant = body.get("complainant") or {}
    if not isinstance(complainant, dict) or not all(
            isinstance(complainant.get(k, ""), str) for k in ("nik", "name", "phone")):
        errors["complainant"] = "api.complainant_object"
        complainant = {}
    photos = body.get("photos", [])
    if not isinstance(photos, list) or not all(isinstance(p, str) for p in photos):
        errors["photos"] = "api.photos_list"
        photos = []
    if errors:
        raise ValidationFailed("api.complaint_body_invalid", fields=errors)
    return {"category_code": body["category"], "description": body["description"],
            "privacy": body["privacy"], "location": body.get("location", ""),
            "language": language, "notify": body.get("notify", "none"),
            "photos": tuple(photos),
            **{key: complainant.get(key, "") for key in ("nik", "name", "phone")}}


@bp.post("/complaints")
def create_complaint():
    """File a complaint as an enrolled kiosk device: 201 the first time, 200 with the same
    body (Idempotent-Replayed: true) for a retry with the same Idempotency-Key."""
    kiosk = bearer_kiosk()
    if not kiosk.in_service:
        raise Conflict("kiosk.out_of_service")
    key, body = filing_body()
    fields = _filing_input(body)
    answer_in(fields["language"])
    with unit_of_work(keep_loaded=True):
        result = file_complaint(
            db.session,
            ComplaintInput(**fields, channel=Channel.API, kiosk_id=kiosk.id,
                           idempotency_key=f"api:{kiosk.code}:{key}" if key else None,
                           actor_label=f"API {kiosk.code}"),
            pins=pin_keyring(), calendar=city_calendar(), now=clock().now())
    return filed_response({**complaint_json(result.complaint, fields["language"]),
                           "pin": result.pin}, created=result.created)


def _code_and_pin(body: dict[str, Any] | None) -> tuple[str, str]:
    if body is None or not isinstance(body.get("tracking_code"), str) \
            or not isinstance(body.get("pin"), str):
        raise ValidationFailed("api.code_and_pin_required",
                               fields={"tracking_code": "field.required", "pin": "field.required"})
    return body["tracking_code"], body["pin"]


def _citizen_answer(complaint: Complaint, lang: str) -> dict[str, Any]:
    return {**complaint_json(complaint, lang), "description": complaint.description,
            "answers": [{"agency": {"code": f.agency.code, "name": f.agency.name(lang)},
                         "state": f.state.value, "due_date": local_date(f.due_at),
                         "answer": f.answer or None,
                         "answered_at": f.answered_at.isoformat() if f.answered_at else None}
                        for f in complaint.forwardings],
            "timeline": _timeline(complaint_timeline(complaint, lang))}


@bp.post("/complaints/lookup")
@lookup_limited
def lookup_complaint():
    """The complaint, its answers and timeline for a code and PIN sent in the body; a wrong
    code and a wrong PIN both answer 404 alike."""
    code, pin = _code_and_pin(json_body())
    lang = current_language()
    return jsonify(_citizen_answer(find_complaint(db.session, code, pin, pin_keyring()), lang))


@bp.post("/complaints/rating")
@lookup_limited
def rate_complaint():
    """{tracking_code, pin, rating 1-5, resolved true|false, reason}: the citizen's word."""
    body = json_body()
    code, pin = _code_and_pin(body)
    assert body is not None
    if not isinstance(body.get("resolved"), bool):
        raise ValidationFailed("api.resolved_boolean", fields={"resolved": "api.true_or_false"})
    with unit_of_work(keep_loaded=True):
        complaint = find_complaint(db.session, code, pin, pin_keyring())
        rate_answer(db.session, complaint, rating=body.get("rating"),  # type: ignore[arg-type]
                    resolved=body["resolved"], reason=str(body.get("reason") or ""),
                    now=clock().now())
    return jsonify(_citizen_answer(complaint, current_language()))


@bp.get("/complaints")
def complaint_board():
    """The public board: published complaints only, with the coordinator's redacted text."""
    # Here, not at the top: importing the complaints package there would import this module.
    from kiosk.complaints.labels import complainant_text

    lang = current_language()
    filters = BoardFilter(agency=request.args.get("agency") or None,
                          category=request.args.get("category") or None,
                          status=request.args.get("status") or None)
    return jsonify({"complaints": [
        {"tracking_code": item.tracking_code, "category": item.category,
         "status": item.status.value, "complainant": complainant_text(item.complainant),
         "text": item.text,
         "created_at": item.created_at.isoformat(),
         "forward_due_date": local_date(item.forward_due_at),
         "answers": [_answer(a) for a in item.answers], "timeline": _timeline(item.timeline)}
        for item in public_board(db.session, filters, lang)]})


@bp.get("/complaints/categories")
def complaint_categories():
    lang = current_language()
    return jsonify({"categories": [
        {"code": c.code, "name": c.name(lang), "forward_days": c.forward_days,
         "answer_days": c.answer_days,
         "default_agency": c.default_agency.code if c.default_agency else None}
        for c in active_categories(db.session)]})


@bp.get("/complaints/figures")
def complaint_counts():
    """What the command center counts (no personal data)."""
    return jsonify(complaint_figures(db.session))
