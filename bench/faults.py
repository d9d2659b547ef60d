"""Faults, measured: two app hosts behind HAProxy, one killed mid-load, PostgreSQL restarted
mid-load, while kiosk clients keep submitting and retry with their idempotency keys; then a
reconciliation of what the clients were told against what the database holds: 0 lost, 0 doubled.

Everything runs on loopback addresses and stops by itself (bounded in count and time):
  - PostgreSQL: a scratch cluster of its own (initdb on a free port) that can be restarted
    safely; where initdb is missing it falls back to a scratch database on the shared server and
    simulates the restart with pg_terminate_backend on the app's connections (and says so);
  - two gunicorn hosts (bench/submit.py's starter) sharing one instance folder (keys);
  - Debian's haproxy in front, health-checking /healthz (apt-get install haproxy).
There is no bench/load.py on main yet, so this script has its own small client.

    .venv/bin/python -m bench.faults [--requests 120] [--concurrency 6] [--max-seconds 240]
"""

from __future__ import annotations

import argparse
import collections
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, select, text

from bench.servers import DEFAULT_ADMIN_URL, TOKEN, Gunicorn, load_demo_catalog, wait_until_up
from bench.submit import SKTM_ANSWERS
from services.database import scratch_database
from services.models import ServiceRequest

RETRYABLE = {429, 500, 502, 503, 504}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- PostgreSQL: a scratch cluster that may be restarted, or a scratch database -------------


@dataclass
class Database:
    url: str
    restart_kind: str
    restart: Callable[[], None]


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


