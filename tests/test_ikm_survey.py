"""The IKM survey offered after a finished request is looked up: one response per request,
stored without the applicant, on the phone and at the kiosk."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from services.errors import Conflict
from services.ikm.survey import record_survey, request_subject, resolve_subject
from services.models import Event, SurveyResponse, SurveySource, SurveyTaken
from tests.builders.ikm import ANSWERS, finished_city
from tests.builders.kiosk import enrol, make_kiosk
from tests.builders.workflow import make_city, submit
from tests.threads import run_all


def look_up(client, request, pin, prefix=""):
    return client.post(f"{prefix}/status", data={"tracking_code": request.tracking_code,
                                                 "pin": pin}).get_data(as_text=True)


def responses(session):
    """The stored responses; the session lets go of the database (SQLite locks on BEGIN)."""
    session.expire_all()
    found = session.scalars(select(SurveyResponse)).all()
    session.close()
    return found


def event_count(session):
    count = session.scalar(select(func.count(Event.id)))
    session.close()
    return count


def test_a_finished_request_looked_up_on_the_phone_offers_the_survey_and_stores_one_answer(
        client, session):
    request, pin = finished_city(session)
    events_before = event_count(session)
    page = look_up(client, request, pin)
    assert 'id="start-survey"' in page and "Isi survei kepuasan" in page
    form = client.get("/status/survey").get_data(as_text=True)
    assert form.count('type="radio"') == 36 and "Sangat sopan dan ramah" in form
    done = client.post("/status/survey", data=ANSWERS)
    assert done.status_code == 200 and 'id="survey-thanks"' in done.get_data(as_text=True)
    [stored] = responses(session)
    assert stored.answers() == (4, 4, 2, 4, 4, 4, 4, 4, 4)
    assert (stored.source, stored.channel.value, stored.period) == (
        SurveySource.WEB, "web", stored.created_at.strftime("%Y-%m"))
    assert stored.agency_id == request.tasks[0].agency_id
    assert stored.service_version_id == request.service_version_id
    # Nothing in the history says when the citizen answered.
    assert event_count(session) == events_before
    # Looked up again: no second offer.
    assert 'id="start-survey"' not in look_up(client, request, pin)


def test_the_response_table_has_no_way_back_to_the_applicant(engine):
    columns = {column["name"] for column in inspect(engine).get_columns("survey_response")}
    foreign = {fk["referred_table"] for fk in inspect(engine).get_foreign_keys("survey_response")}
    assert columns == {"id", "service_id", "service_version_id", "agency_id", "channel",
                       "kiosk_id", "period", "source", "created_at",
                       *(f"u{i}" for i in range(1, 10))}
    assert foreign == {"service", "service_version", "agency", "kiosk"}
    assert {c["name"] for c in inspect(engine).get_columns("survey_taken")} == {"subject"}


def test_a_request_still_in_progress_is_not_offered_the_survey(client, session):
    make_city(session)
    request, pin = submit(session, "SKTM")
    session.commit()
    session.close()
    assert 'id="start-survey"' not in look_up(client, request, pin)
    refused = client.get("/status/survey")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/status")


def test_unanswered_questions_are_marked_and_nothing_is_stored(client, session):
    request, pin = finished_city(session)
    session.close()
    look_up(client, request, pin)
    partial = {key: value for key, value in ANSWERS.items() if key not in ("u4", "u9")}
    page = client.post("/status/survey?lang=en", data=partial)
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="u4-error"' in text and 'id="u9-error"' in text and 'id="u1-error"' not in text
    assert "Choose one answer." in text and 'value="4" checked' in text
    assert responses(session) == []


def test_the_second_survey_for_a_request_is_answered_clearly_and_not_stored(
        app, client, session):
    request, pin = finished_city(session)
    session.close()
    look_up(client, request, pin)
    other = app.test_client()
    look_up(other, request, pin)
    assert client.post("/status/survey", data=ANSWERS).status_code == 200
    second = other.post("/status/survey", data=ANSWERS)
    assert second.status_code == 409
    assert "Survei ini sudah diisi" in second.get_data(as_text=True)
    assert len(responses(session)) == 1


def test_two_surveys_sent_at_the_same_moment_store_one(engine, session):
    request, _pin = finished_city(session)
    session.close()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send(answer: int) -> None:
        with Session(engine) as own:
            subject = resolve_subject(own, request_subject(request.id))
            own.commit()  # SQLite: let go of the lock before the two race
            barrier.wait(timeout=60)
            try:
                record_survey(own, subject, (answer,) * 9, source=SurveySource.KIOSK,
                              tz="Asia/Jakarta")
                own.commit()
                outcomes.append("stored")
            except Conflict as error:
                own.rollback()
                outcomes.append(error.message.code)

    threads = [threading.Thread(target=send, args=(answer,)) for answer in (1, 4)]
    run_all(threads, timeout=60)
    assert sorted(outcomes) == ["ikm.already_answered", "stored"]
    assert session.scalar(select(func.count()).select_from(SurveyTaken)) == 1
    assert len(responses(session)) == 1


def test_a_rejected_request_may_be_rated_too(client, session):
    request, pin = finished_city(session, approve=False)
    session.close()
    assert 'id="start-survey"' in look_up(client, request, pin)


def test_the_survey_needs_its_csrf_token(app, client, session):
    request, pin = finished_city(session)
    session.close()
    look_up(client, request, pin)
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/status/survey", data=ANSWERS)
    assert refused.status_code == 400
    assert responses(session) == []


def test_a_signed_link_opens_the_survey_and_a_forged_one_does_not(app, client, session):
    from kiosk.ikm import survey_link

    request, _pin = finished_city(session)
    session.close()
    with app.test_request_context():
        link = survey_link(request_subject(request.id))
    opened = client.get(link.removeprefix("http://localhost"))
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/status/survey")
    assert client.post("/status/survey", data=ANSWERS).status_code == 200
    forged = app.test_client().get(link.removeprefix("http://localhost")[:-3] + "xyz")
    assert forged.status_code == 302 and forged.headers["Location"].endswith("/status")
    assert len(responses(session)) == 1


@pytest.mark.parametrize("lang", ["id", "en"])
def test_at_the_kiosk_the_survey_is_one_tap_from_the_status_and_both_languages(
        client, session, lang):
    kiosk = make_kiosk(session)
    request, pin = finished_city(session, kiosk_id=kiosk.id)
    kiosk_id = kiosk.id
    session.close()
    enrol(client)
    page = client.post(f"/kiosk/status?lang={lang}",
                       data={"tracking_code": request.tracking_code, "pin": pin})
    text = page.get_data(as_text=True)
    assert ("Take the satisfaction survey" if lang == "en" else "Isi survei kepuasan") in text
    form = client.get("/kiosk/status/survey").get_data(as_text=True)
    assert ("Very polite and friendly" if lang == "en" else "Sangat sopan dan ramah") in form
    thanks = client.post("/kiosk/status/survey", data=ANSWERS).get_data(as_text=True)
    assert ("Thank you" if lang == "en" else "Terima kasih") in thanks
    [stored] = responses(session)
    assert (stored.source, stored.kiosk_id) == (SurveySource.KIOSK, kiosk_id)
