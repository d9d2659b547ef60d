"""A load harness with reconciliation: simulated kiosks submit SKTM requests through the kiosk API
(device token, a fresh Idempotency-Key each, some sent again with the same key on purpose) while
clerks claim and approve through the clerk pages, for a fixed time, against gunicorn
(gunicorn.conf.py's settings) on a scratch PostgreSQL database (or SQLite). It prints throughput,
p50/p95/p99 and errors per kind of call, then checks the database against what the clients saw:

- no request lost: every acknowledged tracking code is stored, under its Idempotency-Key;
- none duplicated: a retry got the first answer back, and no key has two rows;
- every request's tasks are the ones its routing plan gives, in states that agree with the
  request's status, and its events (one "submitted", one claim per claimed task, one approval
  per approved task) are all there;
- every claimed task was claimed once, by the clerk who saw it claimed.

    .venv/bin/python -m bench.load [--seconds 30] [--kiosks 8] [--clerks-per-agency 2]
                                   [--retry-share 0.1] [--database postgres|sqlite]

Exits 1 when the reconciliation finds a problem (2 when a call kind had errors and --strict).
PostgreSQL comes from KIOSK_BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1/postgres).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import requests
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, selectinload

from bench.servers import TOKEN, Gunicorn, bench_database, load_demo_catalog
from bench.submit import SKTM_BODY
from services.accounts import UserInput, create_user
from services.catalog.cache import step_plan
from services.codes import idempotency_digest
from services.demo import DEMO_KIOSK_CODE
from services.models import (
    Agency,
    RequestStatus,
    Role,
    ServiceRequest,
    ServiceVersion,
    TaskStatus,
)
from services.workflow.routing import routing_plan

AGENCIES = ("KEC-UTARA", "KEC-SELATAN", "KEC-TIMUR", "DINSOS")  # SKTM's routing, both stages
KECAMATAN = ("utara", "selatan", "timur")
PASSWORD = "load-bench-password"
TIMEOUT = 60
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
APPROVE = re.compile(r'action="/clerk/tasks/(\d+)/approve"')


@dataclass
class Calls:
    """Latencies and errors of one kind of call, from every client thread."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, ok: int, send: Callable[..., requests.Response], url: str,
              **options: Any) -> requests.Response | None:
        """``send(url, **options)``; its latency counts under ``kind``, a status other than
        ``ok`` or a socket error as an error. The response, or None on a socket error."""
        began = time.perf_counter()
        try:
            response = send(url, timeout=TIMEOUT, allow_redirects=False, **options)
        except requests.RequestException as error:
            self.error(kind, repr(error))
            return None
        elapsed = time.perf_counter() - began
        with self.lock:
            self.latencies[kind].append(elapsed)
        if response.status_code != ok:
            self.error(kind, f"{response.status_code} {response.text[:200]}")
        return response

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            self.samples.setdefault(kind, what)


@dataclass
class Seen:
    """What the clients were told: acknowledged requests, replays, claims, approvals."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> code
    sent_keys: set[str] = field(default_factory=set)
    replay_mismatches: list[tuple[str, str, str]] = field(default_factory=list)
    replays: int = 0
    claims: list[tuple[str, int, str]] = field(default_factory=list)  # clerk, task id, code
    approvals: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def kiosk_loop(base: str, deadline: float, calls: Calls, seen: Seen, retry_share: float,
               seed: int) -> None:
    """One kiosk: submit, and now and then send the same submission again with the same key."""
    rng = random.Random(seed)
    with requests.Session() as http:
        submit_until(base, deadline, calls, seen, retry_share, rng, http)


def submit_until(base: str, deadline: float, calls: Calls, seen: Seen, retry_share: float,
                 rng: random.Random, http: requests.Session) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    while time.monotonic() < deadline:
        key = uuid.uuid4().hex
        body = {**SKTM_BODY, "answers": {**SKTM_BODY["answers"],
                                         "kecamatan": rng.choice(KECAMATAN)}}
        with seen.lock:
            seen.sent_keys.add(key)
        code = None
        for _attempt in range(3):  # a kiosk that got no answer sends the same key again
            answer = calls.timed("submit", 201, http.post, f"{base}/api/v1/requests",
                                 json=body, headers={**headers, "Idempotency-Key": key})
            if answer is not None and answer.status_code == 201:
                code = answer.json()["tracking_code"]
                break
        if code is None:
            continue
        with seen.lock:
            seen.acknowledged[key] = code
        if rng.random() < retry_share:
            again = calls.timed("submit retry (same key)", 200, http.post,
                                f"{base}/api/v1/requests", json=body,
                                headers={**headers, "Idempotency-Key": key})
            if again is not None and again.status_code == 200:
                replayed = again.json()["tracking_code"]
                with seen.lock:
                    seen.replays += 1
                    if replayed != code or again.headers.get("Idempotent-Replayed") != "true":
                        seen.replay_mismatches.append((key, code, replayed))


def stored_digest(key: str) -> str:
    """How the API scopes a kiosk's Idempotency-Key before keeping its digest."""
    return idempotency_digest(f"api:{DEMO_KIOSK_CODE}:{key}")


