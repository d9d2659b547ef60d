"""The form-field patterns administrators write, run with RE2 (google-re2): its matching time
grows linearly with the answer, whatever the pattern, so a pattern such as ``(a+)+b`` cannot
hold a worker for seconds (ReDoS). A pattern RE2 cannot compile (back-references, look-around)
is refused when it is saved; Python's ``re`` never runs an administrator's pattern."""

from __future__ import annotations

import functools
from typing import Any

import re2

ENGINE = "re2"
MAX_PATTERN_LENGTH = 200


class PatternRefused(ValueError):
    """The pattern cannot run with the linear-time engine; the reason is RE2's own words."""


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # a refused pattern is reported to the admin, not to stderr
    options.max_mem = 8 << 20
    return options


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> Any:
    """The pattern compiled by RE2 (cached), or PatternRefused."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternRefused(f"longer than {MAX_PATTERN_LENGTH} characters")
    try:
        return re2.compile(pattern, _options())
    except re2.error as error:
        reason = error.args[0] if error.args else error
        raise PatternRefused(reason.decode() if isinstance(reason, bytes) else str(reason)) from None


def pattern_refusal(pattern: str) -> str | None:
    """Why the pattern cannot be used, or None when it can."""
    try:
        compile_pattern(pattern)
    except PatternRefused as refused:
        return str(refused)
    return None


def matches_whole(pattern: str, text: str) -> bool:
    """Whether the whole ``text`` matches the administrator's ``pattern`` (run by RE2). A stored
    pattern that RE2 cannot compile (saved before this rule) matches nothing."""
    try:
        return compile_pattern(pattern).fullmatch(text) is not None
    except PatternRefused:
        return False
