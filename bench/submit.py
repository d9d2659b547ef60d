"""Benchmark the submission endpoint against a trivial one, under gunicorn on PostgreSQL.

Makes a fresh benchmark database, migrates it and loads the demo catalog, starts gunicorn on a
free 127.0.0.1 port, then sends the same number of requests (bounded in count and time) to
GET /healthz and to POST /api/v1/requests, and prints requests per second and p95 latency for
each and their ratio. Everything it starts or creates it stops and drops.

    .venv/bin/python -m bench.submit [--requests 400] [--concurrency 8] [--max-seconds 60]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.demo import load_demo
from services.schema import scratch_database, upgrade_database

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-device-token-" + uuid.uuid4().hex
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SKTM_ANSWERS = {"kecamatan": "utara", "kelurahan": "Sukamaju", "rt_rw": "3/5",
                "purpose": "pendidikan", "household_members": 4, "monthly_income": 1500000,
                "in_dtks": False}


@dataclass
class Figures:
    name: str
    count: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[max(0, int(round(0.95 * len(ordered))) - 1)] if ordered else 0.0

    def line(self) -> str:
        median = 1000 * statistics.median(self.latencies) if self.latencies else 0.0
        return (f"{self.name:<26} {self.count:>6} requests in {self.seconds:6.2f} s  "
                f"{self.rps:8.1f} req/s  p50 {median:7.1f} ms  p95 {self.p95_ms:7.1f} ms  "
                f"errors {self.errors}")


def load_demo_catalog(url: str) -> None:
    upgrade_database(url)
    engine = create_engine(url, hide_parameters=True)
    with Session(engine) as session:
        load_demo(session, device_token=TOKEN)
        session.commit()
    engine.dispose()


def start_gunicorn(url: str, instance: str, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    """gunicorn on 127.0.0.1, port chosen by the system; returns the process and base URL."""
    env = {**os.environ, "DATABASE_URL": url, "KIOSK_INSTANCE_PATH": instance,
           # A throw-away benchmark server (bandit B105).
           "KIOSK_SECRET_KEY": "bench-secret",  # nosec B105
           "KIOSK_DEMO_MODE": "1"}  # plain http on loopback, no public address
    # Our own gunicorn, fixed arguments, no shell (bandit B603).
    process = subprocess.Popen(  # nosec B603
        [str(Path(sys.executable).with_name("gunicorn")), "--bind", "127.0.0.1:0",
         "--workers", str(workers), "--threads", str(threads), "--log-level", "info", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        return process, wait_for_listening(process, time.monotonic() + 60)
    except BaseException:
        stop(process)
        raise


def wait_for_listening(process: subprocess.Popen, deadline: float) -> str:
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            raise RuntimeError("gunicorn exited before listening")
        if match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line):
            threading.Thread(target=process.stderr.read, daemon=True).start()  # drain the log
            wait_until_healthy(match.group(1), deadline)
            return match.group(1)
    raise RuntimeError("gunicorn did not start in time")


def stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn this script started (its master, which stops its workers)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_until_healthy(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass  # workers still booting
        time.sleep(0.2)
    raise RuntimeError("gunicorn never became healthy")


def run_load(name: str, count: int, concurrency: int, max_seconds: float,
             send: Callable[[requests.Session, int], bool]) -> Figures:
    """Send up to ``count`` requests from ``concurrency`` clients, stopping at ``max_seconds``."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    next_index = iter(range(count))
    started = time.perf_counter()

    def client() -> None:
        nonlocal errors
        with requests.Session() as http:
            while time.perf_counter() - started < max_seconds:
                with lock:
                    index = next(next_index, None)
                if index is None:
                    return
                before = time.perf_counter()
                try:
                    ok = send(http, index)
                except requests.RequestException:
                    ok = False
                elapsed = time.perf_counter() - before
                with lock:
                    latencies.append(elapsed)
                    errors += 0 if ok else 1

    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(client)
    return Figures(name, len(latencies), errors, time.perf_counter() - started, latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=60, help="time bound per endpoint")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--admin-url", default=os.environ.get("KIOSK_BENCH_DATABASE_URL",
                                                              DEFAULT_ADMIN_URL))
    options = parser.parse_args()

    with scratch_database(options.admin_url, "ekiosk_bench") as url:
        run(url, options)


def run(url: str, options: argparse.Namespace) -> None:
    process = None
    try:
        load_demo_catalog(url)
        with tempfile.TemporaryDirectory() as instance:
            process, base = start_gunicorn(url, instance, options.workers, options.threads)
            run_id = uuid.uuid4().hex[:8]

            def health(http: requests.Session, index: int) -> bool:
                return http.get(f"{base}/healthz", timeout=10).status_code == 200

            def submission(http: requests.Session, index: int) -> bool:
                response = http.post(
                    f"{base}/api/v1/requests", timeout=30,
                    headers={"Authorization": f"Bearer {TOKEN}",
                             "Idempotency-Key": f"bench-{run_id}-{index}"},
                    json={"service_code": "SKTM", "language": "id",
                          "applicant": {"nik": "3578014506900001", "name": "Siti Aminah",
                                        "phone": "081234567890"},
                          "answers": SKTM_ANSWERS})
                return response.status_code == 201

            for warm in range(5):  # first requests load code and open connections
                with requests.Session() as http:
                    health(http, warm)
            trivial = run_load("GET /healthz", options.requests, options.concurrency,
                               options.max_seconds, health)
            submit = run_load("POST /api/v1/requests", options.requests, options.concurrency,
                              options.max_seconds, submission)
        print(f"gunicorn {options.workers} workers x {options.threads} threads, PostgreSQL, "
              f"{options.concurrency} concurrent clients")
        print(trivial.line())
        print(submit.line())
        if submit.rps and trivial.p95_ms:
            print(f"ratio: submission throughput is 1/{trivial.rps / submit.rps:.1f} of /healthz; "
                  f"its p95 is {submit.p95_ms / trivial.p95_ms:.1f}x that of /healthz")
    finally:
        if process is not None:
            stop(process)


if __name__ == "__main__":
    main()
