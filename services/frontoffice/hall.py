"""Setting up the hall: counter groups and their counters (the demo, an administrator's CLI)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.errors import ValidationFailed
from services.frontoffice.rules import OpeningHours
from services.models import Counter, CounterGroup


def ensure_counter_group(session: Session, *, code: str, name: str, prefix: str,
                         counters: Sequence[int], service_codes: Sequence[str] = (),
                         daily_quota: int = 200, opens_at: str = "08:00",
                         closes_at: str = "15:00", slot_minutes: int = 30,
                         slot_capacity: int = 4, target_wait_minutes: int = 30,
                         running_text: str = "") -> CounterGroup:
    """The group with this code, made or updated, with these counter numbers. Not committed."""
    try:
        hours = OpeningHours.parse(opens_at, closes_at)
    except ValueError:
        hours = None
    if hours is None or hours.opens >= hours.closes:
        raise ValidationFailed("counter.hours_format", fields={"hours": "counter.hours_format"})
    group = session.scalar(select(CounterGroup).where(CounterGroup.code == code))
    if group is None:
        group = CounterGroup(code=code)
        session.add(group)
    group.name, group.prefix, group.service_codes = name, prefix, list(service_codes)
    group.daily_quota, group.opens_at, group.closes_at = daily_quota, opens_at, closes_at
    group.slot_minutes, group.slot_capacity = slot_minutes, slot_capacity
    group.target_wait_minutes, group.running_text, group.active = (
        target_wait_minutes, running_text, True)
    session.flush()
    for number in counters:
        counter = session.scalar(select(Counter).where(Counter.number == number))
        if counter is None:
            session.add(Counter(group_id=group.id, number=number, active=True))
        else:
            counter.group_id, counter.active = group.id, True
    session.flush()
    return group
