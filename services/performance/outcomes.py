"""What a request's history leaves for the figures: kept on the request as it goes, so the
command center reads plain aggregates instead of replaying events."""

from __future__ import annotations

from datetime import datetime

from services.models import ServiceRequest
from services.performance.rules import working_days_used
from services.working_days import DaysOffLike


def note_decision(request: ServiceRequest, *, now: datetime, holidays: DaysOffLike,
                  tz: str) -> None:
    """At approval or rejection: the working days the request took and whether it was decided
    by its (stop-adjusted) deadline."""
    request.decided_at = now
    request.working_days_used = working_days_used(request.created_at, now,
                                                  request.stopped_days or 0, holidays, tz)
    request.decided_on_time = request.due_at is None or now <= request.due_at
