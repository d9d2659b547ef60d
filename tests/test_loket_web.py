"""The counter officer's /loket and the hall's /layar over HTTP: call, see the linked request,
finish, no-show after two calls, transfer; the display's long poll and its voice; six counters
racing "Panggil berikutnya" over HTTP call every ticket exactly once."""

import shutil
import threading
from collections import Counter as Tally

import pytest
import requests
from sqlalchemy import select

from services.frontoffice.queue import take_ticket
from services.models import QueueTicket, Role, TicketState
from tests import conftest
from tests.browser import live_server  # noqa: F401
from tests.builders import login
from tests.builders.frontoffice import CALENDAR, make_counter_officer, make_hall, morning_clock
from tests.builders.workflow import make_city, make_staff, submit
from tests.threads import run_all


@pytest.fixture
def hall(app, app_session):
    make_city(app_session)
    make_hall(app_session)
    officer = make_counter_officer(app_session)
    clock = morning_clock()
    app.extensions["clock"] = clock
    app.extensions["city_calendar"] = CALENDAR
    return {"clock": clock, "officer": officer, "session": app_session}


def take(hall, group="ADMINDUK", **extra):
    ticket = take_ticket(hall["session"], group_code=group, clock=hall["clock"],
                         calendar=CALENDAR, **extra).ticket
    hall["session"].commit()
    return ticket


def test_the_officer_calls_sees_the_request_and_finishes(client, hall):
    request, _pin = submit(hall["session"], "SKTM")
    ticket = take(hall, request=request)
    login(client, "loket.satu")
    assert "Loket 1" in client.get("/loket/").get_data(as_text=True)
    page = client.get("/loket/1").get_data(as_text=True)
    assert "Panggil berikutnya" in page and "<strong>1</strong>" in page
    assert "A-001 · ada permohonan" in page  # the line, first in call order
    called = client.post("/loket/1/panggil", headers={"Accept": "application/json"}).get_json()
    assert called["ticket"]["label"] == "A-001" and called["ticket"]["id"] == ticket.id
    page = client.get("/loket/1").get_data(as_text=True)
    assert "A-001" in page and request.tracking_code[:4] in page
    assert "Siti Aminah" in page and "3578014506900001" not in page  # NIK masked
    assert 'id="berkas"' in page
    done = client.post(f"/loket/1/tiket/{ticket.id}/selesai", follow_redirects=True)
    assert "Kunjungan selesai." in done.get_data(as_text=True)
    hall["session"].expire_all()
    assert hall["session"].get(QueueTicket, ticket.id).state is TicketState.DONE


def test_no_show_is_refused_before_the_second_call(client, hall):
    ticket = take(hall)
    login(client, "loket.satu")
    client.post("/loket/1/panggil")
    refused = client.post(f"/loket/1/tiket/{ticket.id}/tidak-hadir",
                          headers={"Accept": "application/json"})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["message"].startswith("Panggil paling sedikit 2 kali")
    client.post(f"/loket/1/tiket/{ticket.id}/panggil-ulang")
    gone = client.post(f"/loket/1/tiket/{ticket.id}/tidak-hadir",
                       headers={"Accept": "application/json"})
    assert gone.get_json()["ticket"]["state"] == "no_show"


def test_a_visit_is_sent_on_to_another_group(client, hall):
    ticket = take(hall)
    login(client, "loket.satu")
    client.post("/loket/1/panggil")
    moved = client.post(f"/loket/1/tiket/{ticket.id}/alihkan", data={"to_group": "PERIZINAN"},
                        headers={"Accept": "application/json"}).get_json()
    assert moved["ticket"]["label"] == "B-001"


def test_a_walk_in_request_is_linked_by_its_code(client, hall):
    ticket = take(hall)
    request, _pin = submit(hall["session"], "SKTM")
    login(client, "loket.satu")
    client.post("/loket/1/panggil")
    bad = client.post(f"/loket/1/tiket/{ticket.id}/tautkan", data={"tracking_code": "XXXX"},
                      follow_redirects=True)
    assert "Kode pelacakan permohonan tidak ditemukan." in bad.get_data(as_text=True)
    client.post(f"/loket/1/tiket/{ticket.id}/tautkan",
                data={"tracking_code": request.tracking_code})
    hall["session"].expire_all()
    assert hall["session"].get(QueueTicket, ticket.id).request_id == request.id


def test_clerks_do_not_work_the_counters(client, hall):
    make_staff(hall["session"], "clerk.loket", Role.CLERK, "DPMPTSP")
    hall["session"].commit()
    login(client, "clerk.loket")
    assert client.get("/loket/1").status_code == 403
    assert client.post("/loket/1/panggil").status_code == 403


def test_the_display_shows_calls_after_the_last_it_saw(client, hall):
    take(hall)
    take(hall)
    page = client.get("/layar/ADMINDUK")
    assert page.status_code == 200 and "Antrean" in page.get_data(as_text=True)
    first = client.get("/layar/ADMINDUK/panggilan").get_json()
    assert first["waiting"] == 2 and first["new_calls"] == []
    login(client, "loket.satu")
    client.post("/loket/1/panggil")
    board = client.get(f"/layar/ADMINDUK/panggilan?after={first['last_event']}").get_json()
    assert [c["label"] for c in board["new_calls"]] == ["A-001"]
    assert board["new_calls"][0]["text"] == "Nomor antrean A satu, silakan menuju loket satu"
    assert board["waiting"] == 1
    again = client.get(f"/layar/ADMINDUK/panggilan?after={board['last_event']}").get_json()
    assert again["new_calls"] == []
    assert client.get("/layar/NOPE").status_code == 404


@pytest.mark.skipif(not shutil.which("espeak-ng"),
                    reason="!!! espeak-ng is not installed: the voice is NOT tested "
                           "(apt-get install espeak-ng)")
