"""Tracking codes, PINs and device tokens: generating, checking and hashing them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from werkzeug.security import check_password_hash

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


PIN_HASH_SCHEME = "hmac-sha256"


def key_id(key: str) -> str:
    """A short, stable name for a PIN key, stored beside each hash so keys can rotate."""
    return hashlib.sha256(b"e-kiosk pin key id\0" + key.encode()).hexdigest()[:8]


def idempotency_digest(idempotency_key: str) -> str:
    """What the database keeps of a scoped idempotency key: enough to find a retry, never the
    key itself, so the retry PIN derived from the key cannot be rebuilt from the database."""
    return hashlib.sha256(idempotency_key.encode()).hexdigest()


@dataclass(frozen=True)
class PinKeyring:
    """The dedicated PIN keys (``KIOSK_PIN_KEY``), current first, older ones kept so hashes made
    with them still verify. Each purpose (hashing, retry PINs, sealing a PIN for the printer)
    uses its own key derived from the PIN key, never ``SECRET_KEY``."""

    keys: tuple[tuple[str, bytes], ...]

    @classmethod
    def from_secrets(cls, current: str, old: Iterable[str] = ()) -> PinKeyring:
        if not current:
            raise ValueError("a PIN key is required")
        keys = [(key_id(current), current.encode())]
        keys += [(key_id(key), key.encode()) for key in old if key and key != current]
        return cls(tuple(keys))

    @property
    def current_kid(self) -> str:
        return self.keys[0][0]

    def _key(self, kid: str) -> bytes | None:
        return next((key for known, key in self.keys if known == kid), None)

    @staticmethod
    def _mac(key: bytes, purpose: str, value: str) -> bytes:
        message = purpose.encode() + b"\0" + value.encode()
        return hmac.new(key, message, hashlib.sha256).digest()

    def hash_pin(self, pin: str) -> str:
        """``hmac-sha256$<key id>$<hex>``: keyed, so a copy of the database alone tells nothing."""
        kid, key = self.keys[0]
        return f"{PIN_HASH_SCHEME}${kid}${self._mac(key, 'pin', pin).hex()}"

    def pin_matches(self, pin_hash: str, pin: str) -> bool:
        """Constant-time check of a PIN against its stored hash; werkzeug's older scrypt and
        pbkdf2 hashes still verify (and `needs_upgrade` says to replace them)."""
        scheme, _, rest = pin_hash.partition("$")
        if scheme != PIN_HASH_SCHEME:
            return check_password_hash(pin_hash, pin)
        kid, _, digest = rest.partition("$")
        key = self._key(kid)
        # An unknown key id still costs one HMAC, so it answers as fast as a wrong PIN.
        expected = self._mac(key or self.keys[0][1], "pin", pin).hex()
        return hmac.compare_digest(expected, digest) and key is not None

    def needs_upgrade(self, pin_hash: str) -> bool:
        """True for a hash not made with the current key (an old key, or werkzeug scrypt)."""
        return not pin_hash.startswith(f"{PIN_HASH_SCHEME}${self.current_kid}$")

    def person_digest(self, purpose: str, value: str) -> str:
        """A keyed digest of a NIK or phone number: counts a person's bookings without keeping
        who they are (under the current key only)."""
        return self._mac(self.keys[0][1], purpose, value).hex()

    def derived_pins(self, idempotency_key: str) -> list[str]:
        """The PIN a submission with this (client-held) key gets, under each key, current first:
        a retry gets the same PIN back, and the database holds only the key's digest."""
        pins = []
        for _kid, key in self.keys:
            digest = self._mac(key, "retry-pin", idempotency_key)
            pins.append(str(int.from_bytes(digest[:8], "big") % 10**PIN_LENGTH).zfill(PIN_LENGTH))
        return pins

    def _pad(self, key: bytes, nonce: str) -> int:
        return int.from_bytes(self._mac(key, "seal-pin", nonce)[:8], "big") % 10**PIN_LENGTH

    def seal_pin(self, pin: str) -> str:
        """The PIN enciphered (a one-time pad per nonce) for a short stay in a print job or a
        receipt link: ``<key id>$<nonce>$<digits>``; wiped once it has served."""
        if len(pin) != PIN_LENGTH or not pin.isdigit():
            raise ValueError("not a PIN")
        kid, key = self.keys[0]
        nonce = secrets.token_hex(8)
        sealed = (int(pin) + self._pad(key, nonce)) % 10**PIN_LENGTH
        return f"{kid}${nonce}${sealed:0{PIN_LENGTH}d}"

    def open_pin(self, sealed: str) -> str | None:
        """The PIN a `seal_pin` value holds; None when it is malformed or its key is gone."""
        kid, _, rest = sealed.partition("$")
        nonce, _, digits = rest.partition("$")
        key = self._key(kid)
        if key is None or not nonce or len(digits) != PIN_LENGTH or not digits.isdigit():
            return None
        return f"{(int(digits) - self._pad(key, nonce)) % 10**PIN_LENGTH:0{PIN_LENGTH}d}"


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Device tokens and enrolment codes are long random strings, so SHA-256 suffices and
    lets the server find a kiosk by the hash of the token it presents."""
    return hashlib.sha256(token.encode()).hexdigest()
