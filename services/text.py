"""What no text input may hold, whatever the form or API: pure checks shared by the domain's
validation and the web layer's guard on every request."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

# NUL and the other C0/C1 control characters (tab, newline and carriage return are text), DEL,
# and lone surrogates (only a broken or hostile client sends them; no database stores them).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_forbidden_character(text: str) -> bool:
    return _FORBIDDEN.search(text) is not None


def is_finite_number(value: Any) -> bool:
    """False for NaN and infinities (which JSON parsers let through as floats)."""
    return not isinstance(value, float) or math.isfinite(value)


def visible_letters(text: str) -> int:
    """How many letters a text has: zero-width and bidi characters are not letters."""
    return sum(1 for ch in text if unicodedata.category(ch).startswith("L"))


def has_format_character(text: str) -> bool:
    """Zero-width, bidi-override and other invisible format characters (Unicode Cf)."""
    return any(unicodedata.category(ch) == "Cf" for ch in text)
