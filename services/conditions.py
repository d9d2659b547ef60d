"""Conditions on a citizen's answers, shared by show-if on fields and by workflow steps.

A condition is decided on cleaned answers (services.validation.clean_answer): numbers as
numbers, yes/no as booleans. A number still written out is read as Indonesians write it, by
services.numbers, the one reading the kiosk's script follows too."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from services.numbers import NumberUnreadable, parse_indonesian_number

OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")

# The one yes/no vocabulary: what a citizen, a catalog or an administrator may write for each.
YES_WORDS = ("ya", "yes", "true", "1", "y")
NO_WORDS = ("tidak", "no", "false", "0", "n")
# How the kiosk writes them on its buttons.
YES, NO = YES_WORDS[0], NO_WORDS[0]


def condition_holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Tell whether ``{"field", "op", "value"}`` holds for these answers; no condition holds."""
    if not condition:
        return True
    answer = answers.get(condition["field"])
    op = condition.get("op", "eq")
    expected = condition.get("value")
    if answer is None or answer == "":
        return op in ("ne", "not_in")
    if op == "eq":
        return _same(answer, expected)
    if op == "ne":
        return not _same(answer, expected)
    if op == "in":
        return any(_same(answer, item) for item in expected)
    if op == "not_in":
        return not any(_same(answer, item) for item in expected)
    number = as_number(answer)
    if number is None:
        return False
    if op == "gt":
        return number > expected
    if op == "gte":
        return number >= expected
    if op == "lt":
        return number < expected
    if op == "lte":
        return number <= expected
    raise ValueError(f"unknown operator {op!r}")


def _same(answer: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(answer, bool):
        return as_yes_no(answer) == as_yes_no(expected)
    if isinstance(expected, int | float):
        return as_number(answer) == expected
    return str(answer) == str(expected)


def as_yes_no(value: Any) -> bool | None:
    """Read a yes/no answer in either language; None when it is neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    return None


def as_number(value: Any) -> int | float | None:
    """A cleaned number as it is; a written one read by parse_indonesian_number and kept as
    clean_answer keeps it (a float, an int when whole); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    text = str(value)
    if not text.isascii():
        return None
    try:
        number = float(parse_indonesian_number(text))
    except NumberUnreadable:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number
