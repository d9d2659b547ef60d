"""Time the IKM of a service over a year of responses, added up in the database, and the same
index computed in Python from a paper survey's rows.

    .venv/bin/python -m bench.ikm [--responses 100000] [--rounds 20]
    KIOSK_BENCH_DATABASE_URL=postgresql://... .venv/bin/python -m bench.ikm   # on PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session

from services.database import scratch_database, upgrade_database
from services.db import install_sqlite_behaviour
from services.ikm.index import compute_ikm
from services.ikm.report import ikm_report, ikm_scope
from services.models import Agency, AgencyKind, Category, Service, SurveyResponse


@contextmanager
def bench_database() -> Iterator[str]:
    server = os.environ.get("KIOSK_BENCH_DATABASE_URL")
    if server:
        with scratch_database(server, "ekiosk_bench_ikm") as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/ikm.sqlite3"


def median_ms(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def seed(session: Session, count: int) -> None:
    agencies = [Agency(code=f"DINAS-{i}", kind=AgencyKind.DINAS, name_id=f"Dinas {i}",
                       name_en=f"Office {i}") for i in range(8)]
    category = Category(code="umum", name_id="Umum", name_en="General")
    session.add_all([*agencies, category])
    session.flush()
    services = [Service(code=f"SVC-{i}", category_id=category.id) for i in range(40)]
    session.add_all(services)
    session.flush()
    rng = random.Random(14_2017)
    now = datetime.now(UTC)
    rows = [{"service_id": services[n % 40].id, "agency_id": agencies[n % 8].id,
             "period": f"2026-{n % 12 + 1:02d}", "source": "kiosk", "created_at": now,
             **{f"u{k}": rng.randint(1, 4) for k in range(1, 10)}} for n in range(count)]
    for start in range(0, count, 10_000):
        session.execute(insert(SurveyResponse), rows[start:start + 10_000])
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    install_sqlite_behaviour()
    with bench_database() as url:
        upgrade_database(url)
        engine = create_engine(url, hide_parameters=True)
        with Session(engine) as session:
            start = time.perf_counter()
            seed(session, args.responses)
            print(f"{engine.dialect.name}: {args.responses} responses, 40 services, 8 agencies, "
                  f"seeded in {time.perf_counter() - start:.1f} s")
            for label, filters in (
                    ("whole city, all months", {}),
                    ("one agency, one year", {"agency_code": "DINAS-3",
                                              "period_from": "2026-01", "period_to": "2026-12"}),
                    ("one service, one month", {"service_code": "SVC-7",
                                                "period_from": "2026-04", "period_to": "2026-04"})):
                scope = ikm_scope(session, **filters)
                report = ikm_report(session, scope, tz="Asia/Jakarta")
                took = median_ms(args.rounds, lambda s=scope: ikm_report(session, s,
                                                                         tz="Asia/Jakarta"))
                print(f"  GET /api/v1/ikm {label}: {report.result.respondents} respondents, "
                      f"IKM {report.result.ikm} {getattr(report.result.grade, 'letter', '-')}, "
                      f"median {took:.1f} ms")
        engine.dispose()
    rng = random.Random(1)
    paper = [tuple(rng.randint(1, 4) for _ in range(9)) for _ in range(10_000)]
    took = median_ms(args.rounds, lambda: compute_ikm(paper))
    print(f"compute_ikm, 10,000 paper rows in Python: median {took:.1f} ms")


if __name__ == "__main__":
    main()
