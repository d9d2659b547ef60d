"""Pure decisions of the outbox, as tables: backoff, dead letters, quiet hours, wording,
STOP replies, signatures and opt-out tokens."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from services.outbox.notices import is_stop_reply
from services.outbox.policy import (
    QuietHours,
    RetryPolicy,
    international_number,
    masked_address,
    parse_quiet_hours,
)
from services.outbox.signing import signature_header, verify_signature
from services.outbox.wording import TEMPLATES, render_text
from services.outbox.worker import consent_id_from_token, optout_token

POLICY = RetryPolicy(max_attempts=5, first_delay_seconds=30, max_delay_seconds=600)


@pytest.mark.parametrize(("attempts", "seconds"), [
    (1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 600), (20, 600),
])
def test_backoff_doubles_from_the_first_delay_up_to_the_cap(attempts: int, seconds: int) -> None:
    assert POLICY.delay_after(attempts) == timedelta(seconds=seconds)


@pytest.mark.parametrize(("attempts", "dead"), [(1, False), (4, False), (5, True), (6, True)])
def test_a_message_goes_to_the_dead_letters_after_its_last_attempt(attempts: int,
                                                                    dead: bool) -> None:
    assert POLICY.gives_up(attempts) is dead


NIGHT = QuietHours(time(21, 0), time(7, 0), "Asia/Jakarta")


def wib(hour: int, minute: int = 0, day: int = 25) -> datetime:
    """A time in Jakarta (UTC+7) as an aware UTC datetime."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.mark.parametrize(("moment", "quiet", "allowed"), [
    (wib(12), False, wib(12)),
    (wib(20, 59), False, wib(20, 59)),
    (wib(21), True, wib(7, day=26)),
    (wib(23, 30), True, wib(7, day=26)),
    (wib(3), True, wib(7)),
    (wib(7), False, wib(7)),
])
def test_quiet_hours_hold_messages_until_the_morning_in_the_city_timezone(
        moment: datetime, quiet: bool, allowed: datetime) -> None:
    assert NIGHT.is_quiet(moment) is quiet
    assert NIGHT.next_allowed(moment) == allowed


@pytest.mark.parametrize(("text", "quiet_at_3am"), [
    ("21:00-07:00", True), ("22:00-06:00", True), ("01:00-02:00", False), ("none", False),
    ("", False),
])
def test_quiet_hours_are_configured_as_a_local_range_or_none(text: str,
                                                              quiet_at_3am: bool) -> None:
    assert parse_quiet_hours(text, "Asia/Jakarta").is_quiet(wib(3)) is quiet_at_3am


@pytest.mark.parametrize(("phone", "international"), [
    ("081234567890", "6281234567890"), ("+6281234567890", "6281234567890"),
    ("6281234567890", "6281234567890"),
])
def test_phone_numbers_go_to_providers_with_the_country_code(phone: str,
                                                             international: str) -> None:
    assert international_number(phone) == international


def test_addresses_are_masked_in_lists() -> None:
    assert masked_address("081234567890") == "0812*****890"
    assert masked_address("siti@example.id") == "s***@example.id"


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_template_is_short_and_names_only_the_code(template: str, lang: str) -> None:
    params = {"code": "K7QM4XNAP", "city": "Kota Contoh", "service": "SKTM",
              "date": "02-12-2026", "status_url": "https://x.go.id/status?code=K7QM4XNAP"}
    text = render_text(template, lang, params, "https://x.go.id/kabar/berhenti/1-abc")
    assert "K7QM4XNAP" in text
    assert len(text) <= 320  # two SMS segments at most
    assert "{" not in text
    assert ("Stop:" if lang == "en" else "Berhenti:") in text


def test_the_overdue_message_apologises_and_gives_the_new_date() -> None:
    params = {"code": "K7QM4XNAP", "city": "Kota Contoh", "date": "04-12-2026"}
    assert "mohon maaf" in render_text("overdue", "id", params)
    assert "04-12-2026" in render_text("overdue", "id", params)
    assert "sorry" in render_text("overdue", "en", params)


@pytest.mark.parametrize(("text", "stop"), [
    ("STOP", True), ("stop", True), (" Stop. ", True), ("BERHENTI", True), ("unreg", True),
    ("stop please", True), ("", False), ("halo", False), ("jangan stop", False),
])
def test_stop_replies(text: str, stop: bool) -> None:
    assert is_stop_reply(text) is stop


SECRET = "whsec_test"
BODY = b'{"id":"event:1","type":"submitted"}'
SIGNED_AT = 1_800_000_000


@pytest.mark.parametrize(("secret", "body", "now", "valid"), [
    (SECRET, BODY, SIGNED_AT, True),
    (SECRET, BODY, SIGNED_AT + 299, True),
    (SECRET, BODY, SIGNED_AT + 301, False),  # a replay after five minutes
    (SECRET, BODY, SIGNED_AT - 301, False),
    ("whsec_other", BODY, SIGNED_AT, False),
    (SECRET, BODY + b" ", SIGNED_AT, False),
])
def test_a_signature_holds_for_its_body_and_secret_within_five_minutes(
        secret: str, body: bytes, now: int, valid: bool) -> None:
    header = signature_header(SECRET, BODY, SIGNED_AT)
    assert header.startswith(f"t={SIGNED_AT},v1=")
    assert verify_signature(secret, header, body, now=now) is valid


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", "v1=00", f"t={SIGNED_AT}"])
def test_a_malformed_signature_header_is_refused(header: str) -> None:
    assert verify_signature(SECRET, header, BODY, now=SIGNED_AT) is False


def test_an_optout_token_names_its_consent_and_cannot_be_forged() -> None:
    token = optout_token("server-secret", 42)
    assert consent_id_from_token("server-secret", token) == 42
    assert consent_id_from_token("other-secret", token) is None
    assert consent_id_from_token("server-secret", "43" + token[2:]) is None
    assert consent_id_from_token("server-secret", "nonsense") is None
