"""The command center's output figures against a small city worked out by hand: a holiday, a
request whose clock stood still while the citizen answered, a late rejection."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from services.city_calendar import CityCalendar
from services.models import AgencyTarget, Channel, Holiday
from services.performance.figures import Period, outputs
from services.workflow.citizen import supply_information
from services.workflow.tasks import approve_task, reject_task, return_for_information
from tests.builders import PINS
from tests.builders.workflow import WEDNESDAY, make_city, open_task, submit

TZ = "Asia/Jakarta"
CITY = CityCalendar(TZ)
HOLIDAY = date(2026, 11, 27)  # the Friday after WEDNESDAY


def wib(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 7, 0, tzinfo=UTC)


@pytest.fixture
def city(session):
    staff = make_city(session)
    session.add(Holiday(day=HOLIDAY, name_id="Cuti bersama", name_en="Joint leave"))
    session.commit()
    # R1: decided the next working day.
    r1, _ = submit(session, "SKTM", kecamatan="utara")
    approve_task(session, actor=staff["clerk.kec-utara"],
                 task_id=open_task(session, r1, "KEC-UTARA").id, now=wib(26), calendar=CITY)
    # R2: asked for more on the first day; the citizen answers on Monday (Thursday and Monday
    # stood still: the Friday is a holiday), then approved on Thursday 3 December.
    r2, pin2 = submit(session, "SKTM", kecamatan="utara")
    return_for_information(session, actor=staff["clerk.kec-utara"],
                           task_id=open_task(session, r2, "KEC-UTARA").id,
                           note="Foto KK kurang jelas", now=wib(25, hour=11))
    session.commit()
    supply_information(session, r2.tracking_code, pin2, pins=PINS, note="Sudah", now=wib(30),
                       calendar=CITY)
    session.commit()
    approve_task(session, actor=staff["clerk.kec-utara"],
                 task_id=open_task(session, r2, "KEC-UTARA").id, now=wib(3, month=12),
                 calendar=CITY)
    # R3: rejected late, on Monday 7 December (its task was due on Tuesday 1 December).
    r3, _ = submit(session, "SKTM", kecamatan="selatan")
    reject_task(session, actor=staff["clerk.kec-selatan"],
                task_id=open_task(session, r3, "KEC-SELATAN").id, reason="Bukan warga",
                now=wib(7, month=12), calendar=CITY)
    # R4: a PBG still open, due at DPMPTSP in two working days: overdue by 10 December.
    submit(session, "PBG", floor_area=100)
    session.commit()
    return staff


def test_the_city_outputs_match_the_hand_worked_figures(session, city):
    period = Period(date(2026, 11, 1), date(2026, 12, 31), TZ)
    figures = outputs(session, period, now=wib(10, month=12))
    sktm = next(row for row in figures.services if row.code == "SKTM")
    assert sktm.decided == 3
    assert sktm.days_histogram == {1: 1, 3: 1, 7: 1}
    assert sktm.median_days == Decimal("3.0")
    assert sktm.standard_days == 5
    assert sktm.days_saved == (5 - 1) + (5 - 3) + (5 - 7)
    assert sktm.rejected_percent == Decimal("33.3")
    assert sktm.returned_percent == Decimal("33.3")
    assert sktm.unreturned_percent == Decimal("66.7")
    agencies = {row.code: row for row in figures.agencies}
    assert (agencies["KEC-UTARA"].decided, agencies["KEC-UTARA"].on_time) == (2, 2)
    assert agencies["KEC-UTARA"].on_time_percent == Decimal("100.0")
    assert (agencies["KEC-SELATAN"].decided, agencies["KEC-SELATAN"].on_time) == (1, 0)
    assert (agencies["DPMPTSP"].backlog, agencies["DPMPTSP"].overdue) == (1, 1)
    assert figures.submitted == 4
    assert figures.submitted_by_day[date(2026, 11, 25)] == {Channel.WEB.value: 4}
    assert figures.on_time_percent == Decimal("66.7")


def test_the_waiting_days_do_not_count_against_the_agency(session, city):
    """R2 took five working days in all, two of them waiting on the citizen: three count."""
    figures = outputs(session, Period(date(2026, 11, 1), date(2026, 12, 31), TZ),
                      now=wib(10, month=12))
    sktm = next(row for row in figures.services if row.code == "SKTM")
    assert 3 in sktm.days_histogram and 5 not in sktm.days_histogram


def test_a_period_counts_only_what_was_decided_in_it(session, city):
    november = outputs(session, Period(date(2026, 11, 1), date(2026, 11, 30), TZ),
                       now=wib(10, month=12))
    sktm = next(row for row in november.services if row.code == "SKTM")
    assert sktm.decided == 1 and sktm.days_histogram == {1: 1}


def test_an_agencys_view_holds_only_its_own_work(session, city):
    from sqlalchemy import select

    from services.models import Agency
    utara = session.scalar(select(Agency.id).where(Agency.code == "KEC-UTARA"))
    figures = outputs(session, Period(date(2026, 11, 1), date(2026, 12, 31), TZ),
                      now=wib(10, month=12), agency_id=utara)
    assert [row.code for row in figures.agencies] == ["KEC-UTARA"]
    assert [(row.code, row.decided) for row in figures.services] == [("SKTM", 2)]
    assert figures.submitted == 2 and figures.kiosks == []


def test_targets_stand_beside_the_actual_figures(session, city):
    from sqlalchemy import select

    from services.models import Agency
    utara = session.scalar(select(Agency.id).where(Agency.code == "KEC-UTARA"))
    session.add(AgencyTarget(agency_id=utara, year=2026, on_time_percent=90,
                             ikm=Decimal("82.50"), complaints_resolved_percent=75))
    session.commit()
    figures = outputs(session, Period.year(2026, TZ), now=wib(10, month=12))
    row = next(r for r in figures.agencies if r.code == "KEC-UTARA")
    assert (row.target_on_time, row.target_ikm, row.target_complaints_resolved) == (
        90, Decimal("82.50"), 75)
    assert row.rank is None  # two decisions are too few to be ranked


def test_the_decision_is_noted_on_the_request(session, city):
    from sqlalchemy import select

    from services.models import RequestStatus, ServiceRequest
    decided = session.scalars(select(ServiceRequest).where(
        ServiceRequest.status.in_((RequestStatus.APPROVED, RequestStatus.REJECTED)))
        .order_by(ServiceRequest.id)).all()
    assert [(r.working_days_used, r.decided_on_time, r.returned_for_info, r.stopped_days)
            for r in decided] == [(1, True, False, 0), (3, True, True, 2), (7, False, False, 0)]
    assert decided[0].decided_at > WEDNESDAY


def comparable(figures):
    return (figures.submitted_by_day, figures.submitted_by_kiosk,
            [(r.code, r.backlog, r.overdue, r.decided, r.on_time) for r in figures.agencies],
            [(r.code, r.decided, r.rejected, r.returned, r.days_saved, r.days_histogram)
             for r in figures.services])


@pytest.mark.parametrize("rolled_until", [date(2026, 11, 30), date(2026, 12, 9)])
def test_rolled_up_days_give_the_same_figures_as_the_live_tables(session, city, rolled_until):
    from sqlalchemy import select

    from services.models import Agency
    from services.performance.figures import monthly_on_time
    from services.performance.rollups import refresh_rollups, rolled_through

    period = Period(date(2026, 11, 1), date(2026, 12, 31), TZ)
    now = wib(10, month=12)
    utara = session.scalar(select(Agency.id).where(Agency.code == "KEC-UTARA"))
    live = [outputs(session, period, now=now), outputs(session, period, now=now,
                                                      agency_id=utara)]
    live_trend = monthly_on_time(session, period)
    refresh_rollups(session, today=rolled_until + timedelta(days=1), tz=TZ)
    session.commit()
    assert rolled_through(session) == rolled_until
    rolled = [outputs(session, period, now=now), outputs(session, period, now=now,
                                                        agency_id=utara)]
    assert [comparable(f) for f in rolled] == [comparable(f) for f in live]
    assert monthly_on_time(session, period) == live_trend
    # Refreshing again replaces the days it covers rather than adding to them.
    refresh_rollups(session, today=rolled_until + timedelta(days=1), tz=TZ,
                    first=date(2026, 11, 1))
    session.commit()
    assert comparable(outputs(session, period, now=now)) == comparable(live[0])


@pytest.mark.parametrize("rolled_until", [None, date(2026, 11, 30), date(2026, 12, 9)])
def test_the_command_centers_ikm_is_the_ikm_reports_own_rolled_or_live(session, city,
                                                                       rolled_until):
    """Agency and service IKM rows come from grouped queries and the rollups; they must say
    what services.ikm.report says of each scope: respondents, index and population."""
    from services.ikm.report import IkmScope, ikm_report
    from services.ikm.survey import record_survey, request_subject, resolve_subject
    from services.models import Agency, Service, ServiceRequest, SurveySource
    from services.performance.citizen_outcomes import agency_outcomes, service_outcomes
    from services.performance.rollups import refresh_rollups

    for request in session.query(ServiceRequest).filter(ServiceRequest.decided_at.is_not(None)):
        subject = resolve_subject(session, request_subject(request.id))
        record_survey(session, subject, (3, 4, 3, 4, 3, 4, 3, 4, 2), source=SurveySource.KIOSK,
                      tz=TZ, now=request.decided_at)
    if rolled_until is not None:
        refresh_rollups(session, today=rolled_until + timedelta(days=1), tz=TZ)
    session.commit()
    period = Period(date(2026, 11, 1), date(2026, 12, 31), TZ)
    agencies = {row.code: row.ikm for row in agency_outcomes(session, period)}
    services = {row.code: row.ikm for row in service_outcomes(session, period)}
    for code, report in agencies.items():
        agency = session.query(Agency).filter_by(code=code).one()
        expected = ikm_report(session, IkmScope(agency, None, "2026-11", "2026-12"), tz=TZ)
        assert (report.result, report.population) == (expected.result, expected.population)
    for code, report in services.items():
        service = session.query(Service).filter_by(code=code).one()
        expected = ikm_report(session, IkmScope(None, service, "2026-11", "2026-12"), tz=TZ)
        assert (report.result, report.population) == (expected.result, expected.population)
    assert agencies["KEC-UTARA"].population == 2 and agencies["KEC-SELATAN"].population == 1
    assert services["SKTM"].result.respondents == 3
