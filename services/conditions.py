"""Conditions on a citizen's answers, shared by show-if on fields and by workflow steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")


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
    number = _as_number(answer)
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
        return _as_number(answer) == expected
    return str(answer) == str(expected)


def as_yes_no(value: Any) -> bool | None:
    """Read a yes/no answer in either language; None when it is neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "ya", "true", "1", "y"):
        return True
    if text in ("no", "tidak", "false", "0", "n"):
        return False
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None
