"""Tracking codes, PINs and device tokens: generating, checking and hashing them."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

# Crockford-style alphabet without 0/O, 1/I/L and U: nothing a citizen can misread.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8  # 30**8 ≈ 6.6e11 codes, drawn at random: not guessable, not sequential
PIN_LENGTH = 6


def check_character(body: str) -> str:
    """A weighted-sum check character over the alphabet, catching typos and swaps."""
    total = sum((index + 1) * ALPHABET.index(char) for index, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_tracking_code() -> str:
    """A random tracking code with its check character, shown as e.g. ``K7QM-4XNA-P``."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return body + check_character(body)


def normalise_tracking_code(text: str) -> str | None:
    """Read what a citizen typed (any case, dashes, spaces); None if it cannot be a code."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -")
    if len(cleaned) != CODE_LENGTH + 1 or any(ch not in ALPHABET for ch in cleaned):
        return None
    body, check = cleaned[:-1], cleaned[-1]
    return cleaned if check_character(body) == check else None


def format_tracking_code(code: str) -> str:
    """Group a code for reading aloud: K7QM-4XNA-P."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def derived_pin(secret: str, idempotency_key: str) -> str:
    """The PIN for a submission made with an idempotency key: a retry gets the same PIN back
    without the PIN ever being stored in the clear."""
    digest = hmac.new(secret.encode(), idempotency_key.encode(), hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**PIN_LENGTH).zfill(PIN_LENGTH)


def hash_pin(pin: str) -> str:
    return generate_password_hash(pin)


def pin_matches(pin_hash: str, pin: str) -> bool:
    return check_password_hash(pin_hash, pin)


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Device tokens and enrolment codes are long random strings, so SHA-256 suffices and
    lets the server find a kiosk by the hash of the token it presents."""
    return hashlib.sha256(token.encode()).hexdigest()