@contextmanager
def scratch_cluster() -> Iterator[Database]:
    """A PostgreSQL cluster of this run only, on a free loopback port; removed at the end."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("initdb/pg_ctl not found")
    as_user: list[str] = []
    home = Path(tempfile.mkdtemp(prefix="ekiosk-faults-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        postgres = pwd.getpwnam("postgres")
        os.chown(home, postgres.pw_uid, postgres.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port, data = free_port(), home / "data"
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {home} -c fsync=off"

    def ctl(*args: str) -> None:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-l", str(home / "log"), *args],
                       check=True, capture_output=True, timeout=60)

    try:
        subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120)
        ctl("-o", options, "-w", "start")
        try:
            server = create_engine(f"postgresql://postgres@127.0.0.1:{port}/postgres",
                                   isolation_level="AUTOCOMMIT")
            with server.connect() as connection:
                connection.execute(text("CREATE DATABASE ekiosk_faults"))
            server.dispose()
            yield Database(f"postgresql://postgres@127.0.0.1:{port}/ekiosk_faults",
                           "pg_ctl restart (fast) of a scratch cluster",
                           lambda: ctl("-o", options, "-m", "fast", "-w", "restart"))
        finally:
            ctl("-m", "immediate", "stop")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def terminate_connections(url: str) -> None:
    """The fallback fault: cut every connection the app hosts hold to their database."""
    engine = create_engine(url, hide_parameters=True)
    with engine.connect() as connection:
        connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        connection.commit()
    engine.dispose()


@contextmanager
def database(admin_url: str) -> Iterator[Database]:
    """A scratch cluster when one can be made, else a scratch database on the shared server."""
    with ExitStack() as stack:
        try:
            chosen = stack.enter_context(scratch_cluster())
        except (RuntimeError, OSError, KeyError, subprocess.SubprocessError) as why:
            print(f"!!! no scratch cluster ({why}); the PostgreSQL restart is SIMULATED with "
                  "pg_terminate_backend on the app's connections", flush=True)
            url = stack.enter_context(scratch_database(admin_url, "ekiosk_faults"))
            chosen = Database(url, "pg_terminate_backend of the app's connections "
                              "(simulated restart)", lambda: terminate_connections(url))
        yield chosen


# --- processes: gunicorn hosts and haproxy ---------------------------------------------------


def children_of(pid: int) -> list[int]:
    """Child process ids of ``pid`` (gunicorn's workers), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_host(process: subprocess.Popen) -> None:
    """SIGKILL a gunicorn host this script started: its master and its workers, by id."""
    workers = children_of(process.pid)
    for pid in [process.pid, *workers]:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


HAPROXY_CONFIG = """
global
    maxconn 512
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
frontend kiosk
    bind 127.0.0.1:{port}
    option forwardfor
    default_backend app
backend app
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
{servers}
"""


@contextmanager
def haproxy(backends: list[str], workdir: str) -> Iterator[str]:
    port = free_port()
    servers = "\n".join(f"    server app{n} {base.removeprefix('http://')} check"
                        for n, base in enumerate(backends, 1))
    config = Path(workdir) / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
    process = subprocess.Popen([shutil.which("haproxy") or "haproxy", "-db", "-f", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, time.monotonic() + 30)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the clients were told, per idempotency key."""

    codes: dict[str, set[str]] = field(default_factory=lambda: collections.defaultdict(set))
    answers: collections.Counter = field(default_factory=collections.Counter)
    attempts: int = 0
    gave_up: set[str] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    acked_at: list[float] = field(default_factory=list)
    killed_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def submit_until_acknowledged(http: requests.Session, base: str, key: str, ledger: Ledger,
                              deadline: float) -> None:
    """POST one request, retrying with the same Idempotency-Key until it is acknowledged."""
    pause = 0.2
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            response = http.post(
                f"{base}/api/v1/requests", timeout=30,
                headers={"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": key},
                json={"service_code": "SKTM", "language": "id",
                      "applicant": {"nik": "3578014506900001", "name": "Siti Aminah",
                                    "phone": "081234567890"},
                      "answers": SKTM_ANSWERS})
            answer = str(response.status_code)
        except requests.RequestException as error:
            response, answer = None, type(error).__name__
        with ledger.lock:
            ledger.attempts += 1
            ledger.answers[answer] += 1
            ledger.latencies.append(time.perf_counter() - started)
        if response is not None and response.status_code in (200, 201):
            with ledger.lock:
                ledger.codes[key].add(response.json()["tracking_code"])
                ledger.acked_at.append(time.monotonic())
                ledger.gave_up.discard(key)
            return
        if response is not None and response.status_code not in RETRYABLE:
            break  # a client error: retrying would not help
        retry_after = response.headers.get("Retry-After") if response is not None else None
        time.sleep(min(float(retry_after), 2.0) if retry_after else pause)
        pause = min(pause * 2, 2.0)
    with ledger.lock:
        ledger.gave_up.add(key)


def run_clients(base: str, keys: list[str], concurrency: int, deadline: float,
                ledger: Ledger) -> None:
    queue = iter(keys)
    lock = threading.Lock()

    def client() -> None:
        with requests.Session() as http:
            while time.monotonic() < deadline:
                with lock:
                    key = next(queue, None)
                if key is None:
                    return
                submit_until_acknowledged(http, base, key, ledger, deadline)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- the run ---------------------------------------------------------------------------------


def longest_gap(times: list[float]) -> float:
    ordered = sorted(times)
    return max((b - a for a, b in zip(ordered, ordered[1:], strict=False)), default=0.0)


def rate(times: list[float], start: float | None, end: float | None) -> float:
    """Acknowledgements per second between two moments (None: the first or last one)."""
    chosen = sorted(t for t in times if (start is None or t >= start)
                    and (end is None or t < end))
    if len(chosen) < 2:
        return 0.0
    begin = start if start is not None else chosen[0]
    finish = end if end is not None else chosen[-1]
    return len(chosen) / max(finish - begin, 1e-6)


def stored_codes(url: str) -> set[str]:
    engine = create_engine(url, hide_parameters=True)
    with engine.connect() as connection:
        stored = set(connection.scalars(select(ServiceRequest.tracking_code)))
    engine.dispose()
    return stored


def reconcile(url: str, ledger: Ledger, before: set[str]) -> tuple[int, int, int]:
    """(lost, doubled, rows): acknowledged requests missing from the database, and requests
    stored more than once (one key told two codes, or new rows beyond the acknowledged ones)."""
    stored = stored_codes(url) - before
    rows = len(stored)
    acknowledged = {code for codes in ledger.codes.values() for code in codes}
    lost = len(acknowledged - stored)
    doubled = sum(len(codes) - 1 for codes in ledger.codes.values()) + max(
        0, rows - len(acknowledged))
    return lost, doubled, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--max-seconds", type=float, default=240)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--admin-url", default=os.environ.get("KIOSK_BENCH_DATABASE_URL",
                                                              DEFAULT_ADMIN_URL))
    options = parser.parse_args()
    if shutil.which("haproxy") is None:
        print("!!! haproxy is not installed: `apt-get install haproxy` (Debian) to run the fault "
              "bench. Nothing measured.")
        return
    with database(options.admin_url) as db:
        run(db, options)


def run(db: Database, options: argparse.Namespace) -> None:
    load_demo_catalog(db.url)
    before = stored_codes(db.url)  # the demo's own requests, if any
    ledger = Ledger()
    run_id = uuid.uuid4().hex[:8]
    keys = [f"fault-{run_id}-{n}" for n in range(options.requests)]
    events: list[str] = []
    with tempfile.TemporaryDirectory() as instance, ExitStack() as servers:
        # Two app hosts, stopped (the killed one aside) when the stack closes.
        started_hosts = [servers.enter_context(Gunicorn(
            "wsgi:app", db.url, workers=options.workers, threads=options.threads))
            for _ in range(2)]
        hosts = [host.process for host in started_hosts]
        backends = [host.base for host in started_hosts]
        with haproxy(backends, instance) as front:
            events.append(f"HAProxy {front} -> {', '.join(backends)}")
            started = time.monotonic()
            deadline = started + options.max_seconds

            def faults() -> None:
                third = options.requests // 3
                while len(ledger.codes) < third and time.monotonic() < deadline:
                    time.sleep(0.05)
                kill_host(hosts[0])
                ledger.killed_at = time.monotonic()
                events.append(f"{time.monotonic() - started:6.1f} s  host 1 SIGKILLed "
                              f"after {len(ledger.codes)} acknowledged")
                while len(ledger.codes) < 2 * third and time.monotonic() < deadline:
                    time.sleep(0.05)
                before = time.monotonic()
                db.restart()
                events.append(f"{before - started:6.1f} s  PostgreSQL: {db.restart_kind} "
                              f"took {time.monotonic() - before:.1f} s, after "
                              f"{len(ledger.codes)} acknowledged")

            injector = threading.Thread(target=faults, daemon=True)
            injector.start()
            run_clients(front, keys, options.concurrency, deadline, ledger)
            injector.join(timeout=30)
            elapsed = time.monotonic() - started
            retry_pass = sorted(ledger.gave_up)
            run_clients(front, retry_pass, options.concurrency,
                        time.monotonic() + 30, ledger)  # they come back later, same keys
    report(reconcile(db.url, ledger, before), ledger, events, options, elapsed)


def report(reconciled: tuple[int, int, int], ledger: Ledger, events: list[str],
           options: argparse.Namespace, elapsed: float) -> None:
    lost, doubled, rows = reconciled
    acknowledged = len(ledger.codes)
    unsent = options.requests - acknowledged - len(ledger.gave_up)
    ordered = sorted(ledger.latencies)
    p95 = 1000 * ordered[max(0, int(round(0.95 * len(ordered))) - 1)] if ordered else 0.0
    print(f"fault run: {options.requests} submissions, {options.concurrency} clients, "
          f"2 hosts x {options.workers} workers x {options.threads} threads behind HAProxy "
          f"(loaded shared machine; figures are indicative)")
    for line in events:
        print(f"  {line}")
    print(f"  attempts {ledger.attempts}  answers {dict(sorted(ledger.answers.items()))}")
    print(f"  acknowledged {acknowledged}/{options.requests} in {elapsed:.1f} s "
          f"({acknowledged / elapsed:.1f} req/s)  p95 per attempt {p95:.0f} ms  "
          f"longest gap between acknowledgements {longest_gap(ledger.acked_at):.1f} s")
    if ledger.killed_at is not None and ledger.acked_at:
        print(f"  throughput: two hosts {rate(ledger.acked_at, None, ledger.killed_at):.2f} "
              f"req/s, one host after the kill "
              f"{rate(ledger.acked_at, ledger.killed_at, None):.2f} req/s")
    print(f"  reconciliation: rows {rows}  LOST {lost}  DOUBLED {doubled}  "
          f"never acknowledged {len(ledger.gave_up)}  not sent within the time bound {unsent}")
    if lost or doubled or ledger.gave_up:
        sys.exit(1)


if __name__ == "__main__":
    main()
