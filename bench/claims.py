"""Queue claims at city scale on PostgreSQL: 100,000 ready tasks across agencies, 16 clerks
claiming concurrently from one agency's queue, each clerk a separate process (claims per
second, p50/p99 latency, none twice, none lost),
and the clerk queue page's latency at that size.

    KIOSK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.claims [--tasks 100000] [--clerks 16] [--claims-each 300]

A fresh database is made next to the URL given and dropped afterwards.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import requests
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.orm import Session

from bench.servers import DEFAULT_ADMIN_URL, Gunicorn, bench_catalog
from services.accounts import UserInput, create_user
from services.catalog.transfer import import_catalog
from services.codes import PinKeyring, new_tracking_code
from services.database import scratch_database, upgrade_database
from services.db import install_sqlite_behaviour, utcnow
from services.models import (
    Agency,
    Channel,
    RequestStatus,
    Role,
    Service,
    ServiceRequest,
    Task,
    TaskStatus,
    User,
)
from services.workflow.queues import claim_next_task

AGENCIES = [f"DINAS-{n:02d}" for n in range(1, 9)]
BUSY = AGENCIES[0]
PASSWORD = "bench-password-123"
BATCH = 10_000


def catalog() -> dict:
    return bench_catalog(AGENCIES, [(f"SVC-{code}", code, 5) for code in AGENCIES])


def seed(session: Session, tasks: int) -> list[int]:
    """The catalog, 16+1 accounts, and ``tasks`` submitted requests each with one ready task."""
    import_catalog(session, catalog(), "bench.yaml")
    session.commit()
    agencies = {a.code: a.id for a in session.scalars(select(Agency))}
    services = {}
    for service in session.scalars(select(Service)):
        version = service.current_version
        services[service.code.removeprefix("SVC-")] = (version.id, version.steps[0].id)
    pin_hash = PinKeyring.from_secrets("bench-pin-key").hash_pin("123456")
    now = utcnow()
    rng = random.Random(4)
    start_id = 1
    while start_id <= tasks:
        ids = range(start_id, min(start_id + BATCH, tasks + 1))
        picks = [AGENCIES[0] if rng.random() < 0.3 else rng.choice(AGENCIES) for _ in ids]
        created = [now - timedelta(minutes=rng.randrange(0, 60 * 24 * 30)) for _ in ids]
        session.execute(insert(ServiceRequest), [{
            "id": rid, "tracking_code": new_tracking_code(), "pin_hash": pin_hash,
            "service_version_id": services[code][0], "status": RequestStatus.SUBMITTED,
            "channel": Channel.KIOSK, "language": "id", "applicant_nik": "3578014506900001",
            "applicant_name": "Warga Kota Contoh", "applicant_phone": "081234567890",
            "answers": {"purpose": "bench"}, "payload_digest": "", "created_at": at,
            "due_at": at + timedelta(days=7),
        } for rid, code, at in zip(ids, picks, created, strict=True)])
        session.execute(insert(Task), [{
            "request_id": rid, "step_id": services[code][1], "agency_id": agencies[code],
            "stage": 1, "status": TaskStatus.READY, "ready_at": at,
            "due_at": at + timedelta(days=3), "note": "",
        } for rid, code, at in zip(ids, picks, created, strict=True)])
        session.commit()
        start_id += BATCH
    session.execute(text("SELECT setval(pg_get_serial_sequence('service_request', 'id'), "
                         "(SELECT max(id) FROM service_request))"))
    clerks = [create_user(session, UserInput(
        username=f"clerk{n:02d}", full_name=f"Clerk {n:02d}", role=Role.CLERK,
        agency_code=BUSY, password=PASSWORD)) for n in range(16)]
    session.commit()
    session.execute(text("ANALYZE"))
    session.commit()
    return [c.id for c in clerks]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def clerk_process(url: str, user_id: int, claims_each: int, start: Any,
                  results: Any) -> None:
    """One clerk in its own process: claim and commit, one task after another."""
    engine = create_engine(url, pool_size=1, hide_parameters=True)
    latencies, ids = [], []
    with Session(engine, expire_on_commit=False) as session:
        actor = session.get(User, user_id)
        session.commit()
        start.wait()
        for _ in range(claims_each):
            began = time.perf_counter()
            task = claim_next_task(session, actor=actor)
            session.commit()
            latencies.append(time.perf_counter() - began)
            if task is None:
                break
            ids.append(task.id)
    engine.dispose()
    results.put((user_id, latencies, ids))


def run_claims(url: str, clerk_ids: list[int], claims_each: int) -> dict[str, float]:
    """16 clerks, each a separate process, claim from one agency's queue; figures and checks:
    no task claimed twice, none lost (every claim the clerks saw is in the database, by them)."""
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(clerk_ids) + 1)
    results = context.Queue()
    clerks = [context.Process(target=clerk_process, args=(url, uid, claims_each, start, results))
              for uid in clerk_ids]
    for clerk in clerks:
        clerk.start()
    start.wait()
    began = time.perf_counter()
    latencies: list[float] = []
    seen: dict[int, int] = {}
    claimed: list[int] = []
    for _ in clerks:
        user_id, mine_latencies, mine_ids = results.get(timeout=600)
        latencies.extend(mine_latencies)
        claimed.extend(mine_ids)
        seen.update(dict.fromkeys(mine_ids, user_id))
    elapsed = time.perf_counter() - began
    for clerk in clerks:
        clerk.join()
    twice = [task for task, n in Counter(claimed).items() if n > 1]
    engine = create_engine(url, hide_parameters=True)
    with Session(engine) as session:
        stored = dict(session.execute(select(Task.id, Task.claimed_by_id)
                                      .where(Task.status == TaskStatus.CLAIMED)).all())
    engine.dispose()
    lost = [task for task, user in seen.items() if stored.get(task) != user]
    unseen = [task for task in stored if task not in seen]
    rate = len(claimed) / elapsed
    p99 = 1000 * percentile(latencies, 0.99)
    print(f"claims: {len(claimed)} by {len(clerk_ids)} clerks (one process each) in "
          f"{elapsed:.1f} s = {rate:.0f} claims/s (goal >= 1000)")
    print(f"claim latency (claim + commit): p50 {1000 * statistics.median(latencies):.1f} ms, "
          f"p99 {p99:.1f} ms (goal < 50), max {1000 * max(latencies):.1f} ms")
    print(f"tasks claimed twice: {len(twice)}; lost (seen by a clerk, not theirs in the "
          f"database): {len(lost)}; claimed in the database but seen by no clerk: {len(unseen)}")
    return {"rate": rate, "p99_ms": p99, "twice": len(twice), "lost": len(lost) + len(unseen)}


def run_queue_page(url: str, rounds: int) -> None:
    from kiosk import create_app

    os.environ["KIOSK_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="ekiosk-bench-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "DEMO_MODE": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    client.post("/auth/login", data={"username": "clerk00", "password": PASSWORD})
    for view in ("ready", "mine", "overdue"):
        timings = []
        for _ in range(rounds):
            began = time.perf_counter()
            response = client.get(f"/clerk/?view={view}")
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200, response.status_code
        print(f"queue page /clerk/?view={view}: p50 {1000 * statistics.median(timings):.1f} ms, "
              f"p99 {1000 * percentile(timings, 0.99):.1f} ms ({rounds} loads)")
    began = time.perf_counter()
    response = client.get("/clerk/?q=ZZZZ-ZZZZ-Z")
    print(f"queue search by tracking code: {1000 * (time.perf_counter() - began):.1f} ms")
    from kiosk.extensions import db
    from services.workflow.queues import QueueFilter, agency_queue, queue_counts

    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "clerk00"))
        for label, call in (
            ("a page of the most urgent ready tasks", lambda: agency_queue(db.session, actor=actor)),
            ("the four tab counts", lambda: queue_counts(db.session, actor=actor)),
            ("the overdue view", lambda: agency_queue(db.session, actor=actor,
                                                      filters=QueueFilter(view="overdue"))),
        ):
            timings = []
            for _ in range(rounds):
                began = time.perf_counter()
                call()
                db.session.rollback()
                timings.append(time.perf_counter() - began)
            print(f"  of which {label}: p50 {1000 * statistics.median(timings):.1f} ms")


def run_queue_ratio(url: str, seconds: float, rounds: int, connections: int) -> None:
    """The clerk queue page against a bare indexed GET (one task row by primary key), both
    under gunicorn with make demo's settings in the same run, wrk in alternating rounds."""
    from bench.bare import create_bare_table
    from bench.submit import combined, run_wrk

    create_bare_table(url)
    pages, bares = [], []
    with Gunicorn("wsgi:app", url) as app, Gunicorn("bench.bare:create_app()", url) as bare:
        headers = {"User-Agent": "ekiosk-bench"}  # the session is bound to the user agent
        with requests.Session() as http:
            http.headers.update(headers)
            login = http.get(f"{app.base}/auth/login", timeout=30)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login.text)
            assert token is not None
            http.post(f"{app.base}/auth/login", timeout=30, data={
                "csrf_token": token.group(1), "username": "clerk00", "password": PASSWORD})
            headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        page = requests.get(f"{app.base}/clerk/", headers=headers, allow_redirects=False,
                            timeout=30)
        assert page.status_code == 200 and "/clerk/claim" in page.text, page.status_code
        print(f"queue page: {len(page.content)} bytes, "
              f"{page.text.count('<tr class=')} rows")
        for _round in range(rounds):
            pages.append(run_wrk("clerk queue page", f"{app.base}/clerk/", None,
                                 headers, seconds=seconds, connections=connections))
            bares.append(run_wrk("bare indexed GET", f"{bare.base}/tasks/1", None, {},
                                 seconds=seconds, connections=connections))
        described = app.describe()
    page, bare_run = combined("clerk queue page", pages), combined("bare indexed GET", bares)
    ratio = page.rps / bare_run.rps if bare_run.rps else 0.0
    print(f"queue page vs bare indexed GET: {described}, wrk {connections} connections, "
          f"{rounds} alternating rounds of {seconds:g} s")
    print(page.line())
    print(bare_run.line())
    print(f"  ratio {ratio:.2f} (goal >= 0.3: {'met' if ratio >= 0.3 else 'MISSED'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--clerks", type=int, default=16)
    parser.add_argument("--claims-each", type=int, default=300)
    parser.add_argument("--page-rounds", type=int, default=40)
    parser.add_argument("--page-seconds", type=float, default=10,
                        help="each wrk round of the queue page and the bare GET (0: none)")
    args = parser.parse_args()
    base = (os.environ.get("KIOSK_BENCH_DATABASE_URL") or os.environ.get("KIOSK_TEST_DATABASE_URL")
            or DEFAULT_ADMIN_URL)
    if not base:
        print("bench/claims.py needs PostgreSQL: set KIOSK_BENCH_DATABASE_URL "
              "(e.g. postgresql://postgres@127.0.0.1:5432/postgres). Skipped.")
        return
    install_sqlite_behaviour()
    with scratch_database(base, "ekiosk_bench") as url:
        upgrade_database(url)
        engine = create_engine(url, hide_parameters=True)
        began = time.perf_counter()
        with Session(engine, expire_on_commit=False) as session:
            clerk_ids = seed(session, args.tasks)[: args.clerks]
            busy = session.scalar(select(func.count()).select_from(Task).join(Agency)
                                  .where(Agency.code == BUSY))
        engine.dispose()
        print(f"seeded {args.tasks} ready tasks across {len(AGENCIES)} agencies "
              f"({busy} in {BUSY}'s queue) in {time.perf_counter() - began:.1f} s")
        run_claims(url, clerk_ids, args.claims_each)
        run_queue_page(url, args.page_rounds)
        if args.page_seconds:
            run_queue_ratio(url, args.page_seconds, rounds=2, connections=8)


if __name__ == "__main__":
    sys.exit(main())
