"""Pure decisions of the outbox: when to try again, when to give up, when quiet hours end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.city_calendar import DEFAULT_TIMEZONE
from services.privacy import mask_phone


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    first_delay_seconds: float = 30.0
    max_delay_seconds: float = 6 * 3600.0

    def delay_after(self, attempts: int) -> timedelta:
        """Exponential backoff: the first delay after one failure, doubling, up to the cap."""
        seconds = self.first_delay_seconds * (2 ** max(attempts - 1, 0))
        return timedelta(seconds=min(seconds, self.max_delay_seconds))

    def gives_up(self, attempts: int) -> bool:
        """True when a failed message has had its last attempt and goes to the dead letters."""
        return attempts >= self.max_attempts


@dataclass(frozen=True)
class QuietHours:
    """Hours of the city's night when citizens are not disturbed; start == end means none."""

    start: time = time(21, 0)
    end: time = time(7, 0)
    timezone: str = DEFAULT_TIMEZONE

    def is_quiet(self, moment: datetime) -> bool:
        if self.start == self.end:
            return False
        local = moment.astimezone(ZoneInfo(self.timezone)).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_allowed(self, moment: datetime) -> datetime:
        """``moment`` itself when it is not quiet, else the end of these quiet hours."""
        if not self.is_quiet(moment):
            return moment
        zone = ZoneInfo(self.timezone)
        local = moment.astimezone(zone)
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= local:
            end = (local + timedelta(days=1)).replace(hour=self.end.hour,
                                                      minute=self.end.minute,
                                                      second=0, microsecond=0)
        return end.astimezone(moment.tzinfo)


def parse_quiet_hours(text: str, timezone: str) -> QuietHours:
    """``"21:00-07:00"`` (the default), or ``""``/``"none"`` for no quiet hours."""
    text = (text or "").strip().lower()
    if text in ("", "none", "off"):
        return QuietHours(time(0, 0), time(0, 0), timezone)
    start, end = (part.strip() for part in text.split("-", 1))
    return QuietHours(time.fromisoformat(start), time.fromisoformat(end), timezone)


def international_number(phone: str) -> str:
    """An Indonesian mobile number as the providers want it: 62 and the digits, no plus."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        return "62" + digits[1:]
    return digits


def masked_address(address: str) -> str:
    """A phone number or e-mail address as lists and logs may show it."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return mask_phone(address)
