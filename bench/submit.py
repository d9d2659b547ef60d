"""Kiosk submissions against a bare one-row INSERT endpoint: same stack, same gunicorn, same run,
on PostgreSQL and on SQLite, driven by wrk with a fresh Idempotency-Key on every request; then a
profile of where one submission's time goes.

    .venv/bin/python -m bench.submit [--seconds 10] [--rounds 2] [--connections 8] [--databases postgres,sqlite]
                                     [--worker-class gthread] [--workers 2] [--threads 4]

PostgreSQL comes from KIOSK_BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1/postgres);
each run makes its own scratch database and drops it. Needs wrk (Debian package `wrk`)."""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.bare import create_bare_table
from bench.servers import BENCH_ENV, TOKEN, Gunicorn, bench_database, load_demo_catalog

SKTM_ANSWERS = {"kecamatan": "utara", "kelurahan": "Sukamaju", "rt_rw": "3/5",
                "purpose": "pendidikan", "household_members": 4, "monthly_income": 1500000,
                "in_dtks": False}
SKTM_BODY = {"service_code": "SKTM", "language": "id",
             "applicant": {"nik": "3578014506900001", "name": "Siti Aminah",
                           "phone": "081234567890"},
             "answers": SKTM_ANSWERS}

# wrk sends each request with a fresh Idempotency-Key and reports exact percentiles.
WRK_SCRIPT = """
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  prefix = args[1] .. "-" .. tid
end
function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter
  return wrk.format(nil, nil, nil, nil)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %d %d %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class Run:
    """One wrk run's figures."""

    name: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"  {self.name:<22} {self.rps:8.1f} req/s  p50 {self.p50_ms:7.1f} ms  "
                f"p95 {self.p95_ms:7.1f} ms  p99 {self.p99_ms:7.1f} ms  errors {self.errors}"
                f"  ({self.requests} requests)")


def run_wrk(name: str, url: str, body: dict[str, Any] | None, headers: dict[str, str], *,
            seconds: float, connections: int, threads: int = 2) -> Run:
    """wrk against ``url`` for ``seconds`` (a POST of ``body`` as JSON, or a GET when it is
    None); non-2xx answers and socket errors count as errors."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "request.lua"
        header_lines = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
        if body is None:
            method = 'wrk.method = "GET"\n'
        else:
            body_json = json.dumps(body).replace("\\", "\\\\").replace('"', '\\"')
            method = (f'wrk.method = "POST"\nwrk.body = "{body_json}"\n'
                      'wrk.headers["Content-Type"] = "application/json"\n')
        script.write_text(method + header_lines + WRK_SCRIPT)
        answer = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{int(seconds)}s",
             "--timeout", "30s", "-s", str(script), url, "--", uuid.uuid4().hex[:12]],
            capture_output=True, text=True)
    if answer.returncode:
        raise RuntimeError(f"wrk failed: {answer.stderr or answer.stdout}")
    output = answer.stdout
    match = re.search(r"^RESULT (.*)$", output, re.M)
    if match is None:
        raise RuntimeError(f"wrk said:\n{output}")
    count, micros, *errors, p50, p95, p99 = (int(v) for v in match.group(1).split())
    return Run(name, count, micros / 1e6, sum(errors), p50 / 1000, p95 / 1000, p99 / 1000)


def combined(name: str, runs: list[Run]) -> Run:
    """Rounds added up: requests and seconds summed, each percentile the worst round's."""
    return Run(name, sum(r.requests for r in runs), sum(r.seconds for r in runs),
               sum(r.errors for r in runs), max(r.p50_ms for r in runs),
               max(r.p95_ms for r in runs), max(r.p99_ms for r in runs))


