"""Numbers as Indonesians write them: a dot groups thousands in threes ("12.500" is twelve
thousand five hundred) and a comma marks the decimals ("12,5" is twelve and a half).

What cannot be read one way only is refused with the reason, never guessed: "12.5" might be
English for 12,5 or a mistyped 12.500, so the citizen is asked to write it again."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DIGITS = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")  # 1.234 or 12.345.678
_NUMBER_CHARS = re.compile(r"^[\d.,]+$")


class NumberUnreadable(ValueError):
    """Why a text is not one number: ``reason`` names the message (see services.validation)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_indonesian_number(text: str) -> Decimal:
    """Read "12.500", "12,5", "1.234,5", "Rp 150.000" or "-3"; raise NumberUnreadable with
    ``number`` (not a number), ``number_ambiguous`` (a lone dot not followed by three digits),
    ``number_grouping`` (dots not grouping thousands in threes) or ``number_commas`` (more than
    one comma)."""
    compact = re.sub(r"\s+", "", text).removeprefix("Rp").removeprefix("rp")
    negative = compact.startswith("-")
    body = compact[1:] if negative else compact
    if not body or not _NUMBER_CHARS.match(body) or not body[0].isdigit() \
            or not body[-1].isdigit():
        raise NumberUnreadable("number")
    whole, comma, decimals = body.partition(",")
    if "," in decimals:
        raise NumberUnreadable("number_commas")
    if "." in decimals:
        raise NumberUnreadable("number_grouping")
    if "." in whole:
        if whole.count(".") == 1 and not comma and not _GROUPED.match(whole):
            raise NumberUnreadable("number_ambiguous")
        if not _GROUPED.match(whole):
            raise NumberUnreadable("number_grouping")
        whole = whole.replace(".", "")
    if not _DIGITS.match(whole) or (comma and not _DIGITS.match(decimals)):
        raise NumberUnreadable("number")
    try:
        value = Decimal(f"{whole}.{decimals}" if comma else whole)
    except InvalidOperation as error:  # pragma: no cover - the patterns above exclude it
        raise NumberUnreadable("number") from error
    return -value if negative else value


def format_indonesian_number(value: int | float | Decimal) -> str:
    """The other way round: 12500 -> "12.500", 0.5 -> "0,5", 1234.5 -> "1.234,5"."""
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    whole, _, decimals = f"{abs(number):f}".partition(".")
    decimals = decimals.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + decimals if decimals else "")
