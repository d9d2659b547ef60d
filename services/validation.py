"""Check what a citizen typed: NIK, phone numbers and every field type of the catalog.

Each check is a pure function returning a cleaned value or raising FieldInvalid with a
message key ("field.<key>" in kiosk/messages.py, where it has its Indonesian and English words)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from services.conditions import as_yes_no, condition_holds
from services.errors import Message, ValidationFailed
from services.models import FieldType
from services.numbers import NumberUnreadable, parse_indonesian_number
from services.patterns import matches_whole
from services.text import (
    has_forbidden_character,
    has_format_character,
    is_finite_number,
    visible_letters,
)


class FieldDefinition(Protocol):
    """What checking an answer needs of a field: a FormField, or its cached copy."""

    @property
    def key(self) -> str: ...
    @property
    def type(self) -> FieldType: ...
    @property
    def required(self) -> bool: ...
    @property
    def constraints(self) -> Any: ...
    @property
    def choices(self) -> Any: ...
    @property
    def show_if(self) -> Any: ...

Field = TypeVar("Field", bound=FieldDefinition)

# Province codes in use (first two NIK digits).
PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
     61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96]
)

# ASCII digits only: \d alone would take full-width and other Unicode digits.
# "+62 0812…" (the trunk 0 kept after the country code) is common on forms: accept it.
_PHONE_RE = re.compile(r"^(?:\+620?|620?|0)(8\d{8,11})$", re.ASCII)
# A fixed line: area code (2-4 digits, not starting with 8) and subscriber number, 8-11 digits
# after the leading 0 in all (e.g. 021 5551234, 0299 5551001).
_LANDLINE_RE = re.compile(r"^(?:\+620?|620?|0)([2-79]\d{7,10})$", re.ASCII)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


class FieldInvalid(Exception):
    """A value broke a rule; ``key`` names the message, ``limit`` fills it in."""

    def __init__(self, key: str, limit: Any = None) -> None:
        super().__init__(key)
        self.key = key
        self.limit = limit

    @property
    def message(self) -> Message:
        """The message code "field.<key>", with the limit when there is one."""
        return field_message(self.key, self.limit)


def field_message(key: str, limit: Any = None) -> Message:
    return Message(f"field.{key}", {} if limit is None else {"limit": limit})


def clean_nik(value: str) -> str:
    """A 16-digit NIK: real province, real date of birth (day + 40 for women), serial not 0000."""
    nik = value.strip().replace(" ", "")
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        raise FieldInvalid("nik_digits")
    if int(nik[:2]) not in PROVINCE_CODES:
        raise FieldInvalid("nik_province")
    if nik[2:4] == "00":
        raise FieldInvalid("nik_regency")
    if nik[4:6] == "00":
        raise FieldInvalid("nik_district")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    # Two-digit year: any century gives the same validity except for 29 February.
    if not any(_is_date(century + year, month, day) for century in (1900, 2000)):
        raise FieldInvalid("nik_birth_date")
    if nik[12:] == "0000":
        raise FieldInvalid("nik_serial")
    return nik


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def clean_phone(value: str, *, landline: bool = False) -> str:
    """An Indonesian mobile number (HP), returned as 08…; accepts 08…, +628…, +62 08… and 628…. Where a
    field asks for a telephone (``landline``), a fixed line such as (021) 555-1234 also does."""
    compact = re.sub(r"[\s\-().]", "", value.strip())
    match = _PHONE_RE.match(compact) or (_LANDLINE_RE.match(compact) if landline else None)
    if not match:
        raise FieldInvalid("landline" if landline else "phone")
    return "0" + match.group(1)


def clean_name(value: str) -> str:
    """A person's name: 2-120 characters with at least two letters, nothing invisible."""
    name = " ".join(_plain_text(value).split())
    if not 2 <= len(name) <= 120 or visible_letters(name) < 2 or has_format_character(name):
        raise FieldInvalid("name")
    return name


