"""How letters, documents, receipts and pages write money, dates and times: one place, so the
PDF, the receipt data and the pages agree ("10 Maret 2026", "14.05 WIB", "Rp150.000")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
# Indonesia's three time zones (Keppres 41/1987); Pontianak keeps western time.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def rupiah(amount: int) -> str:
    """Rupiah with dots grouping thousands and no space after the symbol (EYD): Rp150.000."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def zone_name(tz: str, moment: datetime | None = None) -> str:
    """WIB, WITA or WIT for an Indonesian zone; the zone's own abbreviation elsewhere."""
    if tz in ZONE_NAMES:
        return ZONE_NAMES[tz]
    return (moment or datetime.now(ZoneInfo(tz))).astimezone(ZoneInfo(tz)).tzname() or tz


def long_date(value: date, lang: str = "id") -> str:
    """ "10 Maret 2026" (Indonesian), "10 March 2026" (English)."""
    months = MONTHS_EN if lang == "en" else MONTHS_ID
    return f"{value.day} {months[value.month - 1]} {value.year}"


def local_moment(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def long_local_date(moment: datetime, tz: str, lang: str = "id") -> str:
    """The city's calendar date of a stored UTC time, written long."""
    return long_date(local_moment(moment, tz).date(), lang)


def local_time_of_day(moment: datetime, tz: str, lang: str = "id") -> str:
    """ "14.05 WIB" (Indonesian writes a dot between hours and minutes), "14:05 WIB" (English)."""
    local = local_moment(moment, tz)
    separator = ":" if lang == "en" else "."
    return f"{local:%H}{separator}{local:%M} {zone_name(tz, moment)}"


def long_datetime(moment: datetime, tz: str, lang: str = "id") -> str:
    """ "10 Maret 2026 pukul 14.05 WIB", "10 March 2026 at 14:05 WIB"."""
    word = "at" if lang == "en" else "pukul"
    return f"{long_local_date(moment, tz, lang)} {word} {local_time_of_day(moment, tz, lang)}"
