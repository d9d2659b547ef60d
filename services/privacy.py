"""Masking of personal data for lists, logs and receipts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from services.validation import PROVINCE_CODES

# A number as people write it: groups of digits joined by spaces, dots, dashes, slashes or
# brackets ("0812-9999-0001", "+62 (812) 9999 0001", "3578.0145.0190.0099").
_DIGITS = re.compile(r"\d+", re.ASCII)
_JOINER = re.compile(r"[ \t.\-/()]{1,3}")
_MOBILE = re.compile(r"08\d{7,11}")
NIK_LENGTH = 16
MIN_KNOWN_DIGITS = 6


@dataclass(frozen=True)
class NumberFound:
    """A NIK or phone number found in text, however it was written: where, and of what kind."""

    start: int
    end: int
    kind: str  # "nik", "phone" or "known" (a value named by the caller)


def number_digits(value: str) -> str:
    """The digits of a written number in one form: a +62 or 62 country prefix becomes 0."""
    digits = "".join(_DIGITS.findall(value))
    return "0" + digits[2:] if digits.startswith("628") else digits


def _kind(digits: str, known: frozenset[str], *, joined: bool) -> str | None:
    # Sixteen digits in one run are a NIK; written in groups, they must start with a province.
    if len(digits) == NIK_LENGTH and (not joined or int(digits[:2]) in PROVINCE_CODES):
        return "nik"
    normal = number_digits(digits)
    if normal in known:
        return "known"
    return "phone" if _MOBILE.fullmatch(normal) else None


def find_personal_numbers(text: str, known: Iterable[str] = ()) -> list[NumberFound]:
    """Every NIK-shaped or mobile-phone-shaped number in ``text``, and every number equal to
    one of ``known`` (a complainant's own phone or NIK, any way it was stored), with any mix
    of separators and a +62/62/0 prefix. The one normaliser that redaction, the publish guard
    and the log masking share."""
    wanted = frozenset(d for d in (number_digits(v) for v in known) if len(d) >= MIN_KNOWN_DIGITS)
    groups = list(_DIGITS.finditer(text))
    found: list[NumberFound] = []
    i = 0
    while i < len(groups):
        chain = [groups[i]]
        while (len(chain) < len(groups) - i and len("".join(g.group() for g in chain)) < 20
               and _JOINER.fullmatch(text, chain[-1].end(), groups[i + len(chain)].start())):
            chain.append(groups[i + len(chain)])
        for size in range(len(chain), 0, -1):  # the longest number that starts here
            kind = _kind("".join(g.group() for g in chain[:size]), wanted, joined=size > 1)
            if kind:
                start, end = chain[0].start(), chain[size - 1].end()
                if start > 0 and text[start - 1] == "(" and ")" in text[start:end]:
                    start -= 1  # "(0812) 3456 7890"
                if start > 0 and text[start - 1] == "+":
                    start -= 1
                found.append(NumberFound(start, end, kind))
                i += size
                break
        else:
            i += 1
    return found


def replace_numbers(text: str, found: list[NumberFound], token: Callable[[NumberFound], str]) -> str:
    for number in reversed(found):
        text = text[:number.start] + token(number) + text[number.end:]
    return text


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
    """Replace anything shaped like a NIK or a phone number in free text, however written."""
    return replace_numbers(text, find_personal_numbers(text), lambda number: f"[{number.kind}]")


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
