"""SNAP calls from the city's bank: each is checked (timestamp, token, partner, signature,
replay), answered with SNAP's response code and body, and committed, refused calls' external
ids and flagged payments included."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, jsonify, request

from kiosk.bank import bp
from kiosk.bank.settings import partner_from
from kiosk.extensions import city_calendar, clock, db
from services.payments import bank_api, snap
from services.payments.bank_api import SnapCallHeaders
from services.payments.snap import SnapReply


def _answer(reply: SnapReply, body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.status_code = reply.http_status
    return response


def _headers() -> SnapCallHeaders:
    get = request.headers.get
    return SnapCallHeaders(timestamp=get("X-TIMESTAMP", ""), signature=get("X-SIGNATURE", ""),
                           partner_id=get("X-PARTNER-ID", ""),
                           external_id=get("X-EXTERNAL-ID", ""),
                           channel_id=get("CHANNEL-ID", ""),
                           authorization=get("Authorization", ""))


def _json_body() -> dict[str, Any] | None:
    try:
        body = json.loads(request.get_data() or b"null")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@bp.post("/v1.0/access-token/b2b")
def access_token() -> Response:
    body = _json_body()
    if body is None or body.get("grantType") != "client_credentials":
        return _answer(snap.MISSING_FIELD, snap.MISSING_FIELD.body(snap.SERVICE_TOKEN))
    reply, answer = bank_api.grant_token(
        partner_from(current_app.config), client_key=request.headers.get("X-CLIENT-KEY", ""),
        timestamp=request.headers.get("X-TIMESTAMP", ""),
        signature=request.headers.get("X-SIGNATURE", ""), now=clock().now())
    return _answer(reply, answer)


def _service_call(service: str, handle: Any) -> Response:
    partner = partner_from(current_app.config)
    now = clock().now()
    refused = bank_api.check_call(db.session, partner, _headers(), service=service,
                                  method=request.method, path=request.path,
                                  raw_body=request.get_data(), now=now)
    if refused is not None:
        db.session.commit()  # a refused call's external id stays seen
        current_app.logger.warning("SNAP call refused: %s %s", request.path, refused.message)
        return _answer(refused, refused.body(service))
    body = _json_body()
    if body is None:
        db.session.commit()
        return _answer(snap.MISSING_FIELD, snap.MISSING_FIELD.body(service))
    try:
        reply, answer = handle(partner, body, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return _answer(reply, answer)


@bp.post("/v1.0/transfer-va/inquiry")
def va_inquiry() -> Response:
    return _service_call(snap.SERVICE_INQUIRY, lambda partner, body, now:
                         bank_api.answer_inquiry(db.session, partner, body, now))


@bp.post("/v1.0/transfer-va/payment")
def va_payment() -> Response:
    return _service_call(snap.SERVICE_PAYMENT, lambda partner, body, now:
                         bank_api.receive_va_payment(db.session, partner, body, now=now,
                                                     calendar=city_calendar()))


@bp.post("/v1.0/qr/qr-mpm-notify")
def qris_notify() -> Response:
    return _service_call(snap.SERVICE_QR_NOTIFY, lambda partner, body, now:
                         bank_api.receive_qris_payment(db.session, body, now=now,
                                                       calendar=city_calendar()))
