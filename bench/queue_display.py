"""From "Panggil berikutnya" at a counter to the hall's displays showing the call: 20 displays
(threads that poll as layar.js does: a long poll on /layar/<group>/panggilan, or again after
0.5 s when the server had no slot to hold them) watch the Adminduk line on a gunicorn server
while officer.mpp calls and finishes tickets over HTTP. The clock starts when the call's POST is
sent and stops when each display receives the call.

    .venv/bin/python -m bench.queue_display [--displays 20] [--calls 30] [--database postgres|sqlite]
"""

from __future__ import annotations

import argparse
import re
import statistics
import threading
import time
from datetime import datetime

import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bench.print import percentile
from bench.servers import Gunicorn, bench_database, load_demo_catalog
from services.city_calendar import CityCalendar
from services.clock import SystemClock
from services.demo import DEMO_PASSWORD
from services.errors import ValidationFailed
from services.frontoffice.hall import ensure_counter_group
from services.frontoffice.queue import take_ticket


def seed(url: str, calls: int) -> None:
    """Counters open all day (so the bench runs at any hour of a working day), and the line."""
    engine = create_engine(url, hide_parameters=True)
    with Session(engine) as session:
        ensure_counter_group(session, code="ADMINDUK", name="Adminduk", prefix="A",
                             counters=[1, 2], opens_at="00:00", closes_at="23:59",
                             daily_quota=10_000)
        for _ in range(calls):
            take_ticket(session, group_code="ADMINDUK", clock=SystemClock(),
                        calendar=CityCalendar())
        session.commit()
    engine.dispose()


def csrf_token(web: requests.Session, page: str) -> str:
    """The form token a page carries (the forms are CSRF-protected as in production)."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', web.get(page, timeout=30).text)
    if found is None:
        raise RuntimeError(f"no CSRF token on {page}")
    return found.group(1)


class Display(threading.Thread):
    """One TV: polls like layar.js and notes when each call event arrives."""

    def __init__(self, base: str, seen: dict[int, list[float]], lock: threading.Lock,
                 stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.seen, self.lock, self.stop_ = base, seen, lock, stop
        self.held = 0
        self.answers = 0

    def run(self) -> None:
        web = requests.Session()
        last = web.get(f"{self.base}/layar/ADMINDUK/panggilan", timeout=30).json()["last_event"]
        while not self.stop_.is_set():
            try:
                board = web.get(f"{self.base}/layar/ADMINDUK/panggilan",
                                params={"after": last, "wait": 5}, timeout=30).json()
            except requests.RequestException:
                time.sleep(1)
                continue
            arrived = time.perf_counter()
            self.answers += 1
            self.held += bool(board["long_poll"])
            with self.lock:
                for call in board["new_calls"]:
                    self.seen.setdefault(call["event"], []).append(arrived)
            last = board["last_event"]
            if not board["long_poll"]:
                time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--displays", type=int, default=20)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--database", default="postgres", choices=("postgres", "sqlite"))
    parser.add_argument("--threads", type=int, default=16, help="gunicorn threads per worker")
    parser.add_argument("--slots", type=int, default=12,
                        help="KIOSK_DISPLAY_LONG_POLL_SLOTS per worker")
    options = parser.parse_args()
    with bench_database(options.database, "ekiosk_layar") as url:
        load_demo_catalog(url)
        try:
            seed(url, options.calls)
        except ValidationFailed as closed:
            raise SystemExit(f"the counters take no tickets today ({closed.message.code}): "
                             "run the bench on a working day") from None
        server = Gunicorn("wsgi:app", url, threads=options.threads, extra_env={
            "KIOSK_DISPLAY_LONG_POLL_SLOTS": str(options.slots)}).__enter__()
        seen: dict[int, list[float]] = {}
        lock, stop = threading.Lock(), threading.Event()
        displays = [Display(server.base, seen, lock, stop) for _ in range(options.displays)]
        try:
            for display in displays:
                display.start()
            officer = requests.Session()
            officer.post(f"{server.base}/auth/login", timeout=30, data={
                "username": "officer.mpp", "password": DEMO_PASSWORD,
                "csrf_token": csrf_token(officer, f"{server.base}/auth/login")})
            token = csrf_token(officer, f"{server.base}/loket/1")
            time.sleep(2)  # every display settles into its poll
            sent: dict[int, float] = {}
            for n in range(options.calls):
                counter = 1 + n % 2
                started = time.perf_counter()
                answer = officer.post(f"{server.base}/loket/{counter}/panggil",
                                      data={"csrf_token": token},
                                      headers={"Accept": "application/json"}, timeout=30)
                ticket = answer.json()["ticket"]
                # The call's event is the newest of the group: found by the displays' answers.
                sent[ticket["id"]] = started
                officer.post(f"{server.base}/loket/{counter}/tiket/{ticket['id']}/selesai",
                             data={"csrf_token": token},
                             headers={"Accept": "application/json"}, timeout=30)
                time.sleep(0.6)
            time.sleep(2)
        finally:
            stop.set()
            server.stop()
    starts = sorted(sent.values())
    latencies = []
    for event, arrivals in sorted(seen.items()):
        index = sorted(seen).index(event)
        if index < len(starts):
            latencies += [arrival - starts[index] for arrival in arrivals]
    expected = options.calls * options.displays
    held = sum(d.held for d in displays) / max(1, sum(d.answers for d in displays))
    p95 = percentile(latencies, 0.95)
    print(f"call to display, {options.database}, {server.describe()}, "
          f"{options.displays} displays ({options.slots} long-poll slots per worker, "
          f"{100 * held:.0f}% of answers held), {options.calls} calls, "
          f"{len(latencies)}/{expected} display updates, {datetime.now():%Y-%m-%d %H:%M}:")
    print(f"  p50 {1000 * statistics.median(latencies):.0f} ms  p95 {1000 * p95:.0f} ms  "
          f"max {1000 * max(latencies):.0f} ms  (goal p95 < 1000 ms: "
          f"{'met' if p95 < 1 else 'MISSED'})")


if __name__ == "__main__":
    main()