def csrf_of(page: str) -> str:
    match = CSRF.search(page)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def clerk_loop(base: str, username: str, deadline: float, calls: Calls, seen: Seen) -> None:
    """One clerk: claim the next task from the queue, open its request, approve the step."""
    with requests.Session() as http:
        work_until(base, username, deadline, calls, seen, http)


def work_until(base: str, username: str, deadline: float, calls: Calls, seen: Seen,
               http: requests.Session) -> None:
    login = http.get(f"{base}/auth/login", timeout=TIMEOUT)
    signed_in = http.post(f"{base}/auth/login", data={
        "csrf_token": csrf_of(login.text), "username": username, "password": PASSWORD},
        allow_redirects=False, timeout=TIMEOUT)
    if signed_in.status_code != 302:
        calls.error("clerk login", f"{signed_in.status_code}")
        return
    token = csrf_of(http.get(f"{base}/clerk/", timeout=TIMEOUT).text)
    while time.monotonic() < deadline:
        claimed = calls.timed("claim", 302, http.post, f"{base}/clerk/claim",
                              data={"csrf_token": token})
        if claimed is None or claimed.status_code != 302:
            continue
        where = claimed.headers.get("Location", "")
        if "/clerk/requests/" not in where:
            calls.timed("queue page (empty queue)", 200, http.get, f"{base}/clerk/")
            time.sleep(0.2)
            continue
        code = where.rstrip("/").rsplit("/", 1)[-1]
        page = calls.timed("request page", 200, http.get, urljoin(f"{base}/", where))
        if page is None or page.status_code != 200:
            continue
        tasks = APPROVE.findall(page.text)
        if len(tasks) != 1:
            calls.error("request page", f"{len(tasks)} approve forms on {code}")
            continue
        task_id = int(tasks[0])
        with seen.lock:
            seen.claims.append((username, task_id, code))
        approved = calls.timed("approve", 302, http.post,
                               f"{base}/clerk/tasks/{task_id}/approve",
                               data={"csrf_token": csrf_of(page.text), "note": "ok"})
        if approved is not None and approved.status_code == 302:
            with seen.lock:
                seen.approvals.append((username, task_id))


