"""Pure decisions behind the figures: how long a request took in working days, shares, medians,
and the two fairness rules (a minimum volume to be ranked, no public cell under ten cases)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from services.working_days import DaysOffLike, local_day, working_days_between

# An agency is ranked only when it decided at least this many requests in the period: a
# handful of cases says more about luck than about the agency.
MIN_VOLUME_TO_RANK = 20
# The public page shows no figure resting on fewer cases, so no person can be picked out.
MIN_PUBLIC_CELL = 10


def working_days_used(created_at: datetime, decided_at: datetime, stopped_days: int,
                      holidays: DaysOffLike, tz: str) -> int:
    """Working days from submission to decision, less the days the clock stood still waiting
    on the citizen; a request decided on the day it was made took 0."""
    elapsed = working_days_between(local_day(created_at, tz), local_day(decided_at, tz),
                                   holidays)
    return max(0, elapsed - stopped_days)


def share_percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent to one decimal (half up); None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def median_from_counts(counts: Mapping[int, int]) -> Decimal | None:
    """The median of integer values given as {value: how many}; the mean of the two middle
    values when the count is even. Working days are whole numbers, so a histogram is exact."""
    total = sum(counts.values())
    if total == 0:
        return None
    middle = ((total - 1) // 2, total // 2)
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and middle[len(found)] < seen:
            found.append(value)
    return (Decimal(found[0] + found[1]) / 2).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rankable(decided: int, minimum: int = MIN_VOLUME_TO_RANK) -> bool:
    return decided >= minimum


def rank(rows: Iterable[tuple[str, Decimal | None, int]],
         minimum: int = MIN_VOLUME_TO_RANK) -> dict[str, int]:
    """Rank (1 = best) by a share, only the rows with enough volume; ties share a rank."""
    eligible = sorted(((share, key) for key, share, volume in rows
                       if share is not None and rankable(volume, minimum)),
                      key=lambda item: -item[0])
    ranks: dict[str, int] = {}
    previous: Decimal | None = None
    position = 0
    for index, (share, key) in enumerate(eligible, start=1):
        if share != previous:
            position, previous = index, share
        ranks[key] = position
    return ranks


def public_cell(count: int, value: Decimal | int | None,
                minimum: int = MIN_PUBLIC_CELL) -> Decimal | int | None:
    """A figure the public page may show: None (shown as "<10") when it rests on too few."""
    return value if count >= minimum else None
