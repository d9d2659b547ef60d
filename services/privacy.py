"""Masking of personal data for lists, logs and receipts."""

from __future__ import annotations

import json
import re
from contextvars import ContextVar

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+?62|0)8\d{7,11}(?!\d)")


def mask_nik(nik: str) -> str:
    """Keep the region code and the last two digits: 3578************01."""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 6) + nik[-2:]


def mask_phone(phone: str) -> str:
    """Keep the operator prefix and the last three digits: 0812*****789."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:4] + "*" * (len(phone) - 7) + phone[-3:]


def mask_name(name: str) -> str:
    """Keep each word's first letter: Siti Aminah -> S*** A*****."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in name.split())


def mask_personal_data(text: str) -> str:
    """Replace anything shaped like a NIK or a phone number in free text."""
    return _PHONE.sub("[phone]", _NIK.sub("[nik]", text))


# Values of the request being handled (names, keys, answers) that no log line may carry. A
# context variable: each thread or task sees its own, and the web layer clears it per request.
_LOG_SECRETS: ContextVar[tuple[str, ...]] = ContextVar("log_secrets", default=())
MIN_SECRET_LENGTH = 3


def keep_out_of_logs(*values: object) -> None:
    """Mask these values (and their quoted forms) in every log line made from now on in this
    context: an applicant's name cannot be recognised by its shape, so it is named here."""
    found = []
    for value in values:
        if isinstance(value, str) and len(value.strip()) >= MIN_SECRET_LENGTH:
            text = value.strip()
            found.extend({text, repr(text)[1:-1], json.dumps(text)[1:-1]})
    if found:
        known = _LOG_SECRETS.get()
        _LOG_SECRETS.set(known + tuple(v for v in found if v not in known))


def forget_log_secrets() -> None:
    """Start afresh (a new request in a reused thread)."""
    _LOG_SECRETS.set(())


def mask_log_text(text: str) -> str:
    """Mask NIKs and phone numbers by their shape, then what keep_out_of_logs named (longest
    first): names, keys."""
    text = mask_personal_data(text)
    for secret in sorted(_LOG_SECRETS.get(), key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return text
