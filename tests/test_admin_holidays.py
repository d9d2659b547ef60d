"""Administrators keep the holiday table: list by year, add, edit, remove; each audited."""

from datetime import date

from sqlalchemy import select

from services.models import Holiday
from tests.builders.admin import audit_records

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
