"""Masking of personal data for lists, logs and receipts."""

from __future__ import annotations

import re

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
