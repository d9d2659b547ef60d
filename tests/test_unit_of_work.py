"""A use case's work ends in one place: committed whole, or rolled back; and the app hands its
use cases the clock and the city calendar it built once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from services.accounts import UserInput, authenticate, create_user
from services.city_calendar import CityCalendar
from services.clock import SystemClock
from services.errors import Conflict
from services.lookup import LookupRefused
from services.models import Holiday, Role, ServiceRequest
from services.passwords import PasswordHasher
from services.unit_of_work import UnitOfWork
from tests.fakes import FakeClock
from tests.kiosk_builders import KIOSK_TOKEN, NIK, PHONE, make_business_catalog, make_kiosk

NEW_YEAR = date(2027, 1, 1)


def holidays_in(session) -> int:
    return session.scalar(select(func.count()).select_from(Holiday))


def add_new_year(session) -> None:
    session.add(Holiday(day=NEW_YEAR, name_id="Tahun Baru", name_en="New Year"))
    session.flush()


def test_work_that_succeeds_is_committed(session):
    with UnitOfWork(session):
        add_new_year(session)
    session.close()
    assert holidays_in(session) == 1


def test_work_that_fails_is_rolled_back_whole_and_the_error_goes_on(session):
    with pytest.raises(Conflict), UnitOfWork(session):
        add_new_year(session)
        raise Conflict("refused after a change")
    assert holidays_in(session) == 0


def test_a_failure_that_keeps_what_it_recorded_is_committed(session):
    with pytest.raises(LookupRefused), UnitOfWork(session):
        add_new_year(session)  # as a wrong PIN is counted though the look-up fails
        raise LookupRefused("wrong PIN")
    session.close()
    assert holidays_in(session) == 1


def test_the_app_builds_a_system_clock_and_the_city_calendar_once(app):
    assert isinstance(app.extensions["clock"], SystemClock)
    assert app.extensions["city_calendar"] == CityCalendar(app.config["CITY_TIMEZONE"])


def test_a_submission_is_stamped_by_the_clock_the_app_hands_its_use_cases(app, client, session):
    make_business_catalog(session)
    make_kiosk(session)
    wednesday = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    app.extensions["clock"] = FakeClock(wednesday)
    response = client.post("/api/v1/requests", headers={
        "Authorization": f"Bearer {KIOSK_TOKEN}", "Idempotency-Key": "clock-1"}, json={
        "service_code": "IZIN-USAHA", "language": "en",
        "applicant": {"nik": NIK, "name": "Siti Aminah", "phone": PHONE},
        "answers": {"business_name": "Warung Siti", "sector": "jasa", "workers": 2,
                    "has_npwp": False}})
    assert response.status_code == 201
    session.expire_all()
    request = session.scalar(select(ServiceRequest))
    assert request.created_at == wednesday
    assert request.tasks[0].ready_at == wednesday


def test_a_city_calendar_with_fixed_holidays_needs_no_database():
    calendar = CityCalendar("Asia/Jakarta", fixed_holidays=frozenset({NEW_YEAR}))
    thursday = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)
    days_off = calendar.holidays(None)  # type: ignore[arg-type]
    assert days_off == {NEW_YEAR}
    assert calendar.due_at(thursday, 1, days_off).date() == date(2027, 1, 4)


def test_the_account_use_cases_hash_with_the_hasher_they_are_handed(session):
    cheap = PasswordHasher("pbkdf2:sha256:1")  # a fake's cost: one round
    with UnitOfWork(session):
        user = create_user(session, UserInput(username="admin.kota", full_name="Admin Kota",
                                              role=Role.ADMIN,
                                              password="kuda-lari-hijau-terbang-42"),
                           hasher=cheap)
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    with UnitOfWork(session):
        signed = authenticate(session, "admin.kota", "kuda-lari-hijau-terbang-42", hasher=cheap)
        unknown = authenticate(session, "nobody", "kuda-lari-hijau-terbang-42", hasher=cheap)
    assert signed.user is not None and unknown.user is None


def test_the_app_builds_its_password_hasher_once_from_its_settings(app):
    assert isinstance(app.extensions["password_hasher"], PasswordHasher)
    assert app.extensions["password_hasher"].method == app.config.get("PASSWORD_HASH_METHOD")
