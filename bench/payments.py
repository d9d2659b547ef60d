"""Payment notifications under load: the demo bank sends signed SNAP payment notifications to
the app served on a loopback port, 100 at once for 100 different bills, then 20 at once that
are the same payment of one bill (the bank retrying). Prints notifications handled per second
and checks that none was lost and none doubled (every bill paid once, one payment row and one
bill_paid event per reference).

    .venv/bin/python -m bench.payments                     # SQLite, a temporary file
    KIOSK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.payments [--bills 100] [--duplicates 20] [--threads 20]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from services.codes import PinKeyring
from services.database import scratch_database, upgrade_database
from services.db import install_sqlite_behaviour, utcnow
from services.demo import load_demo
from services.models import Bill, BillState, Channel, Event, Payment, User
from services.submission import Submission, submit_request
from services.workflow.queues import claim_next_task
from services.workflow.tasks import approve_task

PBG = {"building_function": "hunian", "building_address": "Jl. Kenanga 7",
       "land_certificate_number": "SHM 1", "floor_area_m2": 120, "floors": 1,
       "has_previous_permit": False}
APPLICANT = {"nik": "3578014506900001", "name": "Siti Aminah", "phone": "081234567890"}


@contextlib.contextmanager
def database() -> Iterator[str]:
    server = os.environ.get("KIOSK_BENCH_DATABASE_URL")
    if server:
        with scratch_database(server, "ekiosk_bench_pay") as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


def billed_requests(url: str, count: int) -> list[str]:
    """``count`` PBG requests billed by PUPR just now; their VA customer numbers."""
    from services.submission import Applicant

    install_sqlite_behaviour()
    engine = create_engine(url)
    pins = PinKeyring.from_secrets("bench-pin-key")
    now = utcnow() - timedelta(minutes=5)
    with Session(engine, expire_on_commit=False) as session:
        load_demo(session)
        session.commit()
        clerks = {u.username: u for u in session.scalars(select(User))}
        for _ in range(count):
            submit_request(session, Submission(service_code="PBG", applicant=Applicant(
                **APPLICANT), answers=PBG, channel=Channel.KIOSK), pins=pins, now=now)
            session.commit()
        for username in ("clerk.dpmptsp", "clerk.pupr"):
            while (task := claim_next_task(session, actor=clerks[username], now=now)):
                approve_task(session, actor=clerks[username], task_id=task.id, now=now)
                session.commit()
        numbers = list(session.scalars(select(Bill.va_number).order_by(Bill.id)))
    engine.dispose()
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=100)
    parser.add_argument("--duplicates", type=int, default=20)
    parser.add_argument("--threads", type=int, default=20)
    args = parser.parse_args()
    from kiosk import create_app
    from kiosk.bank.simulator import DemoBank

    with database() as url, tempfile.TemporaryDirectory() as instance:
        upgrade_database(url)
        started = time.perf_counter()
        numbers = billed_requests(url, args.bills + 1)
        print(f"database: {url.split(':', 1)[0]}; {len(numbers)} bills made in "
              f"{time.perf_counter() - started:.1f} s")
        os.environ["KIOSK_INSTANCE_PATH"] = instance
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret",
                          "PIN_KEY": "bench-pin-key", "DEMO_MODE": True,
                          "RATELIMIT_ENABLED": False})
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        import threading

        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        config = app.config
        bank = DemoBank(app_url=f"http://127.0.0.1:{server.server_port}",
                        client_key=config["BANK_CLIENT_KEY"],
                        client_secret=config["BANK_CLIENT_SECRET"],
                        private_key_pem=(Path(config["BANK_PUBLIC_KEY"]).parent
                                         / "bank_private.pem").read_bytes(),
                        va_prefix=config["VA_PREFIX"])
        token = bank.token()
        with Session(create_engine(url)) as session:
            amount = session.scalar(select(Bill.amount).limit(1))
        assert amount is not None
        different, repeated = numbers[:args.bills], numbers[args.bills]

        def notify(customer: str, reference: str) -> int:
            status, _body = bank.notify_va(customer, amount=amount, reference=reference,
                                           token=token)
            return status

        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            started = time.perf_counter()
            statuses = list(pool.map(notify, different, [f"B-{n}" for n in different]))
            spent = time.perf_counter() - started
        print(f"{args.bills} concurrent notifications for different bills: "
              f"{args.bills / spent:.1f} notifications/s ({spent:.2f} s, {args.threads} "
              f"threads); answers {sorted(set(statuses))}")
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            started = time.perf_counter()
            statuses = list(pool.map(notify, [repeated] * args.duplicates,
                                     ["DUP-1"] * args.duplicates))
            spent = time.perf_counter() - started
        print(f"{args.duplicates} concurrent duplicates of one payment: "
              f"{args.duplicates / spent:.1f} notifications/s; answers {sorted(set(statuses))}")
        server.shutdown()
        thread.join(timeout=10)
        engine = create_engine(url)
        with Session(engine) as session:
            paid = session.scalar(select(func.count()).select_from(Bill)
                                  .where(Bill.state == BillState.PAID))
            rows = session.scalar(select(func.count()).select_from(Payment))
            duplicate_rows = session.scalar(select(func.count()).select_from(Payment)
                                            .where(Payment.bank_reference == "va:DUP-1"))
            events = session.scalar(select(func.count()).select_from(Event)
                                    .where(Event.kind == "bill_paid"))
        engine.dispose()
        with app.app_context():
            from kiosk.extensions import db

            db.engine.dispose()
        expected = args.bills + 1
        lost = expected - (paid or 0)
        doubled = (rows or 0) - expected + (events or 0) - expected
        print(f"bills paid {paid}/{expected}, payment rows {rows}, rows for the repeated "
              f"payment {duplicate_rows}, bill_paid events {events}")
        print(f"lost: {lost}, doubled: {doubled}")
        if lost or doubled or duplicate_rows != 1:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
