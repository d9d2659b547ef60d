"""The citizen adds the information a clerk asked for: POST /requests/<code>/information."""

from flask import jsonify, request

from kiosk.api import bp
from kiosk.extensions import city_calendar, clock, db, pin_keyring, unit_of_work
from kiosk.i18n import current_language
from kiosk.messages import say
from kiosk.ratelimit import lookup_limited
from services.errors import ValidationFailed
from services.timeline import citizen_timeline
from services.workflow.citizen import supply_information


@bp.post("/requests/<tracking_code>/information")
@lookup_limited
def add_information(tracking_code: str):
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("answers", {}), dict):
        raise ValidationFailed("api.information_body")
    lang = current_language()
    with unit_of_work():
        found = supply_information(
            db.session, tracking_code, str(body.get("pin", "")), pins=pin_keyring(),
            answers=body.get("answers") or {},
            note=str(body.get("note") or "")[:2000], channel="api",
            calendar=city_calendar(), now=clock().now(),
        )
    return jsonify({
        "tracking_code": found.tracking_code,
        "status": found.status.value,
        "due_at": found.due_at.isoformat() if found.due_at else None,
        "timeline": [{"at": e.at.isoformat(), "kind": e.kind, "text": say(e.text, lang), "note": e.note}
                     for e in citizen_timeline(found, lang)],
    })