def _plain_text(raw: Any) -> str:
    """A citizen's text: strings (and plain numbers) only, never an object, a list, a yes/no,
    NaN or a control character."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float) \
            or not is_finite_number(raw):
        raise FieldInvalid("text")
    text = str(raw)
    if has_forbidden_character(text):
        raise FieldInvalid("characters")
    return text


def clean_answer(field: FieldDefinition, raw: Any, *, today: date) -> Any:
    """Check one non-empty answer against its field definition; return the stored value."""
    kind, limits = field.type, field.constraints or {}
    if kind not in (FieldType.NUMBER, FieldType.RUPIAH, FieldType.YES_NO, FieldType.DATE):
        raw = _plain_text(raw)
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.ADDRESS):
        text = raw.strip()
        _check_length(text, limits)
        if "pattern" in limits and not matches_whole(limits["pattern"], text):
            digits = digit_count(limits["pattern"])
            raise FieldInvalid("digits", digits) if digits else FieldInvalid("pattern")
        return text
    if kind in (FieldType.NUMBER, FieldType.RUPIAH):
        number = _parse_number(raw, whole=kind is FieldType.RUPIAH or limits.get("integer"))
        if "min" in limits and number < limits["min"]:
            raise FieldInvalid("min", limits["min"])
        if "max" in limits and number > limits["max"]:
            raise FieldInvalid("max", limits["max"])
        return number
    if kind is FieldType.DATE:
        day = _parse_date(raw)
        if limits.get("not_future") and day > today:
            raise FieldInvalid("not_future")
        if limits.get("not_past") and day < today:
            raise FieldInvalid("not_past")
        return day.isoformat()
    if kind is FieldType.CHOICE:
        if str(raw) not in {c["value"] for c in field.choices}:
            raise FieldInvalid("choice")
        return str(raw)
    if kind is FieldType.YES_NO:
        return _parse_yes_no(raw)
    if kind is FieldType.NIK:
        return clean_nik(str(raw))
    if kind is FieldType.PHONE:
        return clean_phone(str(raw), landline=bool(limits.get("landline")))
    if kind is FieldType.EMAIL:
        text = str(raw).strip()
        if not _EMAIL_RE.match(text) or len(text) > 254:
            raise FieldInvalid("email")
        return text.lower()
    raise AssertionError(f"unhandled field type {kind}")


_DIGITS_ONLY = re.compile(r"^\^?(?:\[0-9\]|\\d)\{(\d+)(?:,(\d+))?\}\$?$")


def digit_count(pattern: str) -> str | None:
    """How many digits a digits-only pattern asks for ("5", "15-16"), None for any other."""
    match = _DIGITS_ONLY.match(pattern)
    if not match:
        return None
    low, high = match.groups()
    return low if high is None or high == low else f"{low}-{high}"


def join_date_parts(day: str, month: str, year: str) -> str:
    """Three boxes (day, month, year) as one date "DD-MM-YYYY", or the part that is wrong."""
    parts = [part.strip() for part in (day, month, year)]
    if not all(parts):
        raise FieldInvalid("date_incomplete")
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise FieldInvalid("date_incomplete")
    if not 1 <= int(parts[0]) <= 31:
        raise FieldInvalid("date_day")
    if not 1 <= int(parts[1]) <= 12:
        raise FieldInvalid("date_month")
    if len(parts[2]) != 4 or int(parts[2]) < 1000:
        raise FieldInvalid("date_year")
    if not _is_date(int(parts[2]), int(parts[1]), int(parts[0])):
        raise FieldInvalid("date_not_real")
    return f"{int(parts[0]):02d}-{int(parts[1]):02d}-{parts[2]}"


def _check_length(text: str, limits: Mapping[str, Any]) -> None:
    if "min_length" in limits and len(text) < limits["min_length"]:
        raise FieldInvalid("min_length", limits["min_length"])
    if "max_length" in limits and len(text) > limits["max_length"]:
        raise FieldInvalid("max_length", limits["max_length"])


def _parse_number(raw: Any, *, whole: bool | None) -> int | float:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise FieldInvalid("number")
    if isinstance(raw, int | float):
        number = raw
    else:
        text = str(raw)
        if not text.isascii():
            raise FieldInvalid("number")  # float() would read Unicode digits too
        # The same reading for the kiosk, the API and Open311: "12.500" is 12500, never 12.5.
        try:
            number = float(parse_indonesian_number(text))
        except NumberUnreadable as unreadable:
            raise FieldInvalid(unreadable.reason) from unreadable
    if not is_finite_number(number):
        raise FieldInvalid("number")  # "nan", "inf", NaN, Infinity, 1e999: never stored
    if whole:
        if number != int(number):
            raise FieldInvalid("integer")
        return int(number)
    return int(number) if float(number).is_integer() else number


def _parse_date(raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise FieldInvalid("date")


def _parse_yes_no(raw: Any) -> bool:
    answer = as_yes_no(raw)
    if answer is None:
        raise FieldInvalid("yes_no")
    return answer


def is_shown(field: FieldDefinition, answers: Mapping[str, Any]) -> bool:
    """Whether a field is asked, given the cleaned earlier answers: its show-if holds on them.

    The one place show-if is decided: the kiosk's pages, its check page and submit_request."""
    return condition_holds(field.show_if, answers)


def visible_fields(fields: Sequence[Field], answers: Mapping[str, Any]) -> list[Field]:
    """The fields shown for these cleaned answers, decided in the form's order: a show-if
    hides a field until it holds, and a hidden field's answer (left from before) counts for
    nothing."""
    shown: dict[str, Any] = {}
    visible = []
    for field in fields:
        if is_shown(field, shown):
            visible.append(field)
            if field.key in answers:
                shown[field.key] = answers[field.key]
    return visible


def shown_answers(fields: Sequence[FieldDefinition], answers: Mapping[str, Any]
                  ) -> dict[str, Any]:
    """The answers of the fields shown (see visible_fields), without those left hidden."""
    return {f.key: answers[f.key] for f in visible_fields(fields, answers) if f.key in answers}


def clean_in_order(fields: Sequence[FieldDefinition], raw: Mapping[str, Any], *, today: date,
                   earlier: Mapping[str, Any] | None = None
                   ) -> tuple[dict[str, Any], dict[str, Message]]:
    """Check each shown answer in the form's order, after the ``earlier`` cleaned answers;
    return the cleaned answers (earlier ones included) and a message per field that is wrong.

    Show-if looks at the cleaned earlier answers, so "12.500" is 12500 and "ya" is true."""
    cleaned: dict[str, Any] = dict(earlier or {})
    errors: dict[str, Message] = {}
    for field in fields:
        cleaned.pop(field.key, None)
        if not is_shown(field, cleaned):
            continue
        value = raw.get(field.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                errors[field.key] = field_message("required")
            continue
        try:
            cleaned[field.key] = clean_answer(field, value, today=today)
        except FieldInvalid as invalid:
            errors[field.key] = invalid.message
    return cleaned, errors


def clean_answers(fields: Sequence[FieldDefinition], raw: Mapping[str, Any], *,
                  today: date) -> dict[str, Any]:
    """Check every visible answer in order; hidden answers are dropped, unknown keys refused.

    Raises ValidationFailed with a message per field."""
    known = {f.key for f in fields}
    errors = {key: field_message("unknown") for key in raw if key not in known}
    cleaned, wrong = clean_in_order(fields, raw, today=today)
    errors.update(wrong)
    if errors:
        raise ValidationFailed("answers.need_fixing", fields=errors)
    return cleaned
