"""The kiosk device session: a device token is exchanged once for a long-lived signed cookie
that names the kiosk and a fingerprint of its token hash, re-checked on every request so a
revoked or re-enrolled kiosk stops working at once."""

from __future__ import annotations

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from services.models import Kiosk

COOKIE = "kiosk_device"
COOKIE_MAX_AGE = 10 * 365 * 24 * 3600  # the kiosk PC keeps it until revoked
FINGERPRINT_LENGTH = 20


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kiosk-device")


def _fingerprint(kiosk: Kiosk) -> str:
    return (kiosk.token_hash or "")[:FINGERPRINT_LENGTH]


def remember_device(response: Response, kiosk: Kiosk) -> None:
    """Set the device cookie for this (just authenticated) kiosk."""
    value = _serializer().dumps({"k": kiosk.id, "f": _fingerprint(kiosk)})
    response.set_cookie(COOKIE, value, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Strict",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], path="/kiosk")


def forget_device(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/kiosk")


def device_kiosk(session: Session) -> Kiosk | None:
    """The kiosk this browser is enrolled as, or None (no cookie, bad signature, revoked)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    kiosk = session.get(Kiosk, data.get("k")) if isinstance(data, dict) else None
    if kiosk is None or kiosk.revoked_at is not None or not kiosk.token_hash:
        return None
    return kiosk if _fingerprint(kiosk) == data.get("f") else None
