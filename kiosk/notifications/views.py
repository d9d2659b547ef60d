"""The opt-out link page and the providers' inbound webhooks (a "STOP" reply opts out)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import abort, current_app, jsonify, render_template, request

from kiosk.extensions import csrf, db, limiter, unit_of_work
from kiosk.notifications import bp
from services.models import NotificationConsent
from services.outbox.notices import opt_out_by_reply, withdraw_consent
from services.outbox.worker import consent_id_from_token


def _consent(token: str) -> NotificationConsent:
    consent_id = consent_id_from_token(current_app.config["SECRET_KEY"], token[:80])
    consent = db.session.get(NotificationConsent, consent_id) if consent_id else None
    if consent is None:
        abort(404)
    return consent


@bp.route("/kabar/berhenti/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def opt_out(token: str):
    """The link at the end of every message: confirm, and no more messages are sent."""
    consent = _consent(token)
    if request.method == "POST" and consent.withdrawn_at is None:
        with unit_of_work():
            withdraw_consent(db.session, consent.id, via="link")
    return render_template("notifications/optout.html", consent=consent, token=token)


def _bearer_ok(expected: str) -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@bp.post("/hooks/sms")
@csrf.exempt
def sms_inbound():
    """The SMS gateway forwards replies here: ``{"from": "628...", "text": "STOP"}`` with the
    bearer token KIOSK_SMS_INBOUND_TOKEN."""
    if not _bearer_ok(current_app.config["SMS_INBOUND_TOKEN"]):
        return jsonify(error={"code": "unauthenticated", "message": "Bad token.",
                              "fields": {}}), 401
    body = request.get_json(silent=True) or {}
    with unit_of_work():
        stopped = opt_out_by_reply(db.session, phone=str(body.get("from", "")),
                                   text=str(body.get("text", "")), via="sms-stop")
    return jsonify(opted_out=stopped)


@bp.get("/hooks/whatsapp")
def whatsapp_verify():
    """Meta's subscription check: echo hub.challenge when the verify token matches."""
    expected = current_app.config["WHATSAPP_VERIFY_TOKEN"]
    if (request.args.get("hub.mode") == "subscribe" and expected
            and hmac.compare_digest(request.args.get("hub.verify_token", ""), expected)):
        return request.args.get("hub.challenge", ""), 200, {"Content-Type": "text/plain"}
    abort(403)


def _inbound_texts(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """(sender, text) of each text message in a WhatsApp Cloud API notification."""
    found = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            for message in (change.get("value") or {}).get("messages") or []:
                if message.get("type") == "text":
                    found.append((str(message.get("from", "")),
                                  str((message.get("text") or {}).get("body", ""))))
    return found


@bp.post("/hooks/whatsapp")
@csrf.exempt
def whatsapp_inbound():
    """Messages citizens send to the city's WhatsApp number, signed by Meta with the app
    secret (X-Hub-Signature-256); a STOP opts the sender out."""
    secret = current_app.config["WHATSAPP_APP_SECRET"]
    if not secret:
        abort(404)
    expected = "sha256=" + hmac.new(secret.encode(), request.get_data(),
                                    hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Hub-Signature-256", ""), expected):
        abort(401)
    with unit_of_work():
        stopped = sum(opt_out_by_reply(db.session, phone=sender, text=text, via="whatsapp-stop")
                      for sender, text in _inbound_texts(request.get_json(silent=True) or {}))
    return jsonify(opted_out=stopped)
