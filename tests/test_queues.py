"""An agency's queue: most urgent first, one holder per task under any concurrency, release and
reassignment."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from services.errors import NotAllowed, NotFound
from services.models import Role, Task, TaskStatus, User
from services.workflow.queues import (
    QueueFilter,
    agency_queue,
    claim_next_task,
    queue_counts,
    queue_page,
    reassign_task,
    release_task,
)
from tests import conftest
from tests.builders.workflow import WEDNESDAY, make_city, make_staff, submit
from tests.threads import run_all

LATER = WEDNESDAY + timedelta(hours=1)


def test_the_next_task_is_the_one_due_first(session, staff):
    late, _ = submit(session, "SKTM", now=WEDNESDAY + timedelta(days=1))
    early, _ = submit(session, "SKTM", now=WEDNESDAY)
    first = claim_next_task(session, actor=staff["clerk.kec-utara"], now=LATER)
    second = claim_next_task(session, actor=staff["clerk.kec-utara"], now=LATER)
    session.commit()
    assert (first.request_id, second.request_id) == (early.id, late.id)
    assert claim_next_task(session, actor=staff["clerk.kec-utara"], now=LATER) is None


def test_claim_next_can_be_limited_to_one_service(session, staff):
    submit(session, "PBG")
    assert claim_next_task(session, actor=staff["clerk.dpmptsp"], service_code="SKTM") is None
    assert claim_next_task(session, actor=staff["clerk.dpmptsp"], service_code="PBG") is not None


def test_a_released_task_goes_back_to_the_queue(session, staff):
    submit(session)
    task = claim_next_task(session, actor=staff["clerk.dpmptsp"], now=LATER)
    with pytest.raises(NotAllowed):
        release_task(session, actor=staff["clerk2.dpmptsp"], task_id=task.id)
    release_task(session, actor=staff["clerk.dpmptsp"], task_id=task.id, now=LATER)
    session.commit()
    assert task.status is TaskStatus.READY and task.claimed_by_id is None
    again = claim_next_task(session, actor=staff["clerk2.dpmptsp"], now=LATER)
    assert again.id == task.id and again.claimed_by_id == staff["clerk2.dpmptsp"].id


def test_a_supervisor_reassigns_within_the_agency_only(session, staff):
    request, _ = submit(session)
    task = claim_next_task(session, actor=staff["clerk.dpmptsp"], now=LATER)
    session.commit()
    with pytest.raises(NotAllowed):
        reassign_task(session, actor=staff["clerk.dpmptsp"], task_id=task.id,
                      to_user_id=staff["clerk2.dpmptsp"].id)
    with pytest.raises(NotFound):
        reassign_task(session, actor=staff["spv.dpmptsp"], task_id=task.id,
                      to_user_id=staff["clerk.dlh"].id)
    reassign_task(session, actor=staff["spv.dpmptsp"], task_id=task.id,
                  to_user_id=staff["clerk2.dpmptsp"].id, note="cuti", now=LATER)
    session.commit()
    assert task.claimed_by_id == staff["clerk2.dpmptsp"].id
    assert request.events[-1].kind == "task_reassigned"
    assert request.events[-1].actor_id == staff["spv.dpmptsp"].id


def test_the_queue_views_and_their_counts(session, staff):
    for _ in range(3):
        submit(session, "SKTM")
    clerk = staff["clerk.kec-utara"]
    mine = claim_next_task(session, actor=clerk, now=LATER)
    session.commit()
    now = WEDNESDAY + timedelta(days=30)
    assert queue_counts(session, actor=clerk, now=now) == {
        "ready": 2, "mine": 1, "overdue": 3, "waiting": 0}
    assert [t.id for t in agency_queue(session, actor=clerk,
                                       filters=QueueFilter(view="mine"))] == [mine.id]
    found = agency_queue(session, actor=clerk,
                         filters=QueueFilter(tracking_code=mine.request.tracking_code.lower()))
    assert [t.id for t in found] == [mine.id]
    assert agency_queue(session, actor=staff["clerk.kec-selatan"],
                        filters=QueueFilter(tracking_code=mine.request.tracking_code)) == []


def test_the_queue_pages_through_every_ready_task_once_most_urgent_first(session, staff):
    for day in (3, 1, 1, 2, 1, 4, 2):  # equal deadlines too: the id breaks the tie
        submit(session, "SKTM", now=WEDNESDAY + timedelta(days=day))
    session.commit()
    clerk = staff["clerk.kec-utara"]
    everything = [t.id for t in agency_queue(session, actor=clerk,
                                             filters=QueueFilter(limit=100))]
    seen, after, pages = [], None, 0
    while True:
        page = queue_page(session, actor=clerk, filters=QueueFilter(limit=3, after=after))
        seen += [t.id for t in page.rows]
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert len(everything) == 7 and seen == everything and pages == 3


def test_a_task_claimed_between_pages_shifts_nothing_else(session, staff):
    for day in range(6):
        submit(session, "SKTM", now=WEDNESDAY + timedelta(days=day))
    session.commit()
    clerk = staff["clerk.kec-utara"]
    first = queue_page(session, actor=clerk, filters=QueueFilter(limit=3))
    claim_next_task(session, actor=clerk, now=LATER)  # takes a task of page one
    session.commit()
    second = queue_page(session, actor=clerk, filters=QueueFilter(limit=3,
                                                                    after=first.next_after))
    assert len(second.rows) == 3 and second.next_after is None
    assert not {t.id for t in first.rows} & {t.id for t in second.rows}


def test_a_page_cannot_start_from_another_agencys_task(session, staff):
    submit(session, "SKTM", now=WEDNESDAY + timedelta(days=1))
    submit(session, "PBG", now=WEDNESDAY)
    session.commit()
    clerk = staff["clerk.kec-utara"]
    foreign = session.scalars(select(Task).where(Task.agency_id != clerk.agency_id)).first()
    from_start = queue_page(session, actor=clerk)
    from_foreign = queue_page(session, actor=clerk, filters=QueueFilter(after=foreign.id))
    assert from_start.rows
    assert [t.id for t in from_foreign.rows] == [t.id for t in from_start.rows]


def test_only_agency_staff_work_queues(session, staff):
    officer = make_staff(session, "officer", Role.OFFICER, "DPMPTSP")
    with pytest.raises(NotAllowed):
        claim_next_task(session, actor=officer)


def claim_concurrently(engine_url: str, user_ids: list[int], rounds_each: int | None = None,
                       ) -> tuple[list[int], list[BaseException]]:
    """Every clerk thread claims until the queue is empty; return the claimed task ids."""
    engine = create_engine(engine_url, pool_size=len(user_ids) + 2)
    claimed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(len(user_ids))

    def clerk(user_id: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as session:
                actor = session.get(User, user_id)
                session.commit()  # end the read: on SQLite every transaction takes the lock
                start.wait(timeout=60)
                while True:
                    task = claim_next_task(session, actor=actor)
                    session.commit()
                    if task is None:
                        return
                    with lock:
                        claimed.append(task.id)
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=clerk, args=(uid,)) for uid in user_ids]
    run_all(threads)
    engine.dispose()
    return claimed, errors


def sixteen_clerks_claim_one_queue(session, database_url, monkeypatch):
    make_city(session)
    clerks = [make_staff(session, f"clerk{n}.kec-utara", Role.CLERK, "KEC-UTARA")
              for n in range(16)]
    session.commit()
    for _ in range(80):
        submit(session, "SKTM")
    claimed, errors = claim_concurrently(database_url, [c.id for c in clerks])
    assert errors == []
    counts = Counter(claimed)
    assert [task for task, n in counts.items() if n > 1] == []  # no task twice
    session.expire_all()
    tasks = session.scalars(select(Task)).all()
    assert len(claimed) == len(tasks) == 80  # none lost
    assert {t.status for t in tasks} == {TaskStatus.CLAIMED}
    assert sorted(claimed) == sorted(t.id for t in tasks)
    holders = {t.id: t.claimed_by_id for t in tasks}
    assert len(set(holders.values())) > 1


@pytest.mark.postgres
@pytest.mark.skipif(conftest.test_database_kind() != "postgres", reason="runs in the PostgreSQL pass")
def test_sixteen_clerks_never_claim_one_task_twice_on_postgres(session, database_url, monkeypatch):
    sixteen_clerks_claim_one_queue(session, database_url, monkeypatch)


@pytest.mark.skipif(conftest.test_database_kind() != "sqlite", reason="the SQLite version of the test")
def test_sixteen_clerk_threads_never_claim_one_task_twice_on_sqlite(session, database_url, monkeypatch):
    sixteen_clerks_claim_one_queue(session, database_url, monkeypatch)


def test_concurrent_approvals_and_rejections_of_parallel_tasks_never_deadlock(
        session, database_url, monkeypatch):
    """Dinas PUPR clerks approve while DLH clerks reject the same requests' parallel tasks: the
    locks are taken in one order, so nothing deadlocks and every request ends consistent."""
    from services.errors import DomainError
    from services.models import RequestStatus, ServiceRequest
    from services.workflow.tasks import approve_task, reject_task
    from tests.builders.workflow import open_task

    staff = make_city(session)
    pupr = [make_staff(session, f"pupr{n}", Role.CLERK, "DPUPR") for n in range(4)]
    dlh = [make_staff(session, f"dlh{n}", Role.CLERK, "DLH") for n in range(4)]
    session.commit()
    pupr, dlh = [u.id for u in pupr], [u.id for u in dlh]  # read now: no reads while they run
    requests = []
    for _ in range(24):
        request, _ = submit(session, floor_area=900)
        requests.append(request.id)
        approve_task(session, actor=staff["clerk.dpmptsp"],
                     task_id=open_task(session, request, "DPMPTSP").id)
        session.commit()
    engine = create_engine(database_url, pool_size=12)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(pupr) + len(dlh))

    def clerk(user_id: int, act) -> None:  # type: ignore[no-untyped-def]
        try:
            with Session(engine, expire_on_commit=False) as own:
                actor = own.get(User, user_id)
                own.commit()
                barrier.wait(timeout=60)
                while (task := claim_next_task(own, actor=actor)) is not None:
                    own.commit()
                    try:
                        act(own, actor, task.id)
                        own.commit()
                    except DomainError:
                        own.rollback()  # the other agency closed the request first
        except BaseException as error:  # reported by the test
            errors.append(error)

    def reject(own, actor, task_id):  # type: ignore[no-untyped-def]
        reject_task(own, actor=actor, task_id=task_id, reason="AMDAL kurang")

    def approve(own, actor, task_id):  # type: ignore[no-untyped-def]
        approve_task(own, actor=actor, task_id=task_id)

    threads = [threading.Thread(target=clerk, args=(uid, approve)) for uid in pupr] + \
        [threading.Thread(target=clerk, args=(uid, reject)) for uid in dlh]
    run_all(threads)
    engine.dispose()
    assert errors == []
    session.expire_all()
    for request_id in requests:
        request = session.get(ServiceRequest, request_id)
        assert request.status is RequestStatus.REJECTED
        assert not [t for t in request.tasks if t.status in (TaskStatus.READY,
                                                             TaskStatus.CLAIMED)]


def test_queue_counts_stop_at_the_cap(session, staff, monkeypatch):
    from services.workflow import queues

    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    for _ in range(3):
        submit(session, "SKTM")
    assert queue_counts(session, actor=staff["clerk.kec-utara"])["ready"] == 2