def test_the_call_is_spoken_and_the_sound_is_kept(client, hall, app):
    take(hall)
    login(client, "loket.satu")
    client.post("/loket/1/panggil")
    board = client.get("/layar/ADMINDUK/panggilan?after=0").get_json()
    audio = client.get(board["new_calls"][0]["audio"])
    assert audio.status_code == 200
    assert audio.mimetype in ("audio/ogg", "audio/mpeg", "audio/wav")
    assert len(audio.data) > 1000
    if shutil.which("opusenc"):
        assert audio.mimetype == "audio/ogg" and audio.data[:4] == b"OggS"
    assert client.get(board["new_calls"][0]["audio"]).data == audio.data  # from the cache


@pytest.mark.committing
def test_a_held_display_wakes_when_a_counter_calls(app, hall, live_server):  # noqa: F811
    take(hall)
    first = requests.get(f"{live_server.url}/layar/ADMINDUK/panggilan", timeout=10).json()
    answers = []

    def display():
        answers.append(requests.get(
            f"{live_server.url}/layar/ADMINDUK/panggilan?after={first['last_event']}&wait=10",
            timeout=20).json())

    waiting = threading.Thread(target=display)
    waiting.start()
    officer = requests.Session()
    officer.post(f"{live_server.url}/auth/login",
                 data={"username": "loket.satu", "password": "correct-horse-battery"})
    officer.post(f"{live_server.url}/loket/1/panggil", timeout=10)
    waiting.join(15)
    assert answers and answers[0]["long_poll"] is True
    assert [c["label"] for c in answers[0]["new_calls"]] == ["A-001"]


def six_counters_race_over_http(app, app_session, live_server, tickets=36):  # noqa: F811
    from services.frontoffice.hall import ensure_counter_group

    make_city(app_session)
    make_hall(app_session)
    ensure_counter_group(app_session, code="ADMINDUK", name="Adminduk", prefix="A",
                         counters=[1, 2, 3, 4, 5, 6], service_codes=["SKTM"])
    for n in range(6):
        make_counter_officer(app_session, f"loket.{n + 1}")
    clock = morning_clock()
    app.extensions["clock"] = clock
    app.extensions["city_calendar"] = CALENDAR
    app.config["DISPLAY_VOICE_WARM"] = False  # 36 espeak-ng runs would only slow the race
    for _ in range(tickets):
        take_ticket(app_session, group_code="ADMINDUK", clock=clock, calendar=CALENDAR)
    app_session.commit()
    called, errors = [], []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def counter(number: int) -> None:
        try:
            web = requests.Session()
            web.post(f"{live_server.url}/auth/login",
                     data={"username": f"loket.{number}", "password": "correct-horse-battery"})
            start.wait(timeout=60)
            while True:
                answer = web.post(f"{live_server.url}/loket/{number}/panggil",
                                  headers={"Accept": "application/json"}, timeout=30)
                assert answer.status_code == 200, answer.text
                ticket = answer.json()["ticket"]
                if not ticket:
                    return
                with lock:
                    called.append(ticket["id"])
                done = web.post(f"{live_server.url}/loket/{number}/tiket/{ticket['id']}/selesai",
                                headers={"Accept": "application/json"}, timeout=30)
                assert done.status_code == 200, done.text
        except BaseException as error:
            errors.append(error)

    run_all([threading.Thread(target=counter, args=(n + 1,)) for n in range(6)])
    assert errors == []
    assert [t for t, n in Tally(called).items() if n > 1] == []
    assert len(called) == tickets
    app_session.expire_all()
    assert set(app_session.scalars(select(QueueTicket.state))) == {TicketState.DONE}
    by_counter = Tally(app_session.scalars(select(QueueTicket.counter_id)))
    assert len(by_counter) > 1  # the work was shared


@pytest.mark.postgres
@pytest.mark.skipif(conftest.test_database_kind() != "postgres",
                    reason="runs in the PostgreSQL pass")
def test_six_counters_racing_over_http_call_every_ticket_once_on_postgres(
        app, app_session, live_server):  # noqa: F811
    six_counters_race_over_http(app, app_session, live_server)


@pytest.mark.skipif(conftest.test_database_kind() != "sqlite",
                    reason="the SQLite version of the test")
def test_six_counters_racing_over_http_call_every_ticket_once_on_sqlite(
        app, app_session, live_server):  # noqa: F811
    six_counters_race_over_http(app, app_session, live_server)


def test_an_administrator_sets_up_a_counter_group_from_the_command_line(runner, app_session):
    from services.models import CounterGroup

    result = runner.invoke(args=["loket", "group", "--code", "kesehatan", "--name", "Kesehatan",
                                 "--prefix", "c", "--counters", "4,5",
                                 "--services", "SIP-DOKTER", "--hours", "08:00-12:00"])
    assert result.exit_code == 0, result.output
    assert "KESEHATAN (C): counters 4,5" in result.output
    group = app_session.scalar(select(CounterGroup).where(CounterGroup.code == "KESEHATAN"))
    assert [c.number for c in group.counters] == [4, 5]
    assert (group.opens_at, group.closes_at, group.service_codes) == ("08:00", "12:00",
                                                                      ["SIP-DOKTER"])
    bad = runner.invoke(args=["loket", "group", "--code", "X", "--name", "X", "--prefix", "X",
                              "--counters", "satu"])
    assert bad.exit_code != 0 and "counter numbers" in bad.output
    closed = runner.invoke(args=["loket", "group", "--code", "X", "--name", "X", "--prefix",
                                 "X", "--counters", "9", "--hours", "15:00-08:00"])
    assert closed.exit_code != 0 and "08:00-15:00" in closed.output
