"""The command center at national scale on PostgreSQL: 1,000,000 requests over two years with
their tasks and events, seeded with COPY, then every command-center query and the public page
timed (p50/p95 over repeated runs; goal p95 under 0.5 s each). The seed also holds a
satisfaction survey for every fifth finished request and a complaint for every fiftieth request,
forwarded to the agency and mostly answered, so the citizen-outcome tables are timed too.

    KIOSK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.dashboard [--requests 1000000] [--rounds 10] [--keep NAME]

A fresh database is made next to the URL given and dropped afterwards; with ``--keep NAME`` the
database NAME is used instead, seeded only when it is empty, and kept, so a second run times
the queries again without seeding.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.orm import Session

from bench.servers import bench_catalog
from services.catalog.transfer import import_catalog
from services.database import normalise_url, scratch_database, upgrade_database
from services.db import utcnow
from services.models import Agency, ComplaintCategory, Kiosk, Service
from services.performance.citizen_outcomes import agency_outcomes, service_outcomes
from services.performance.figures import (
    Period,
    agency_rows,
    monthly_on_time,
    service_rows,
    submitted_by_day,
    submitted_by_kiosk,
)
from services.performance.metrics import current_gauges
from services.performance.public import public_performance
from services.performance.rollups import OVERLAP_DAYS, refresh_rollups

TZ = "Asia/Jakarta"
AGENCIES = [f"DINAS-{n:02d}" for n in range(1, 13)]
KIOSKS = 40
GOAL_SECONDS = 0.5


def catalog() -> dict:
    """Twenty services over twelve agencies, with standards of 1 to 14 working days."""
    return bench_catalog(AGENCIES, [(f"SVC-{n:02d}", AGENCIES[n % len(AGENCIES)],
                                     [1, 3, 5, 7, 14][n % 5]) for n in range(20)])


def copy_rows(connection, table: str, columns: list[str], rows: io.StringIO) -> None:
    rows.seek(0)
    raw = connection.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        while chunk := rows.read(1 << 20):
            copy.write(chunk)


def seed(url: str, requests: int) -> None:
    """The catalog, kiosks, then ``requests`` requests over two years: most decided (a fifth
    returned once for information, a tenth rejected, some late), the last weeks still open."""
    engine = create_engine(url, hide_parameters=True)
    with Session(engine) as session:
        import_catalog(session, catalog(), "bench.yaml")
        session.commit()
        for n in range(KIOSKS):
            session.add(Kiosk(code=f"KIOSK-{n:03d}", name=f"Kios {n:03d}"))
        session.commit()
        agencies = {a.code: a.id for a in session.scalars(select(Agency))}
        for code, agency_id in agencies.items():
            session.add(ComplaintCategory(code=f"C-{code}", name_id=f"Layanan {code}",
                                          name_en=f"{code} services", forward_days=3,
                                          answer_days=5, default_agency_id=agency_id))
        session.commit()
        categories = {c.default_agency_id: c.id for c in session.scalars(select(ComplaintCategory))}
        services = []
        for service in session.scalars(select(Service).order_by(Service.code)):
            version = service.current_version
            step = version.steps[0]
            services.append((version.id, step.id, agencies[step.agency.code],
                             version.duration_days, service.id))
        kiosk_ids = list(session.scalars(select(Kiosk.id)))
    random.seed(7)
    now = utcnow()
    start = now - timedelta(days=730)
    span = (now - start).total_seconds()
    request_cols = ["id", "tracking_code", "pin_hash", "service_version_id", "status", "channel",
                    "language", "applicant_nik", "applicant_name", "applicant_phone",
                    "answers", "kiosk_id", "payload_digest", "created_at", "due_at",
                    "closed_at", "decided_at", "stopped_days", "returned_for_info",
                    "working_days_used", "decided_on_time"]
    task_cols = ["id", "request_id", "step_id", "agency_id", "stage", "status", "outcome",
                 "ready_at", "due_at", "done_at", "note"]
    event_cols = ["request_id", "kind", "actor_label", "to_status", "note", "data",
                  "created_at"]
    survey_cols = ["service_id", "service_version_id", "agency_id", "channel", "kiosk_id",
                   "period", "source", *(f"u{n}" for n in range(1, 10)), "created_at"]
    complaint_cols = ["id", "tracking_code", "pin_hash", "category_id", "description",
                      "location", "privacy", "channel", "language", "status", "payload_digest",
                      "created_at", "forward_due_at", "agency_text", "published", "public_text",
                      "close_reason", "closed_at"]
    forwarding_cols = ["complaint_id", "agency_id", "state", "note", "forwarded_at", "due_at",
                       "answer", "answered_at"]
    began = time.perf_counter()
    batch = 100_000
    with engine.begin() as connection:
        for first in range(1, requests + 1, batch):
            req, task, event = io.StringIO(), io.StringIO(), io.StringIO()
            survey, complaint, forwarding = io.StringIO(), io.StringIO(), io.StringIO()
            for rid in range(first, min(first + batch, requests + 1)):
                version_id, step_id, agency_id, standard, service_id = \
                    services[rid % len(services)]
                created = start + timedelta(seconds=span * rid / requests)
                due = created + timedelta(days=standard * 1.4 + 1)
                kiosk = random.choice(kiosk_ids) if rid % 3 else None
                channel = "kiosk" if kiosk else random.choice(("web", "api", "counter"))
                open_ = created > now - timedelta(days=21) and rid % 2 == 0
                returned = rid % 5 == 0
                stopped = random.randint(1, 4) if returned else 0
                if open_:
                    status, closed, used, on_time = "in_progress", None, None, None
                    t_status, outcome = "ready", None
                else:
                    used = max(0, int(random.gauss(standard * 0.8, 2)))
                    closed = created + timedelta(days=used * 1.4 + stopped * 1.4, hours=3)
                    status = "rejected" if rid % 10 == 0 else "approved"
                    on_time = closed <= due + timedelta(days=stopped * 1.4)
                    t_status, outcome = "done", status
                c = created.isoformat()
                d = due.isoformat()
                x = closed.isoformat() if closed else "\\N"
                req.write("\t".join((
                    str(rid), f"B{rid:010d}", "x", str(version_id), status, channel, "id",
                    "3578010101900001", "Bench Citizen", "081200000000", "{}",
                    str(kiosk) if kiosk else "\\N", "", c, d, x, x, str(stopped),
                    "t" if returned else "f", str(used) if used is not None else "\\N",
                    ("t" if on_time else "f") if on_time is not None else "\\N")) + "\n")
                task.write("\t".join((
                    str(rid), str(rid), str(step_id), str(agency_id), "1", t_status,
                    outcome or "\\N", c, d, x, "")) + "\n")
                event.write(f"{rid}\tsubmitted\t\tsubmitted\t\t{{}}\t{c}\n")
                if closed:
                    event.write(f"{rid}\trequest_{status}\tBench\t{status}\t\t{{}}\t{x}\n")
                if closed and rid % 5 == 1:
                    answers = [str(random.choice((2, 3, 3, 4, 4))) for _ in range(9)]
                    survey.write("\t".join((
                        str(service_id), str(version_id), str(agency_id), channel,
                        str(kiosk) if kiosk else "\\N", closed.strftime("%Y-%m"), "kiosk",
                        *answers, x)) + "\n")
                if rid % 50 == 7:
                    complaint_rows(complaint, forwarding, rid, categories[agency_id], agency_id,
                                   created, now)
            copy_rows(connection, "service_request", request_cols, req)
            copy_rows(connection, "task", task_cols, task)
            copy_rows(connection, "event", event_cols, event)
            copy_rows(connection, "survey_response", survey_cols, survey)
            copy_rows(connection, "complaint", complaint_cols, complaint)
            copy_rows(connection, "complaint_forwarding", forwarding_cols, forwarding)
            print(f"  seeded {min(first + batch - 1, requests):,} requests "
                  f"({time.perf_counter() - began:.0f} s)", flush=True)
        connection.execute(text("SELECT setval('service_request_id_seq', :n)"), {"n": requests})
        connection.execute(text("SELECT setval('task_id_seq', :n)"), {"n": requests})
        connection.execute(text("SELECT setval('complaint_id_seq', :n)"), {"n": requests})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def complaint_rows(complaint: io.StringIO, forwarding: io.StringIO, cid: int, category_id: int,
                   agency_id: int, created, now) -> None:
    """A complaint forwarded to the agency the next day; answered (mostly within 5 days) unless
    it is recent, then rated resolved or closed without confirmation."""
    forwarded = created + timedelta(days=1)
    due = forwarded + timedelta(days=7)
    answered = forwarded + timedelta(days=random.randint(1, 9))
    if answered > now:
        status, state, answered_at, closed = "forwarded", "open", "\\N", "\\N"
    else:
        status = "resolved" if cid % 3 else "closed_unconfirmed"
        state, answered_at = "answered", answered.isoformat()
        closed = (answered + timedelta(days=3)).isoformat()
    complaint.write("\t".join((
        str(cid), f"A{cid:010d}", "x", str(category_id), "Bench complaint", "", "public",
        "kiosk", "id", status, "", created.isoformat(),
        (created + timedelta(days=4)).isoformat(), "Bench complaint", "f", "", "",
        closed)) + "\n")
    forwarding.write("\t".join((
        str(cid), str(agency_id), state, "", forwarded.isoformat(), due.isoformat(),
        "Jawaban" if state == "answered" else "", answered_at)) + "\n")


def timed(label: str, rounds: int, work: Callable[[], object]) -> tuple[str, float, float]:
    work()  # warm the caches, as a dashboard open all day would be
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return label, statistics.median(times), p95


def measure(url: str, rounds: int) -> list[tuple[str, float, float]]:
    engine = create_engine(url, hide_parameters=True)
    now = utcnow()
    today = now.astimezone(ZoneInfo(TZ)).date()
    last30 = Period.last_days(30, today, TZ)
    year = Period(date(today.year, 1, 1), today, TZ)
    results = []
    with Session(engine) as session:
        busy = session.scalar(select(Agency.id).where(Agency.code == AGENCIES[0]))
        checks: list[tuple[str, Callable[[], object]]] = [
            ("requests per day, 30 days", lambda: submitted_by_day(session, last30)),
            ("requests per day, this year", lambda: submitted_by_day(session, year)),
            ("requests per kiosk, 30 days", lambda: submitted_by_kiosk(session, last30)),
            ("agencies: backlog, on time, 30 days",
             lambda: agency_rows(session, last30, now=now)),
            ("agencies: backlog, on time, this year",
             lambda: agency_rows(session, year, now=now)),
            ("services: median days, 30 days", lambda: service_rows(session, last30)),
            ("services: median days, this year", lambda: service_rows(session, year)),
            ("one agency's services, this year",
             lambda: service_rows(session, year, agency_id=busy)),
            ("one agency's requests per day, 30 days",
             lambda: submitted_by_day(session, last30, busy)),
            ("monthly on-time trend, 12 months",
             lambda: monthly_on_time(session, Period(today - timedelta(days=365), today, TZ))),
            ("public page /kinerja", lambda: public_performance(session, today=today, tz=TZ)),
            ("Prometheus gauges", lambda: current_gauges(session, tz=TZ)),
            ("agencies: IKM and complaints, 30 days",
             lambda: agency_outcomes(session, last30)),
            ("agencies: IKM and complaints, this year",
             lambda: agency_outcomes(session, year)),
            ("services: IKM, this year", lambda: service_outcomes(session, year)),
        ]
        for label, work in checks:
            results.append(timed(label, rounds, work))
            session.rollback()
    engine.dispose()
    return results


def kept_database(server: str, name: str) -> str:
    """The URL of database ``name`` beside ``server``, created when it does not exist yet."""
    admin_url = make_url(normalise_url(server))
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", hide_parameters=True)
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.set(database=name).render_as_string(hide_password=False)


def is_seeded(url: str) -> bool:
    engine = create_engine(url, hide_parameters=True)
    with engine.connect() as connection:
        seeded = bool(connection.scalar(text("SELECT count(*) FROM service_request")))
    engine.dispose()
    return seeded


def run(url: str, requests: int, rounds: int) -> list[tuple[str, float, float]]:
    upgrade_database(url)
    if is_seeded(url):
        print("The database is seeded already: timing the queries only.\n")
        return measure(url, rounds)
    began = time.perf_counter()
    print(f"Seeding {requests:,} requests with their tasks, events, surveys and complaints "
          "(COPY)...")
    seed(url, requests)
    print(f"Seeded in {time.perf_counter() - began:.0f} s.\n")
    began = time.perf_counter()
    engine = create_engine(url, hide_parameters=True)
    with Session(engine) as session:
        period = refresh_rollups(session, today=utcnow().astimezone(ZoneInfo(TZ)).date(), tz=TZ)
        session.commit()
        rows = {table: session.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("rollup_requests", "rollup_decisions", "rollup_tasks",
                              "rollup_kiosks")}
    engine.dispose()
    print(f"First rollup of {period.first} to {period.last}: "
          f"{time.perf_counter() - began:.0f} s; rows {rows}.")
    began = time.perf_counter()
    with Session(create_engine(url, hide_parameters=True)) as session:
        refresh_rollups(session, today=utcnow().astimezone(ZoneInfo(TZ)).date(), tz=TZ)
        session.commit()
    print(f"A daily refresh (the last {OVERLAP_DAYS + 1} days): "
          f"{time.perf_counter() - began:.1f} s.\n")
    return measure(url, rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--keep", metavar="NAME",
                        help="use (and keep) database NAME, seeding it only when empty")
    args = parser.parse_args()
    server = os.environ.get("KIOSK_BENCH_DATABASE_URL")
    if not server:
        print("Set KIOSK_BENCH_DATABASE_URL to a PostgreSQL server, e.g. "
              "postgresql://postgres@127.0.0.1:5432/postgres", file=sys.stderr)
        return 2
    if args.keep:
        results = run(kept_database(server, args.keep), args.requests, args.rounds)
    else:
        with scratch_database(server, "ekiosk_bench_dashboard") as url:
            results = run(url, args.requests, args.rounds)
    print(f"{'query':45} {'p50 ms':>8} {'p95 ms':>8}  goal p95 < {GOAL_SECONDS * 1000:.0f} ms")
    for label, p50, p95 in results:
        flag = "ok" if p95 < GOAL_SECONDS else "MISSED"
        print(f"{label:45} {p50 * 1000:8.1f} {p95 * 1000:8.1f}  {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
