"""The demo's MPP hall (two counter groups, three counters, a display each at /layar/<group>)
and, for `flask demo history`, one working day of tickets served through the use cases, so the
command center's front-office figures have something to show."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.frontoffice.counter import (
    call_again,
    call_next,
    finish_visit,
    mark_no_show,
    start_serving,
)
from services.frontoffice.hall import ensure_counter_group
from services.frontoffice.queue import take_ticket
from services.models import CounterGroup, QueueTicket, Role, User
from services.working_days import is_working_day

DEMO_GROUPS = (
    dict(code="ADMINDUK", name="Adminduk", prefix="A", counters=[1, 2],
         service_codes=["KTP-EL-GANTI", "KK-PERUBAHAN", "AKTA-KELAHIRAN", "AKTA-KEMATIAN",
                        "SURAT-PINDAH", "PINDAH-DATANG"],
         target_wait_minutes=20,
         running_text="Selamat datang di Mal Pelayanan Publik Kota Contoh. Siapkan KTP-el "
                      "dan tanda terima e-Kios Anda sebelum dipanggil."),
    dict(code="PERIZINAN", name="Perizinan", prefix="B", counters=[3],
         service_codes=["NIB-UMK", "PB-UMK", "IZIN-REKLAME", "PBG", "KRK", "SIP-DOKTER",
                        "SIP-BIDAN-PERAWAT", "IZIN-APOTEK"],
         target_wait_minutes=30,
         running_text="Layanan perizinan: bawa dokumen asli untuk diperlihatkan di loket."),
)


def load_demo_hall(session: Session) -> list[str]:
    """The two counter groups and their counters (made or brought up to date)."""
    for group in DEMO_GROUPS:
        ensure_counter_group(session, **group)  # type: ignore[arg-type]
    return ["Front office: Adminduk (A, loket 1-2), Perizinan (B, loket 3); displays at "
            "/layar/ADMINDUK and /layar/PERIZINAN."]


class _Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


# Minutes after opening at which walk-ins arrive, and how long each visit takes, repeating.
ARRIVAL_GAPS = (3, 7, 2, 9, 4, 12, 5, 1, 8, 6, 15, 3, 4, 10)
VISIT_MINUTES = (6, 9, 4, 12, 7, 5, 8, 15, 6, 10)
NO_SHOW_EVERY = 11


def last_working_day(today: date, holidays: set[date]) -> date:
    day = today - timedelta(days=1)
    while not is_working_day(day, holidays):
        day -= timedelta(days=1)
    return day


def load_demo_tickets(session: Session, *, calendar: CityCalendar, now: datetime,
                      per_group: int = 36) -> list[str]:
    """The last working day's tickets for each demo group, served by officer.mpp (safe to
    repeat: a group with tickets that day is left as it is). Not committed."""
    officer = session.scalar(select(User).where(User.username == "officer.mpp",
                                                User.role == Role.OFFICER))
    if officer is None:
        return ["No front-office history: load the demo first (officer.mpp)."]
    day = last_working_day(calendar.local_day(now), calendar.holidays(session))
    zone = ZoneInfo(calendar.timezone)
    lines = []
    for spec in DEMO_GROUPS:
        group = session.scalar(select(CounterGroup).where(CounterGroup.code == spec["code"]))
        if group is None:
            continue
        if session.scalar(select(func.count()).select_from(QueueTicket).where(
                QueueTicket.group_id == group.id, QueueTicket.day == day)):
            continue
        opens = datetime.combine(day, time.fromisoformat(group.opens_at), zone)
        served = _serve_a_day(session, group, spec["counters"], officer, calendar,  # type: ignore[arg-type]
                              opens + timedelta(minutes=5), per_group)
        lines.append(f"{group.name}: {served} tickets on {day.isoformat()}.")
    return lines


def _serve_a_day(session: Session, group: CounterGroup, counters: list[int], officer: User,
                 calendar: CityCalendar, first: datetime, count: int) -> int:
    """Walk-ins arrive; each free counter calls the next one; visits take their time."""
    arrivals = []
    at = first
    for n in range(count):
        arrivals.append(at)
        at += timedelta(minutes=ARRIVAL_GAPS[n % len(ARRIVAL_GAPS)])
    free = {number: first for number in counters}
    clock = _Clock(first)
    taken = 0
    visits = 0
    while taken < count or visits < taken:
        counter = min(free, key=lambda number: free[number])
        next_arrival = arrivals[taken] if taken < count else None
        if next_arrival is not None and (visits == taken or next_arrival <= free[counter]):
            clock.at = next_arrival
            take_ticket(session, group_code=group.code, clock=clock, calendar=calendar)
            taken += 1
            continue
        clock.at = max(free[counter], arrivals[visits])
        ticket = call_next(session, actor=officer, counter_number=counter, clock=clock,
                           calendar=calendar)
        assert ticket is not None
        visits += 1
        if visits % NO_SHOW_EVERY == 0:
            clock.at += timedelta(minutes=2)
            call_again(session, actor=officer, counter_number=counter, ticket_id=ticket.id,
                       clock=clock)
            clock.at += timedelta(minutes=3)
            mark_no_show(session, actor=officer, counter_number=counter, ticket_id=ticket.id,
                         clock=clock)
        else:
            clock.at += timedelta(minutes=1)
            start_serving(session, actor=officer, counter_number=counter, ticket_id=ticket.id,
                          clock=clock)
            clock.at += timedelta(minutes=VISIT_MINUTES[visits % len(VISIT_MINUTES)])
            finish_visit(session, actor=officer, counter_number=counter, ticket_id=ticket.id,
                         clock=clock)
        free[counter] = clock.at
    return taken
