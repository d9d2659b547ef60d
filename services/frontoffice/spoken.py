"""What the hall hears: numbers as Indonesian words, and the sentence that calls a ticket."""

from __future__ import annotations

_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
          "sembilan", "sepuluh", "sebelas")
_SCALES = ((1_000_000_000, "miliar"), (1_000_000, "juta"), (1_000, "ribu"))


def number_words(number: int) -> str:
    """0 -> "nol", 12 -> "dua belas", 105 -> "seratus lima", 1000 -> "seribu"."""
    if number < 0:
        return "minus " + number_words(-number)
    if number < 12:
        return _UNITS[number]
    if number < 20:
        return f"{_UNITS[number - 10]} belas"
    if number < 100:
        tens, rest = divmod(number, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        head = "seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus"
        return head + (f" {number_words(rest)}" if rest else "")
    for scale, name in _SCALES:
        if number >= scale:
            count, rest = divmod(number, scale)
            head = "seribu" if scale == 1000 and count == 1 else f"{number_words(count)} {name}"
            return head + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def call_announcement(prefix: str, number: int, counter_number: int) -> str:
    """"Nomor antrean A dua belas, silakan menuju loket tiga"."""
    return (f"Nomor antrean {prefix} {number_words(number)}, "
            f"silakan menuju loket {number_words(counter_number)}")
