"""Outbox rows are written in the transaction of the event behind them: with the citizen's
consent, once per event and channel, for subscribers of the event's kind; a rolled-back change
leaves nothing to send."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.codes import format_tracking_code
from services.errors import ValidationFailed
from services.models import NotificationConsent, OutboxChannel, OutboxMessage, OutboxState
from services.outbox.notices import (
    complaint_subject,
    notify_citizen,
    notify_complaint_answered,
    opt_out_by_reply,
    record_consent,
)
from services.outbox.webhooks import SecretBox, SubscriberInput, register_subscriber
from services.outbox.wording import CONSENT_VERSION
from services.workflow.sla import sweep_overdue
from services.workflow.tasks import approve_task, reject_task, return_for_information
from tests.builders.outbox import submit_notified
from tests.builders.workflow import WEDNESDAY, open_task


def rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_kiosk_choice_is_recorded_as_consent_and_the_received_message_queued(session,
                                                                                 staff):
    request, pin = submit_notified(session, "whatsapp")
    consent = session.scalar(select(NotificationConsent))
    assert (consent.subject, consent.channel, consent.address) == (
        f"request:{request.tracking_code}", OutboxChannel.WHATSAPP, "081234567890")
    assert consent.wording_version == CONSENT_VERSION
    assert consent.given_at == WEDNESDAY and consent.source == "e-Kios TEST"
    [message] = rows(session)
    assert (message.channel, message.event_kind, message.state) == (
        OutboxChannel.WHATSAPP, "submitted", OutboxState.PENDING)
    assert message.payload["template"] == "received"
    assert message.payload["params"]["code"] == format_tracking_code(request.tracking_code)
    assert pin not in json.dumps(message.payload)


def test_no_choice_means_no_consent_and_no_messages(session, staff):
    submit_notified(session, "none")
    assert session.scalar(select(NotificationConsent)) is None
    assert rows(session) == []


def test_an_unknown_channel_is_refused_with_a_message_on_the_field(session, staff):
    with pytest.raises(ValidationFailed) as refused:
        submit_notified(session, "pigeon")
    assert "notify" in refused.value.fields
    session.rollback()
    assert rows(session) == []


def test_a_rolled_back_change_sends_nothing_and_a_committed_one_queues_its_message(session,
                                                                                   staff):
    request, _ = submit_notified(session, "sms")
    clerk = staff["clerk.kec-utara"]
    task = open_task(session, request, "KEC-UTARA")
    return_for_information(session, actor=clerk, task_id=task.id, note="Foto KTP kabur")
    session.rollback()
    assert [m.event_kind for m in rows(session)] == ["submitted"]

    return_for_information(session, actor=clerk, task_id=task.id, note="Foto KTP kabur")
    session.commit()
    assert [(m.event_kind, m.payload["template"]) for m in rows(session)] == [
        ("submitted", "received"), ("information_requested", "needs_info")]


def test_approval_rejection_and_lateness_each_tell_the_citizen(session, staff):
    approved, _ = submit_notified(session, "whatsapp")
    approve_task(session, actor=staff["clerk.kec-utara"],
                 task_id=open_task(session, approved, "KEC-UTARA").id)
    rejected, _ = submit_notified(session, "sms")
    reject_task(session, actor=staff["clerk.kec-utara"],
                task_id=open_task(session, rejected, "KEC-UTARA").id, reason="Bukan warga")
    late, _ = submit_notified(session, "whatsapp")
    session.commit()
    sweep_overdue(session, now=WEDNESDAY + timedelta(days=30))
    session.commit()
    by_template = {m.payload["template"]: m for m in rows(session)}
    assert {"received", "approved", "rejected", "overdue"} <= set(by_template)
    overdue = by_template["overdue"]
    assert overdue.subject == f"request:{late.tracking_code}"
    assert overdue.payload["params"]["date_at"] > (WEDNESDAY + timedelta(days=30)).isoformat()


def test_one_message_per_event_and_channel_whatever_the_calls(session, staff):
    request, _ = submit_notified(session, "whatsapp")
    subject = f"request:{request.tracking_code}"
    for _ in range(3):
        notify_citizen(session, subject=subject, event_key="event:999", event_kind="x",
                       template="received", params={})
    session.commit()
    assert [m.dedup_key for m in rows(session)].count("event:999:whatsapp") == 1


def test_subscribers_get_the_kinds_they_asked_for_without_personal_data(session, staff):
    box = SecretBox("test-secret")
    register_subscriber(session, SubscriberInput("Dashboard", "https://dash.example/hook",
                                                 ["information_requested"]), box=box, actor=None)
    register_subscriber(session, SubscriberInput("LAPOR", "https://lapor.example/hook", ["*"]),
                        box=box, actor=None)
    session.commit()
    request, _ = submit_notified(session, "none")
    return_for_information(session, actor=staff["clerk.kec-utara"],
                           task_id=open_task(session, request, "KEC-UTARA").id, note="Foto")
    session.commit()
    hooks = [(m.subscriber.name, m.event_kind) for m in rows(session)
             if m.channel is OutboxChannel.WEBHOOK]
    assert sorted(hooks) == [("Dashboard", "information_requested"),
                             ("LAPOR", "information_requested"), ("LAPOR", "submitted")]
    body = json.loads(rows(session)[-1].payload["body"])
    assert body["data"]["tracking_code"] == request.tracking_code
    assert "3578014506900001" not in json.dumps(body) and "Siti" not in json.dumps(body)


def test_a_stop_reply_cancels_what_waits_and_stops_later_messages(session, staff):
    request, _ = submit_notified(session, "whatsapp")
    assert opt_out_by_reply(session, phone="6281234567890", text="STOP", via="sms") == 1
    session.commit()
    assert [m.state for m in rows(session)] == [OutboxState.CANCELLED]
    return_for_information(session, actor=staff["clerk.kec-utara"],
                           task_id=open_task(session, request, "KEC-UTARA").id, note="Foto")
    session.commit()
    assert len(rows(session)) == 1
    assert session.scalar(select(NotificationConsent)).withdrawn_via == "sms"


def test_a_complaint_answer_is_one_call_in_the_answering_transaction(session, staff):
    record_consent(session, subject=complaint_subject("ADU-7"), channel=OutboxChannel.SMS,
                   address="081234567890", language="en", source="kiosk")
    notify_complaint_answered(session, complaint_code="ADU-7", answer_id=3)
    notify_complaint_answered(session, complaint_code="ADU-7", answer_id=3)  # a retry
    session.commit()
    [message] = rows(session)
    assert (message.dedup_key, message.payload["template"], message.language) == (
        "complaint:ADU-7:answer:3:sms", "complaint_answered", "en")
