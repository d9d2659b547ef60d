"""SNAP (Standar Nasional Open API Pembayaran, Bank Indonesia) request signing as the bank
and the app use it: the asymmetric signature of an access-token request, the symmetric
signature of a service call, timestamps, and the response codes. Pure functions, stdlib and
``cryptography`` only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# A call whose X-TIMESTAMP is further than this from the server's clock is refused.
TIMESTAMP_TOLERANCE = timedelta(minutes=5)
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}:\d{2}|Z)$")
_AMOUNT = re.compile(r"^(0|[1-9]\d{0,14})\.00$")

# SNAP service codes: B2B access token, VA inquiry, VA payment, QRIS MPM notify.
SERVICE_TOKEN, SERVICE_INQUIRY, SERVICE_PAYMENT, SERVICE_QR_NOTIFY = "73", "24", "25", "52"


@dataclass(frozen=True)
class SnapReply:
    """One SNAP outcome: the HTTP status and the 7-digit response code (status, service, case)."""

    http_status: int
    case: str
    message: str

    def code(self, service: str) -> str:
        return f"{self.http_status}{service}{self.case}"

    def body(self, service: str, **extra: Any) -> dict[str, Any]:
        return {"responseCode": self.code(service), "responseMessage": self.message, **extra}


SUCCESS = SnapReply(200, "00", "Successful")
BAD_TIMESTAMP = SnapReply(400, "01", "Invalid Field Format [X-TIMESTAMP]")
MISSING_FIELD = SnapReply(400, "02", "Invalid Mandatory Field")
BAD_SIGNATURE = SnapReply(401, "00", "Unauthorized. [Signature]")
BAD_TOKEN = SnapReply(401, "01", "Invalid Token (B2B)")
UNKNOWN_PARTNER = SnapReply(401, "00", "Unauthorized. [Unknown client]")
BILL_NOT_FOUND = SnapReply(404, "12", "Invalid Bill/Virtual Account [Not Found]")
INVALID_AMOUNT = SnapReply(404, "13", "Invalid Amount")
BILL_PAID = SnapReply(404, "14", "Paid Bill")
BILL_EXPIRED = SnapReply(404, "19", "Invalid Bill/Virtual Account [Expired]")
INCONSISTENT = SnapReply(404, "18", "Inconsistent Request")
DUPLICATE_EXTERNAL_ID = SnapReply(409, "00", "Conflict")


def minified(body: Any) -> str:
    """The JSON text SNAP signs: compact, no spaces."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def body_digest(raw_body: bytes) -> str:
    """Lowercase hex SHA-256 of the request body, as sent."""
    return hashlib.sha256(raw_body).hexdigest()


def service_string(method: str, path: str, token: str, raw_body: bytes, timestamp: str) -> str:
    """SNAP's string to sign for a service call: method:path:token:sha256(body):timestamp."""
    return f"{method.upper()}:{path}:{token}:{body_digest(raw_body)}:{timestamp}"


def sign_service(secret: str, method: str, path: str, token: str, raw_body: bytes,
                 timestamp: str) -> str:
    """X-SIGNATURE of a service call: base64 HMAC-SHA512 with the partner's client secret."""
    mac = hmac.new(secret.encode(), service_string(method, path, token, raw_body, timestamp)
                   .encode(), hashlib.sha512)
    return base64.b64encode(mac.digest()).decode()


def service_signature_ok(secret: str, signature: str, method: str, path: str, token: str,
                         raw_body: bytes, timestamp: str) -> bool:
    expected = sign_service(secret, method, path, token, raw_body, timestamp)
    return hmac.compare_digest(expected.encode(), (signature or "").encode())


def token_string(client_key: str, timestamp: str) -> str:
    """SNAP's string to sign for a B2B access token: client_key|timestamp."""
    return f"{client_key}|{timestamp}"


def sign_token_request(private_key_pem: bytes, client_key: str, timestamp: str) -> str:
    """X-SIGNATURE of an access-token request: base64 SHA256withRSA (PKCS#1 v1.5)."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("SNAP access tokens are signed with an RSA key")
    signed = key.sign(token_string(client_key, timestamp).encode(), padding.PKCS1v15(),
                      hashes.SHA256())
    return base64.b64encode(signed).decode()


def token_signature_ok(public_key_pem: bytes, signature: str, client_key: str,
                       timestamp: str) -> bool:
    key = serialization.load_pem_public_key(public_key_pem)
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(base64.b64decode(signature or "", validate=True),
                   token_string(client_key, timestamp).encode(), padding.PKCS1v15(),
                   hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def new_rsa_key() -> tuple[bytes, bytes]:
    """A fresh RSA key pair (private PEM, public PEM), for the demo bank and tests."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def snap_timestamp(moment: datetime, offset_hours: int = 7) -> str:
    """An X-TIMESTAMP: ISO 8601 with the offset, e.g. 2026-03-09T09:00:00+07:00."""
    from datetime import timezone

    return moment.astimezone(timezone(timedelta(hours=offset_hours))).isoformat(
        timespec="seconds")


def parse_timestamp(text: str) -> datetime | None:
    """An X-TIMESTAMP as an aware UTC datetime; None when it is not one."""
    if not text or not _TIMESTAMP.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def timestamp_fresh(text: str, now: datetime) -> bool:
    moment = parse_timestamp(text)
    return moment is not None and abs(moment - now) <= TIMESTAMP_TOLERANCE


def parse_amount(value: Any) -> int | None:
    """A SNAP amount object {"value": "1250000.00", "currency": "IDR"} as whole rupiah; None
    when it is not a rupiah amount without cents (no float is ever made)."""
    if not isinstance(value, dict) or value.get("currency") != "IDR":
        return None
    text = value.get("value")
    if not isinstance(text, str) or not _AMOUNT.match(text):
        return None
    return int(text[:-3])


def amount_object(amount: int) -> dict[str, str]:
    return {"value": f"{amount}.00", "currency": "IDR"}


TOKEN_LIFETIME = timedelta(minutes=15)


def issue_access_token(key: bytes, client_key: str, now: datetime) -> str:
    """A B2B access token the app hands a partner: its client key and expiry, MACed with the
    app's key, so no token is stored and any host can check it."""
    expires = int((now + TOKEN_LIFETIME).timestamp())
    claim = f"{client_key}|{expires}"
    mac = hmac.new(key, claim.encode(), hashlib.sha256).hexdigest()
    return base64.urlsafe_b64encode(f"{claim}|{mac}".encode()).decode().rstrip("=")


def token_client(key: bytes, token: str, now: datetime) -> str | None:
    """The client key a valid, unexpired token was issued to; None otherwise."""
    try:
        padded = token + "=" * (-len(token) % 4)
        client_key, expires, mac = base64.urlsafe_b64decode(padded.encode()).decode() \
            .rsplit("|", 2)
    except (ValueError, UnicodeDecodeError):
        return None
    claim = f"{client_key}|{expires}"
    expected = hmac.new(key, claim.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac) or not expires.isdigit():
        return None
    return client_key if int(expires) > now.timestamp() else None
