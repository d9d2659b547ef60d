"""The worker delivers what committed transactions queued: once each, with retries and
backoff, dead letters an administrator can resend, quiet hours, opt-outs honoured, a dead
worker's claim taken over, and several workers side by side."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.codes import format_tracking_code
from services.models import OutboxChannel, OutboxMessage, OutboxState
from services.outbox.monitoring import resend
from services.outbox.notices import notify_citizen, withdraw_by_address
from services.outbox.policy import parse_quiet_hours
from services.outbox.providers import FileProvider, Outgoing, SmsGateway, WebhookPoster
from services.outbox.webhooks import SecretBox, SubscriberInput, register_subscriber
from services.outbox.worker import claim_due, run_worker, work_once
from tests.builders.outbox import LOOPBACK, fake_provider, settings, submit_notified
from tests.builders.workflow import WEDNESDAY, open_task
from tests.threads import run_all

BOX = SecretBox("test-secret")


class Clock:
    def __init__(self, now=WEDNESDAY):
        self.now = now

    def __call__(self):
        return self.now


def states(session) -> list[OutboxState]:
    session.expire_all()
    return [m.state for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_the_received_message_lands_once_with_the_code_and_never_the_pin(session, staff,
                                                                         tmp_path):
    from services.workflow.tasks import return_for_information

    request, pin = submit_notified(session, "whatsapp")
    folder = FileProvider(tmp_path)
    providers = {OutboxChannel.WHATSAPP: folder}
    clock = Clock()
    assert work_once(session, providers=providers, settings=settings(), box=BOX,
                     clock=clock) == 1
    [received] = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    assert format_tracking_code(request.tracking_code) in received["text"]
    assert pin not in received["text"]
    assert received["to"] == "081234567890"
    assert "https://layanan.example.go.id/kabar/berhenti/" in received["text"]
    assert work_once(session, providers=providers, settings=settings(), box=BOX,
                     clock=clock) == 0

    return_for_information(session, actor=staff["clerk.kec-utara"],
                           task_id=open_task(session, request, "KEC-UTARA").id, note="Foto",
                           now=WEDNESDAY)
    session.commit()
    work_once(session, providers=providers, settings=settings(), box=BOX, clock=clock)
    texts = sorted(json.loads(p.read_text())["text"] for p in tmp_path.glob("*.json"))
    assert len(texts) == 2 and any("keterangan tambahan" in t for t in texts)
    assert states(session) == [OutboxState.SENT, OutboxState.SENT]


def test_failures_are_retried_with_backoff_then_dead_and_resent_by_an_administrator(
        session, staff):
    submit_notified(session, "sms")
    clock = Clock()
    with fake_provider([500, (429, {"Retry-After": "600"}), "hang"]) as provider:
        gateway = SmsGateway(provider.url + "/send", "sms-token", timeout=0.5, allow=LOOPBACK)
        provider.hang_seconds = 1.0
        providers = {OutboxChannel.SMS: gateway}
        run = dict(providers=providers, settings=settings(), box=BOX, clock=clock)

        work_once(session, **run)  # 500
        message = session.scalar(select(OutboxMessage))
        assert (message.state, message.attempts, message.last_error) == (
            OutboxState.PENDING, 1, "HTTP 500")
        assert message.next_attempt_at == WEDNESDAY + timedelta(seconds=60)
        assert work_once(session, **run) == 0  # not due yet

        clock.now += timedelta(seconds=61)
        work_once(session, **run)  # 429 with Retry-After 600 s beats the 120 s backoff
        session.refresh(message)
        assert message.next_attempt_at == clock.now + timedelta(seconds=600)
        assert message.response_status == 429

        clock.now += timedelta(seconds=601)
        work_once(session, **run)  # times out: the third and last attempt
        session.refresh(message)
        assert (message.state, message.last_error) == (OutboxState.DEAD, "timeout")

        resend(session, message.id, actor=None, now=clock.now)
        session.commit()
        work_once(session, **run)
        session.refresh(message)
        assert (message.state, message.attempts) == (OutboxState.SENT, 1)
        keys = [r.headers["Idempotency-Key"] for r in provider.received]
        assert len(set(keys)) == 1 and len(keys) == 4


def test_a_refused_number_goes_straight_to_the_dead_letters(session, staff):
    submit_notified(session, "sms")
    with fake_provider([400]) as provider:
        work_once(session,
                  providers={OutboxChannel.SMS: SmsGateway(provider.url, "t", allow=LOOPBACK)},
                  settings=settings(), box=BOX, clock=Clock())
    assert states(session) == [OutboxState.DEAD]


def test_citizens_are_not_messaged_in_quiet_hours_but_webhooks_go(session, staff, tmp_path):
    register_subscriber(session, SubscriberInput("Dash", "http://127.0.0.1:9/none", ["*"]),
                        box=BOX, actor=None, allow=LOOPBACK)
    session.commit()
    submit_notified(session, "whatsapp")
    night = Clock(WEDNESDAY.replace(hour=16))  # 23:00 in Jakarta
    quiet = settings(quiet=parse_quiet_hours("21:00-07:00", "Asia/Jakarta"))
    with fake_provider() as provider:
        session.execute(OutboxMessage.__table__.update()
                        .where(OutboxMessage.channel == OutboxChannel.WEBHOOK)
                        .values(payload={"body": "{}"}))
        session.commit()
        from services.models import WebhookSubscriber

        session.scalar(select(WebhookSubscriber)).url = provider.url + "/hook"
        session.commit()
        providers = {OutboxChannel.WHATSAPP: FileProvider(tmp_path),
                     OutboxChannel.WEBHOOK: WebhookPoster(timeout=2, allow=LOOPBACK)}
        assert work_once(session, providers=providers, settings=quiet, box=BOX,
                         clock=night) == 1
        assert len(provider.received) == 1 and not list(tmp_path.glob("*.json"))
        morning = Clock(WEDNESDAY.replace(hour=0, minute=5) + timedelta(days=1))  # 07:05
        assert work_once(session, providers=providers, settings=quiet, box=BOX,
                         clock=morning) == 1
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_a_citizen_who_opted_out_after_the_event_is_not_messaged(session, staff, tmp_path):
    submit_notified(session, "whatsapp")
    clock = Clock()
    claimed = claim_due(session, now=clock(), settings=settings())
    withdraw_by_address(session, "081234567890", via="link")
    session.commit()
    from services.outbox.worker import deliver_one

    deliver_one(session, claimed[0], providers={OutboxChannel.WHATSAPP: FileProvider(tmp_path)},
                settings=settings(), box=BOX, clock=clock)
    assert states(session) == [OutboxState.CANCELLED]
    assert not list(tmp_path.glob("*.json"))


def test_a_dead_workers_claim_is_taken_over_when_its_lease_ends(session, staff, tmp_path):
    submit_notified(session, "whatsapp")
    clock = Clock()
    short = settings(lease_seconds=30)
    assert len(claim_due(session, now=clock(), settings=short)) == 1  # then the worker died
    providers = {OutboxChannel.WHATSAPP: FileProvider(tmp_path)}
    assert work_once(session, providers=providers, settings=short, box=BOX, clock=clock) == 0
    clock.now += timedelta(seconds=31)
    assert work_once(session, providers=providers, settings=short, box=BOX, clock=clock) == 1
    assert states(session) == [OutboxState.SENT]
    assert session.scalar(select(OutboxMessage)).attempts == 2


def test_the_folder_provider_writes_a_message_once_whatever_the_retries(tmp_path):
    folder = FileProvider(tmp_path)
    message = Outgoing(key="event:1:whatsapp", channel="whatsapp", text="first")
    folder.send(message)
    folder.send(Outgoing(key="event:1:whatsapp", channel="whatsapp", text="second"))
    [written] = list(tmp_path.glob("*.json"))
    assert json.loads(written.read_text())["text"] == "first"
    assert [p.name for p in tmp_path.iterdir()] == [written.name]  # no temporary files left


def test_several_workers_deliver_every_message_exactly_once(session, staff, engine):
    request, _ = submit_notified(session, "sms", now=WEDNESDAY)
    subject = f"request:{request.tracking_code}"
    for number in range(120):
        notify_citizen(session, subject=subject, event_key=f"bulk:{number}", event_kind="x",
                       template="received", params={"code": str(number)}, now=WEDNESDAY)
    session.commit()
    with fake_provider() as provider:
        gateway = SmsGateway(provider.url, "token", timeout=5, allow=LOOPBACK)
        stop = threading.Event()
        small = settings(batch_size=5, poll_seconds=0.05)

        def worker() -> None:
            run_worker(lambda: Session(engine, expire_on_commit=False),
                       providers={OutboxChannel.SMS: gateway}, settings=small, once=True,
                       stop=stop, clock=Clock())

        threads = [threading.Thread(target=worker) for _ in range(4)]
        run_all(threads)
        keys = [r.headers["Idempotency-Key"] for r in provider.received]
    assert len(keys) == 121 and len(set(keys)) == 121
    assert set(states(session)) == {OutboxState.SENT}
