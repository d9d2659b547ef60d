"""The front office's rules as tables: ticket moves, opening hours, slots, call order, limits,
and numbers spoken in Indonesian."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.errors import InvalidTransition, ValidationFailed
from services.frontoffice.rules import (
    NO_SHOW_AFTER_CALLS,
    OpeningHours,
    call_rank,
    day_slots,
    estimated_wait_minutes,
    is_open,
    next_ticket_state,
    require_bookable_day,
    require_booking_allowance,
    require_open,
    require_quota,
)
from services.frontoffice.spoken import call_announcement, number_words
from services.models import TicketState as S

HOURS = OpeningHours.parse("08:00", "15:00")
TZ = "Asia/Jakarta"
WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize("current,wanted,calls,allowed", [
    (S.WAITING, S.CALLED, 0, True),
    (S.WAITING, S.DONE, 0, False),
    (S.WAITING, S.SERVING, 0, False),
    (S.CALLED, S.CALLED, 1, True),  # a recall
    (S.CALLED, S.SERVING, 1, True),
    (S.CALLED, S.DONE, 1, True),
    (S.CALLED, S.NO_SHOW, 1, False),  # not yet called often enough
    (S.CALLED, S.NO_SHOW, NO_SHOW_AFTER_CALLS, True),
    (S.CALLED, S.TRANSFERRED, 1, True),
    (S.SERVING, S.DONE, 1, True),
    (S.SERVING, S.NO_SHOW, 5, False),
    (S.SERVING, S.CALLED, 1, False),
    (S.DONE, S.CALLED, 1, False),
    (S.NO_SHOW, S.CALLED, 3, False),
    (S.TRANSFERRED, S.DONE, 1, False),
])
def test_ticket_moves(current, wanted, calls, allowed):
    if allowed:
        assert next_ticket_state(current, wanted, calls=calls) is wanted
    else:
        with pytest.raises(InvalidTransition):
            next_ticket_state(current, wanted, calls=calls)


def jakarta(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.mark.parametrize("moment,holidays,open_", [
    (jakarta(WEDNESDAY, 9), (), True),
    (jakarta(WEDNESDAY, 8), (), True),  # opening minute
    (jakarta(WEDNESDAY, 7, 59), (), False),
    (jakarta(WEDNESDAY, 15), (), False),  # closing minute
    (jakarta(WEDNESDAY, 14, 59), (), True),
    (jakarta(WEDNESDAY, 9), (WEDNESDAY,), False),  # a holiday
    (jakarta(date(2026, 11, 28), 9), (), False),  # a Saturday
])
def test_opening_hours_follow_the_city_calendar(moment, holidays, open_):
    assert is_open(moment, HOURS, holidays, TZ) is open_
    if not open_:
        with pytest.raises(ValidationFailed) as refused:
            require_open(moment, HOURS, holidays, TZ)
        assert refused.value.message.code == "ticket.counters_closed"


def test_the_day_quota_refuses_the_ticket_past_it():
    require_quota(199, 200)
    with pytest.raises(ValidationFailed):
        require_quota(200, 200)


def test_a_day_has_back_to_back_slots_from_opening_to_closing():
    slots = day_slots(WEDNESDAY, HOURS, 30, TZ)
    assert len(slots) == 14
    assert slots[0].start == jakarta(WEDNESDAY, 8)
    assert slots[-1].end == jakarta(WEDNESDAY, 15)
    assert all(a.end == b.start for a, b in zip(slots, slots[1:], strict=False))


@pytest.mark.parametrize("day,holidays,ok", [
    (WEDNESDAY + timedelta(days=1), (), True),
    (WEDNESDAY, (), False),  # today: walk in instead
    (WEDNESDAY + timedelta(days=1), (WEDNESDAY + timedelta(days=1),), False),  # holiday
    (date(2026, 11, 28), (), False),  # Saturday
    (WEDNESDAY + timedelta(days=15), (), False),  # beyond the horizon
])
def test_bookable_days(day, holidays, ok):
    if ok:
        require_bookable_day(day, WEDNESDAY, holidays)
    else:
        with pytest.raises(ValidationFailed):
            require_bookable_day(day, WEDNESDAY, holidays)


@pytest.mark.parametrize("by_nik,by_phone,ok", [(0, 0, True), (1, 1, True), (2, 0, False),
                                                (0, 2, False)])
def test_one_person_holds_few_open_bookings(by_nik, by_phone, ok):
    if ok:
        require_booking_allowance(by_nik, by_phone, limit=2)
    else:
        with pytest.raises(ValidationFailed):
            require_booking_allowance(by_nik, by_phone, limit=2)


def test_a_booked_ticket_ranks_first_only_inside_its_slot():
    start = jakarta(WEDNESDAY, 9)
    end = start + timedelta(minutes=30)
    assert call_rank(start, end, start - timedelta(minutes=1)) == 1
    assert call_rank(start, end, start) == 0
    assert call_rank(start, end, end - timedelta(seconds=1)) == 0
    assert call_rank(start, end, end) == 1
    assert call_rank(None, None, start) == 1


def test_the_estimated_wait_shares_those_ahead_among_the_counters():
    assert estimated_wait_minutes(0, 2, 8) == 0
    assert estimated_wait_minutes(4, 2, 8) == 16
    assert estimated_wait_minutes(3, 0, 10) == 30


@pytest.mark.parametrize("number,words", [
    (0, "nol"), (1, "satu"), (7, "tujuh"), (10, "sepuluh"), (11, "sebelas"),
    (12, "dua belas"), (19, "sembilan belas"), (20, "dua puluh"), (21, "dua puluh satu"),
    (99, "sembilan puluh sembilan"), (100, "seratus"), (101, "seratus satu"),
    (111, "seratus sebelas"), (250, "dua ratus lima puluh"), (999, "sembilan ratus sembilan "
                                                                   "puluh sembilan"),
    (1000, "seribu"), (1001, "seribu satu"), (2024, "dua ribu dua puluh empat"),
    (12_500, "dua belas ribu lima ratus"), (100_000, "seratus ribu"),
    (1_000_000, "satu juta"), (2_500_000, "dua juta lima ratus ribu"),
    (1_000_000_000, "satu miliar"),
])
def test_numbers_are_spoken_as_indonesian_words(number, words):
    assert number_words(number) == words


def test_a_call_is_announced_with_the_group_letter_and_the_counter():
    assert call_announcement("A", 12, 3) == \
        "Nomor antrean A dua belas, silakan menuju loket tiga"
