"""The pure rules behind the command center's figures, as tables of cases."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.performance.rules import (
    median_from_counts,
    public_cell,
    rank,
    share_percent,
    working_days_used,
)

TZ = "Asia/Jakarta"
# Wednesday 25 November 2026, 09:00 WIB.
WED = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def wib(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(("decided", "stopped", "holidays", "expected"), [
    (wib(25, hour=15), 0, set(), 0),            # same working day
    (wib(26), 0, set(), 1),                    # Thursday
    (wib(30), 0, set(), 3),                    # Thu, Fri, (weekend), Mon
    (wib(30), 0, {date(2026, 11, 27)}, 2),     # the Friday is a holiday
    (wib(30), 2, set(), 1),                    # two days waiting on the citizen
    (wib(26), 3, set(), 0),                    # never below zero
    (wib(2, month=12), 0, {date(2026, 11, 30), date(2026, 12, 1)}, 3),
])
def test_working_days_used_counts_working_days_less_the_stopped_clock(
        decided, stopped, holidays, expected):
    assert working_days_used(WED, decided, stopped, holidays, TZ) == expected


def test_working_days_follow_the_city_day_not_the_utc_day():
    # 23:30 WIB on Wednesday is still Wednesday in the city (16:30 UTC).
    late_wednesday = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)
    # 00:30 WIB Thursday is Wednesday 17:30 UTC.
    early_thursday = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)
    assert working_days_used(WED, late_wednesday, 0, set(), TZ) == 0
    assert working_days_used(WED, early_thursday, 0, set(), TZ) == 1


@pytest.mark.parametrize(("counts", "expected"), [
    ({}, None),
    ({4: 1}, Decimal("4.0")),
    ({1: 1, 3: 1}, Decimal("2.0")),
    ({0: 2, 5: 1}, Decimal("0.0")),
    ({1: 1, 2: 1, 10: 2}, Decimal("6.0")),
    ({2: 3, 7: 3}, Decimal("4.5")),
    ({3: 1, 1: 1, 2: 1}, Decimal("2.0")),
])
def test_the_median_of_a_histogram_is_the_median_of_its_values(counts, expected):
    assert median_from_counts(counts) == expected


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (0, 0, None), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (1, 8, Decimal("12.5")),
    (1, 16, Decimal("6.3")), (5, 5, Decimal("100.0")),
])
def test_shares_are_percent_to_one_decimal_rounded_half_up(part, whole, expected):
    assert share_percent(part, whole) == expected


def test_only_agencies_with_enough_volume_are_ranked_and_ties_share_a_rank():
    rows = [("A", Decimal("90.0"), 25), ("B", Decimal("99.0"), 5), ("C", Decimal("90.0"), 40),
            ("D", Decimal("80.0"), 20), ("E", None, 100)]
    assert rank(rows) == {"A": 1, "C": 1, "D": 3}


@pytest.mark.parametrize(("count", "value", "expected"), [
    (9, Decimal("50.0"), None), (10, Decimal("50.0"), Decimal("50.0")), (0, None, None),
])
def test_a_public_cell_under_ten_cases_is_withheld(count, value, expected):
    assert public_cell(count, value) == expected
