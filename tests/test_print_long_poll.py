"""Long polling for print jobs: a kiosk's request is held until a job exists (queued by this
process or any other) and answered at once when every hold slot is taken."""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from kiosk.api.long_poll import PrintJobWatch
from services.kiosks.printing import queue_receipt
from services.models import Kiosk, ServiceRequest
from tests.builders import PINS
from tests.builders.printing import enrolment_code, issued_pin, kiosk_request, make_kiosk
from tests.threads import join_all


class Newest:
    """A stand-in for the newest print job id in the database."""

    def __init__(self) -> None:
        self.value: int | None = 1

    def __call__(self) -> int | None:
        return self.value


def test_a_held_waiter_wakes_when_the_newest_job_moves():
    newest = Newest()
    watch = PrintJobWatch(newest, interval=0.01)
    assert watch.hold()
    try:
        seen = watch.wait(watch.version, 5)  # the watch's first look wakes once
        newest.value = 2
        assert watch.wait(seen, 5) != seen
    finally:
        watch.release()


def test_a_job_queued_by_this_process_wakes_the_waiters_at_once():
    watch = PrintJobWatch(Newest(), interval=60)
    seen = watch.version
    notifier = threading.Timer(0.05, watch.notify)
    notifier.start()
    assert watch.wait(seen, 30) == seen + 1
    join_all([notifier], timeout=10)


def test_holds_are_bounded_so_threads_stay_free():
    watch = PrintJobWatch(Newest(), slots=1, interval=0.01)
    assert watch.hold()
    assert not watch.hold()
    watch.release()
    assert watch.hold()
    watch.release()
    assert not PrintJobWatch(Newest(), slots=0).hold()


def enrolled_kiosk(client, session) -> tuple[Kiosk, dict[str, str]]:
    kiosk = make_kiosk(session)
    answer = client.post("/api/v1/kiosk/enrol",
                         json={"enrolment_code": enrolment_code(session, kiosk)})
    return kiosk, {"Authorization": f"Bearer {answer.json['device_token']}"}


def test_a_held_request_returns_the_job_another_process_queued(app, client, app_session,
                                                               engine):
    from kiosk.api.devices import print_job_watch

    kiosk, auth = enrolled_kiosk(client, app_session)
    request = kiosk_request(app_session, kiosk)
    request_id, kiosk_id = request.id, kiosk.id
    answers = []
    holder = threading.Thread(target=lambda: answers.append(
        client.get("/api/v1/kiosk/print-jobs?wait=20", headers=auth)))
    holder.start()
    with app.app_context():
        watch = print_job_watch()
    while holder.is_alive() and watch.version == 0:
        holder.join(0.05)  # held, and the watch has taken its first look
    # Another process: its own connection, no notify() in this one.
    with Session(engine) as other:
        queue_receipt(other, other.get(ServiceRequest, request_id), other.get(Kiosk, kiosk_id),
                      pin=issued_pin(request), pins=PINS)
        other.commit()
    join_all([holder], timeout=30)
    answer = answers[0]
    assert answer.status_code == 200 and answer.json["long_poll"] is True
    # A hold that ran out answers with no jobs, so a job here means the request was woken.
    assert [job["receipt"]["pin"] for job in answer.json["jobs"]] == [issued_pin(request)]


def test_waiting_jobs_are_answered_without_holding(client, app_session):
    kiosk, auth = enrolled_kiosk(client, app_session)
    request = kiosk_request(app_session, kiosk)
    queue_receipt(app_session, request, kiosk, pin=issued_pin(request), pins=PINS)
    app_session.commit()
    answer = client.get("/api/v1/kiosk/print-jobs?wait=20", headers=auth)
    assert len(answer.json["jobs"]) == 1


def test_without_a_free_slot_the_answer_comes_at_once_and_says_so(app, client, app_session):
    app.config["LONG_POLL_SLOTS"] = 0
    _kiosk, auth = enrolled_kiosk(client, app_session)
    answer = client.get("/api/v1/kiosk/print-jobs?wait=20", headers=auth)
    assert answer.status_code == 200
    assert answer.json == {**answer.json, "jobs": [], "long_poll": False}


def test_a_wait_that_is_not_a_number_is_refused(client, app_session):
    _kiosk, auth = enrolled_kiosk(client, app_session)
    answer = client.get("/api/v1/kiosk/print-jobs?wait=soon", headers=auth)
    assert answer.status_code == 422 and "wait" in answer.json["error"]["fields"]
