"""Encryption at rest: every stored file is sealed with AES-GCM under the current key, and says
which key (by id) so older keys still open what they sealed after a rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.errors import DomainError

MAGIC = b"EKB1"
NONCE_BYTES = 12


class SealBroken(DomainError):
    """A stored file that does not open: tampered with, or sealed under an unknown key."""

    code = "berkas_broken"


@dataclass(frozen=True)
class Keyring:
    """The keys by id; the first seals, all of them open."""

    keys: tuple[tuple[str, bytes], ...]

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """``"b2:<base64 32 bytes>,b1:<...>"``, newest first."""
        keys = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            key_id, _, encoded = part.partition(":")
            key = base64.urlsafe_b64decode(encoded.encode() + b"=" * (-len(encoded) % 4))
            if not key_id or len(key_id) > 40 or len(key) != 32:
                raise ValueError("each berkas key is id:base64 of 32 bytes")
            keys.append((key_id, key))
        if not keys:
            raise ValueError("no berkas key given")
        return cls(tuple(keys))

    @classmethod
    def derived(cls, secret: str, key_id: str = "d1") -> Keyring:
        """A key derived from a secret, for the demo and tests."""
        key = hmac.new(secret.encode(), b"e-kiosk berkas at rest", hashlib.sha256).digest()
        return cls(((key_id, key),))

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def seal(self, plain: bytes, digest: str) -> bytes:
        """The sealed form: magic, key id, nonce and the ciphertext bound to the digest."""
        key_id, key = self.keys[0]
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plain, digest.encode())
        kid = key_id.encode()
        return MAGIC + bytes([len(kid)]) + kid + nonce + sealed

    def open(self, sealed: bytes, digest: str) -> bytes:
        """The plain bytes of a sealed file, checked against its digest."""
        if not sealed.startswith(MAGIC) or len(sealed) < len(MAGIC) + 1:
            raise SealBroken("berkas.broken")
        length = sealed[len(MAGIC)]
        start = len(MAGIC) + 1
        key_id = sealed[start:start + length].decode(errors="replace")
        key = dict(self.keys).get(key_id)
        if key is None:
            raise SealBroken("berkas.broken")
        nonce = sealed[start + length:start + length + NONCE_BYTES]
        try:
            plain = AESGCM(key).decrypt(nonce, sealed[start + length + NONCE_BYTES:],
                                        digest.encode())
        except InvalidTag as error:
            raise SealBroken("berkas.broken") from error
        if hashlib.sha256(plain).hexdigest() != digest:
            raise SealBroken("berkas.broken")
        return plain
