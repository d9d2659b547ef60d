"""The session cookie, encrypted: a kiosk draft (NIK, name, phone, answers), a receipt's PIN
and a staff identity are kept in the cookie, where a signed-only cookie could be read by anyone
holding it. Fernet (AES-CBC + HMAC, from ``cryptography``) with keys of its own, not SECRET_KEY."""

from __future__ import annotations

import zlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature


class EncryptedSerializer:
    """What Flask's cookie session wants of a serializer: ``dumps`` and ``loads(max_age=)``."""

    def __init__(self, keys: str, serializer: Any) -> None:
        self.fernet = MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
        self.serializer = serializer

    def dumps(self, value: dict[str, Any]) -> str:
        payload = zlib.compress(self.serializer.dumps(value).encode("utf-8"))
        return self.fernet.encrypt(payload).decode("ascii")

    def loads(self, token: str, max_age: int | None = None) -> dict[str, Any]:
        try:
            payload = self.fernet.decrypt(token.encode("ascii"), ttl=max_age)
            return self.serializer.loads(zlib.decompress(payload).decode("utf-8"))
        except (InvalidToken, UnicodeError, zlib.error, ValueError) as broken:
            raise BadSignature("unreadable session cookie") from broken


class EncryptedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session with the signed payload replaced by an encrypted one."""

    def get_signing_serializer(self, app: Flask) -> Any:
        keys = app.config.get("SESSION_KEYS")
        if not keys:
            return None
        return EncryptedSerializer(keys, self.serializer)


def install_encrypted_sessions(app: Flask) -> None:
    app.session_interface = EncryptedCookieSessionInterface()
