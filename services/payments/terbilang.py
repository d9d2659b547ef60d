"""An amount of rupiah in Indonesian words ("terbilang"), as a decision letter states it."""

from __future__ import annotations

_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
          "sepuluh", "sebelas")
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _words(n: int) -> str:
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        return f"{_UNITS[n // 10]} puluh {_words(n % 10)}"
    if n < 200:
        return f"seratus {_words(n - 100)}"
    if n < 1000:
        return f"{_UNITS[n // 100]} ratus {_words(n % 100)}"
    if n < 2000:
        return f"seribu {_words(n - 1000)}"
    if n < 10**6:
        return f"{_words(n // 1000)} ribu {_words(n % 1000)}"
    for scale, name in _SCALES:
        if n >= scale:
            return f"{_words(n // scale)} {name} {_words(n % scale)}"
    raise AssertionError("unreachable")


def terbilang(amount: int) -> str:
    """``1_250_000`` -> "satu juta dua ratus lima puluh ribu" (0 -> "nol"); integers only."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("terbilang takes a whole number of rupiah, 0 or more")
    if amount >= 10**15:
        raise ValueError("amount too large to say")
    return " ".join(_words(amount).split()) if amount else "nol"


def rupiah_in_words(amount: int) -> str:
    """The amount as a bill states it in words: "Satu juta dua ratus lima puluh ribu rupiah"."""
    said = terbilang(amount)
    return f"{said[0].upper()}{said[1:]} rupiah"
