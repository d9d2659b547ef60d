"""The outbox under load on PostgreSQL: 10,000 events committed with their messages (10 per
transaction by default, --per-commit), delivered by 2 and then 4 worker processes (`flask outbox work`) to a local
fake SMS gateway. Prints messages per second, the lag from commit to delivery (p50/p99), and
checks that every message arrived exactly once.

    KIOSK_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.outbox [--events 10000] [--workers 2 4]

A fresh database is made next to the URL given for each run and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.database import scratch_database, upgrade_database
from services.models import OutboxChannel, OutboxMessage, OutboxState
from services.outbox.notices import notify_citizen, record_consent

ROOT = Path(__file__).resolve().parent.parent
SUBJECT = "request:BENCH0001"


def run_provider(port_out: multiprocessing.Queue, log_path: str) -> None:
    """A fake SMS gateway in its own process: records (key, arrival time) per POST."""
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (closed at exit)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            log.write(f"{self.headers['Idempotency-Key']} {time.time()}\n")
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: (log.close(), os._exit(0)))
    port_out.put(server.server_address[1])
    server.serve_forever()


def start_workers(count: int, url: str, provider_port: int, instance: str) -> list:
    env = {**os.environ, "FLASK_APP": "wsgi:app", "DATABASE_URL": url,
           "KIOSK_INSTANCE_PATH": instance, "KIOSK_SECRET_KEY": "bench-secret",
           "KIOSK_NOTIFY_QUIET_HOURS": "none", "KIOSK_SMS_PROVIDER": "http",
           "KIOSK_SMS_URL": f"http://127.0.0.1:{provider_port}/sms", "KIOSK_SMS_TOKEN": "t",
           "KIOSK_OUTBOX_POLL_SECONDS": "0.05", "KIOSK_OUTBOX_BATCH_SIZE": "20"}
    workers = [subprocess.Popen([sys.executable, "-m", "flask", "outbox", "work",
                                 "--no-sla-sweep"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
               for _ in range(count)]
    for worker in workers:  # each says so once its app is built
        assert worker.stdout is not None
        worker.stdout.readline()
    return workers


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(server_url: str, events: int, worker_count: int, per_commit: int) -> None:
    with scratch_database(server_url, "ekiosk_bench_outbox") as url, \
            tempfile.TemporaryDirectory() as folder:
        upgrade_database(url)
        engine = create_engine(url, hide_parameters=True)
        with Session(engine) as session:
            consent = record_consent(session, subject=SUBJECT, channel=OutboxChannel.SMS,
                                     address="081234567890", language="id", source="bench")
            session.commit()
            assert consent is not None
        log_path = str(Path(folder) / "received.log")
        ports: multiprocessing.Queue = multiprocessing.Queue()
        provider = multiprocessing.Process(target=run_provider, args=(ports, log_path))
        provider.start()
        workers = start_workers(worker_count, url, ports.get(timeout=30), folder)
        committed: dict[str, float] = {}
        started = time.time()
        try:
            with Session(engine) as session:
                for first in range(0, events, per_commit):
                    numbers = range(first, min(first + per_commit, events))
                    for number in numbers:
                        notify_citizen(session, subject=SUBJECT, event_key=f"bench:{number}",
                                       event_kind="submitted", template="received",
                                       params={"code": f"B{number:05d}"},
                                       now=datetime.now(UTC))
                    session.commit()
                    at = time.time()
                    committed.update((f"bench:{number}:sms", at) for number in numbers)
            produced = time.time()
            deadline = time.time() + 600
            with Session(engine) as session:
                while time.time() < deadline and session.scalar(
                        select(func.count()).where(OutboxMessage.state
                                                   != OutboxState.SENT)):
                    session.rollback()
                    time.sleep(0.2)
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=60)
            provider.terminate()
            provider.join(timeout=10)
        arrivals = [line.split() for line in Path(log_path).read_text().splitlines()]
        counts = Counter(key for key, _ in arrivals)
        first_arrival = {}
        for key, at in arrivals:
            first_arrival.setdefault(key, float(at))
        lags = [(first_arrival[key] - committed[key]) * 1000 for key in committed
                if key in first_arrival]
        last = max(first_arrival.values())
        with Session(engine) as session:
            sent = session.scalar(select(func.count()).where(
                OutboxMessage.state == OutboxState.SENT))
        engine.dispose()
        twice = sum(1 for c in counts.values() if c > 1)
        print(f"{worker_count} workers: {events} events committed in {produced - started:.1f} s "
              f"({events / (produced - started):.0f}/s); delivered {len(first_arrival)} in "
              f"{last - started:.1f} s = {len(first_arrival) / (last - started):.0f} messages/s; "
              f"lag commit->delivery p50 {statistics.median(lags):.0f} ms, "
              f"p99 {percentile(lags, 0.99):.0f} ms; sent rows {sent}; "
              f"received twice {twice}; missing {events - len(first_arrival)}", flush=True)
        assert len(first_arrival) == events and twice == 0 and sent == events, \
            "not every message was delivered exactly once"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--per-commit", type=int, default=10,
                        help="events committed together (1: each in its own transaction)")
    args = parser.parse_args()
    server = os.environ.get("KIOSK_BENCH_DATABASE_URL",
                            "postgresql://postgres@127.0.0.1:5432/postgres")
    print(f"outbox benchmark, {args.events} events ({args.per_commit} per commit), PostgreSQL at {server.split('@')[-1]}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)",
          flush=True)
    for count in args.workers:
        run(server, args.events, count, args.per_commit)
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