def compare(kind: str, options: argparse.Namespace) -> tuple[Run, Run]:
    """Submissions and the bare INSERT on one fresh database of ``kind``, both servers up at
    once and measured in alternating rounds, so drifting load from elsewhere hits both alike."""
    submits: list[Run] = []
    bares: list[Run] = []
    with bench_database(kind) as url:
        load_demo_catalog(url)
        create_bare_table(url)
        settings = {"workers": options.workers, "threads": options.threads,
                    "worker_class": options.worker_class}
        with Gunicorn("wsgi:app", url, **settings) as kiosk, \
                Gunicorn("bench.bare:create_app()", url, **settings) as bare:
            for _round in range(options.rounds):
                submits.append(run_wrk(
                    "kiosk submission", f"{kiosk.base}/api/v1/requests", SKTM_BODY,
                    {"Authorization": f"Bearer {TOKEN}"}, seconds=options.seconds,
                    connections=options.connections))
                bares.append(run_wrk("bare one-row INSERT", f"{bare.base}/rows", SKTM_BODY, {},
                                     seconds=options.seconds, connections=options.connections))
            described = kiosk.describe()
    submit, bare_run = combined("kiosk submission", submits), combined("bare one-row INSERT",
                                                                       bares)
    print(f"{kind}: {described}, wrk {options.connections} connections, "
          f"{options.rounds} alternating rounds of {options.seconds:g} s each")
    print(submit.line())
    print(bare_run.line())
    ratio = submit.rps / bare_run.rps if bare_run.rps else 0.0
    verdict = "met" if ratio >= 0.5 and submit.errors == 0 else "MISSED"
    print(f"  ratio {ratio:.2f} (goal >= 0.5 with 0 errors: {verdict})", flush=True)
    return submit, bare_run


def profile_submission(kind: str, count: int, top: int = 18) -> None:
    """Where one submission's time goes: the Flask test client through the whole stack."""
    from kiosk import create_app
    from kiosk.extensions import db

    with bench_database(kind, "ekiosk_profile") as url, \
            tempfile.TemporaryDirectory() as instance:
        load_demo_catalog(url)
        os.environ.setdefault("KIOSK_INSTANCE_PATH", instance)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": BENCH_ENV[
            "KIOSK_SECRET_KEY"], "PIN_KEY": BENCH_ENV["KIOSK_PIN_KEY"], "DEMO_MODE": True,
            "RATELIMIT_ENABLED": False})
        client = app.test_client()
        statements: list[str] = []
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute",
                         lambda _c, _cur, statement, *_a: statements.append(statement))

        def submit() -> None:
            answer = client.post("/api/v1/requests", json=SKTM_BODY, headers={
                "Authorization": f"Bearer {TOKEN}", "Idempotency-Key": uuid.uuid4().hex})
            assert answer.status_code == 201, answer.get_data(as_text=True)

        for _ in range(5):
            submit()  # warm: code loaded, connections open, catalog cached
        statements.clear()
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            submit()
        wall = (time.perf_counter() - started) / count
        cpu = (time.process_time() - cpu) / count
        per = len(statements) // count
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            submit()
        profiler.disable()
    print(f"profile on {kind}: {count} submissions one after another, {1000 * wall:.1f} ms "
          f"each ({1000 * cpu:.1f} ms of it CPU in this process), {per} SQL statements each:")
    for statement in statements[:per]:
        print("   ", " ".join(statement.split())[:100])
    stats = pstats.Stats(profiler)
    print(f"  largest shares (cumulative ms per submission, of {count} profiled):")
    wanted = ("services/", "kiosk/", "psycopg/cursor.py", "sqlalchemy/orm/session.py",
              "sqlite3", "flask/app.py", "werkzeug/wrappers")
    rows = []
    for (filename, line, function), (_cc, _nc, _tt, cumulative, _callers) in \
            stats.stats.items():  # type: ignore[attr-defined]
        if any(part in filename for part in wanted) or "sqlite3.Cursor" in function:
            short = filename.split("site-packages/")[-1].replace(str(Path.cwd()) + "/", "")
            rows.append((cumulative, f"{short}:{line}({function})"))
    for cumulative, where in sorted(rows, reverse=True)[:top]:
        print(f"    {1000 * cumulative / count:7.2f} ms  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--profile", type=int, default=100, help="submissions to profile (0: none)")
    options = parser.parse_args()
    for kind in options.databases.split(","):
        compare(kind, options)
    if options.profile:
        profile_submission("postgres" if "postgres" in options.databases else "sqlite",
                           options.profile)


if __name__ == "__main__":
    main()