def add_clerks(url: str, per_agency: int) -> list[str]:
    """``per_agency`` clerks for each agency SKTM routes to, with the bench's password."""
    engine = create_engine(url, hide_parameters=True)
    names = []
    with Session(engine) as session:
        for agency in AGENCIES:
            for n in range(per_agency):
                name = f"load.{agency.lower()}.{n}"
                create_user(session, UserInput(username=name, full_name=f"Load {agency} {n}",
                                               role=Role.CLERK, agency_code=agency,
                                               password=PASSWORD))
                names.append(name)
        session.commit()
    engine.dispose()
    return names


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report_calls(calls: Calls, seconds: float) -> None:
    print(f"{'call':<28} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in sorted(set(calls.latencies) | set(calls.errors)):
        values = calls.latencies.get(kind) or [0.0]
        print(f"{kind:<28} {len(calls.latencies.get(kind, [])) / seconds:7.1f} "
              f"{1000 * statistics.median(values):8.1f} {1000 * percentile(values, 0.95):8.1f} "
              f"{1000 * percentile(values, 0.99):8.1f} {calls.errors[kind]:7d}")
    for kind, sample in calls.samples.items():
        print(f"  first error of {kind}: {sample}")


def reconcile(url: str, seen: Seen) -> list[str]:
    """Every way the database disagrees with what the clients saw or with the routing plan."""
    problems: list[str] = []
    engine = create_engine(url, hide_parameters=True)
    with Session(engine) as session:
        rows = session.scalars(select(ServiceRequest).options(
            selectinload(ServiceRequest.tasks), selectinload(ServiceRequest.events),
            selectinload(ServiceRequest.service_version).selectinload(ServiceVersion.steps),
        )).all()
        agency_codes = dict(session.execute(select(Agency.id, Agency.code)).all())
        by_digest: dict[str | None, list[ServiceRequest]] = defaultdict(list)
        for row in rows:
            by_digest[row.idempotency_digest].append(row)
        # No request lost.
        for key, code in seen.acknowledged.items():
            stored = by_digest.get(stored_digest(key), [])
            if not any(r.tracking_code == code for r in stored):
                problems.append(f"lost: {code} (key {key}) acknowledged but not stored")
        # None duplicated.
        for digest, same in by_digest.items():
            if digest is not None and len(same) > 1:
                problems.append(f"duplicated: {len(same)} requests for one Idempotency-Key "
                                f"({', '.join(r.tracking_code for r in same)})")
        problems += [f"retry of key {key} answered {replayed}, first answer was {code}"
                     for key, code, replayed in seen.replay_mismatches]
        sent = {stored_digest(key) for key in seen.sent_keys}
        strangers = [r.tracking_code for r in rows if r.idempotency_digest not in sent]
        if strangers:
            problems.append(f"{len(strangers)} stored requests no client sent, e.g. {strangers[0]}")
        # Tasks as the routing plan says, events complete.
        for row in rows:
            problems += request_problems(row, agency_codes)
        # Every claimed task claimed once, by the clerk who saw it.
        claims = Counter(e.task_id for r in rows for e in r.events if e.kind == "task_claimed")
        problems += [f"task {task} claimed {n} times" for task, n in claims.items() if n > 1]
        seen_claims = Counter(task for _clerk, task, _code in seen.claims)
        problems += [f"task {task} handed to {n} clerks" for task, n in seen_claims.items()
                     if n > 1]
        holders = {t.id: t.claimed_by for r in rows for t in r.tasks}
        for clerk, task, code in seen.claims:
            holder = holders.get(task)
            if holder is None or holder.username != clerk:
                problems.append(f"task {task} of {code} seen claimed by {clerk}, stored as "
                                f"{holder.username if holder else 'nobody'}")
    engine.dispose()
    return problems


APPROVAL_EVENTS = ("task_approved", "request_approved")


def request_problems(row: ServiceRequest, agency_codes: dict[int, str]) -> list[str]:
    """What is wrong with one request's tasks and events."""
    code, problems = row.tracking_code, []
    plan = routing_plan([step_plan(s) for s in row.service_version.steps], row.answers)
    planned = sorted((step, agency) for step, (_applies, agency) in plan.items() if agency)
    stored = sorted((t.step_id, agency_codes[t.agency_id]) for t in row.tasks)
    if planned != stored:
        return [f"{code}: tasks {stored} but the routing plan gives {planned}"]
    kinds = Counter(e.kind for e in row.events)
    if kinds["submitted"] != 1:
        problems.append(f"{code}: {kinds['submitted']} 'submitted' events")
    statuses = [t.status for t in sorted(row.tasks, key=lambda t: t.stage)]
    claimed = [t for t in row.tasks if t.claimed_by_id is not None]
    for task in claimed:
        n = sum(1 for e in row.events if e.kind == "task_claimed" and e.task_id == task.id)
        if n != 1:
            problems.append(f"{code}: task {task.id} held with {n} claim events")
    for task in row.tasks:
        approvals = sum(1 for e in row.events if e.kind in APPROVAL_EVENTS
                        and e.task_id == task.id)
        if approvals != (task.status is TaskStatus.DONE):
            problems.append(f"{code}: task {task.id} is {task.status.value} with {approvals} "
                            "approval events")
    expected = expected_task_statuses(row.status, len(statuses))
    if statuses not in expected:
        problems.append(f"{code}: {row.status.value} with tasks "
                        f"{[s.value for s in statuses]}")
    if row.status is RequestStatus.APPROVED and not kinds["request_approved"]:
        problems.append(f"{code}: approved without a 'request_approved' event")
    return problems


def expected_task_statuses(status: RequestStatus, stages: int) -> list[list[TaskStatus]]:
    """The task statuses, stage by stage, a request of one task per stage may show: the stages
    before the open one done, the open one ready or claimed, the later ones pending."""
    done, pending = TaskStatus.DONE, TaskStatus.PENDING
    if status is RequestStatus.APPROVED:
        return [[done] * stages]
    if status is RequestStatus.SUBMITTED:
        return [[TaskStatus.READY] + [pending] * (stages - 1)]
    if status is RequestStatus.IN_PROGRESS:
        return [[done] * at + [open_] + [pending] * (stages - at - 1)
                for at in range(stages) for open_ in (TaskStatus.READY, TaskStatus.CLAIMED)
                if (at, open_) != (0, TaskStatus.READY)]
    return []


@dataclass
class Outcome:
    code: int
    seen: Seen
    calls: Calls
    problems: list[str]


def run(options: argparse.Namespace) -> Outcome:
    """Load on a scratch database (or on ``--database-url``, kept), then the reconciliation."""
    if options.database_url:
        return load_and_reconcile(options.database_url, options)
    with bench_database(options.database, "ekiosk_load") as url:
        return load_and_reconcile(url, options)


def load_and_reconcile(url: str, options: argparse.Namespace) -> Outcome:
    calls, seen = Calls(), Seen()
    load_demo_catalog(url)
    clerks = add_clerks(url, options.clerks_per_agency)
    with Gunicorn("wsgi:app", url, workers=options.workers, threads=options.threads) as app:
        print(f"{url.split(':', 1)[0].split('+')[0]}: {app.describe()}; {options.kiosks} kiosks, "
              f"{len(clerks)} clerks ({options.clerks_per_agency} for each of "
              f"{', '.join(AGENCIES)}), {options.seconds:g} s", flush=True)
        deadline = time.monotonic() + options.seconds
        threads = [threading.Thread(target=kiosk_loop, args=(
            app.base, deadline, calls, seen, options.retry_share, n))
            for n in range(options.kiosks)]
        threads += [threading.Thread(target=clerk_loop, args=(
            app.base, name, deadline, calls, seen)) for name in clerks]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    report_calls(calls, elapsed)
    print(f"acknowledged {len(seen.acknowledged)} requests ({seen.replays} sent again "
          f"with the same key), {len(seen.claims)} claims, {len(seen.approvals)} approvals")
    problems = reconcile(url, seen)
    if problems:
        print(f"RECONCILIATION FAILED: {len(problems)} problems")
        for problem in problems[:30]:
            print("  ", problem)
        return Outcome(1, seen, calls, problems)
    print("reconciliation: none lost, none duplicated, every request's tasks and events "
          "complete, every claimed task claimed once")
    errors = sum(calls.errors.values())
    if options.strict and errors:
        print(f"{errors} calls failed (--strict)")
        return Outcome(2, seen, calls, problems)
    return Outcome(0, seen, calls, problems)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--clerks-per-agency", type=int, default=2)
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", help="an existing database to load (kept afterwards)")
    parser.add_argument("--strict", action="store_true", help="exit 2 when any call failed")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return run(parse(argv)).code


if __name__ == "__main__":
    if code := main():
        sys.exit(code)  # a passing run returns quietly, so `make bench` goes on
