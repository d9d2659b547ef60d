"""bench/load.py in smoke mode: a few seconds of kiosks and clerks against gunicorn on the test
database, then its reconciliation, which passes, and which catches a lost request, a task
claimed twice and a claim stored under another clerk."""

from sqlalchemy import select

from bench.load import Seen, parse, reconcile, run
from services.models import Event, Task, TaskStatus

SMOKE = ["--seconds", "2", "--kiosks", "2", "--clerks-per-agency", "1", "--workers", "1",
         "--threads", "4", "--retry-share", "0.5"]


def test_the_load_harness_reconciles_what_the_clients_saw(database_url, session):
    outcome = run(parse([*SMOKE, "--database-url", database_url]))
    assert outcome.problems == [] and outcome.code == 0
    assert outcome.seen.acknowledged and outcome.seen.claims
    assert not outcome.calls.errors

    claimed = session.scalar(select(Task).where(Task.claimed_by_id.is_not(None)).limit(1))
    claim = session.scalar(select(Event).where(Event.task_id == claimed.id,
                                               Event.kind == "task_claimed"))
    session.add(Event(request_id=claim.request_id, task_id=claim.task_id, kind="task_claimed",
                      actor_label="someone else", data={}, created_at=claim.created_at))
    session.commit()
    tampered = Seen(acknowledged={**outcome.seen.acknowledged, "never-sent": "ZZZZZZZZZ"},
                    sent_keys=outcome.seen.sent_keys | {"never-sent"},
                    claims=[("load.nobody", claimed.id, "code")])
    problems = "\n".join(reconcile(database_url, tampered))
    assert "lost: ZZZZZZZZZ" in problems
    assert f"task {claimed.id} claimed 2 times" in problems
    assert f"task {claimed.id} of code seen claimed by load.nobody" in problems
    assert claimed.status in (TaskStatus.CLAIMED, TaskStatus.DONE)
