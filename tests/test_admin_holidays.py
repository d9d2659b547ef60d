"""Administrators keep the holiday table: list by year, add, edit, remove; each audited."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from services.models import Holiday, HolidayKind
from tests.builders.admin import audit_records
from tests.fakes import FakeClock

INDEPENDENCE = {"day": "2026-08-17", "name_id": "Hari Kemerdekaan", "name_en": "Independence Day"}


def holidays(session):
    session.expire_all()
    return list(session.scalars(select(Holiday).order_by(Holiday.day)))


def test_an_admin_adds_a_holiday_and_sees_it_in_its_year(admin_client, app_session):
    assert admin_client.post("/admin/holidays/new", data=INDEPENDENCE).status_code == 302
    assert [(h.day, h.name_en) for h in holidays(app_session)] == [
        (date(2026, 8, 17), "Independence Day")]
    assert "Hari Kemerdekaan" in admin_client.get("/admin/holidays/?year=2026").get_data(as_text=True)
    assert "Hari Kemerdekaan" not in admin_client.get("/admin/holidays/?year=2027").get_data(
        as_text=True)
    assert [r.action for r in audit_records(app_session, "holiday")] == ["create"]


def test_the_same_day_twice_is_refused_beside_the_date(admin_client, app_session):
    admin_client.post("/admin/holidays/new", data=INDEPENDENCE)
    response = admin_client.post("/admin/holidays/new", data={**INDEPENDENCE, "name_id": "Lagi"})
    assert response.status_code == 200
    assert "sudah tercatat sebagai hari libur" in response.get_data(as_text=True)
    assert [h.name_id for h in holidays(app_session)] == ["Hari Kemerdekaan"]


def test_a_holiday_without_a_date_is_refused(admin_client, app_session):
    response = admin_client.post("/admin/holidays/new", data={**INDEPENDENCE, "day": "17/08"})
    assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)
    assert holidays(app_session) == []


def test_an_admin_edits_and_removes_a_holiday(admin_client, app_session):
    admin_client.post("/admin/holidays/new", data=INDEPENDENCE)
    (holiday,) = holidays(app_session)
    admin_client.post(f"/admin/holidays/{holiday.id}/edit",
                      data={**INDEPENDENCE, "day": "2026-08-18", "name_id": "Cuti bersama"})
    (edited,) = holidays(app_session)
    assert (edited.day, edited.name_id) == (date(2026, 8, 18), "Cuti bersama")
    admin_client.post(f"/admin/holidays/{holiday.id}/remove")
    assert holidays(app_session) == []
    assert [r.action for r in audit_records(app_session, "holiday")] == ["create", "update", "remove"]


def test_an_admin_records_cuti_bersama_and_a_provisional_holiday(admin_client, app_session):
    admin_client.post("/admin/holidays/new", data={
        "day": "2027-12-24", "name_id": "Cuti Bersama Natal", "name_en": "Christmas leave",
        "kind": "cuti_bersama", "provisional": "y"})
    (holiday,) = holidays(app_session)
    assert holiday.kind is HolidayKind.CUTI_BERSAMA and holiday.provisional
    page = admin_client.get("/admin/holidays/?year=2027").get_data(as_text=True)
    assert "Cuti bersama" in page and "sementara" in page


def test_an_unknown_holiday_kind_is_refused(admin_client, app_session):
    response = admin_client.post("/admin/holidays/new", data={**INDEPENDENCE, "kind": "libur"})
    assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)
    assert holidays(app_session) == []


@pytest.mark.parametrize(("today", "entered", "notice"), [
    ("2026-10-31", [], None),
    ("2026-11-01", [], "Hari libur tahun 2027 belum diisi"),
    ("2026-12-15", [("2027-01-01", True)], "1 hari libur tahun 2027 masih sementara"),
    ("2026-12-15", [("2027-01-01", False)], None),
])
def test_the_dashboard_warns_in_november_of_next_years_holidays(admin_client, app, app_session,
                                                                today, entered, notice):
    for day, provisional in entered:
        app_session.add(Holiday(day=date.fromisoformat(day), name_id="Tahun Baru",
                                name_en="New Year", provisional=provisional))
    app_session.commit()
    app.extensions["clock"] = FakeClock(datetime.fromisoformat(f"{today}T03:00:00+00:00"))
    page = admin_client.get("/admin/").get_data(as_text=True)
    if notice is None:
        assert 'data-test="holiday-notice"' not in page
    else:
        assert notice in page
