"""The agency and holiday use cases behind the admin pages, without the web layer."""

from datetime import date

import pytest
from sqlalchemy import select

from services.catalog.agencies import AgencyInput, create_agency, update_agency
from services.catalog.holidays import HolidayInput, add_holiday, holidays_in, update_holiday
from services.errors import ValidationFailed
from services.models import AgencyKind, AuditRecord


def agency_input(**changes):
    values = {"code": "DINKES", "kind": AgencyKind.DINAS, "name_id": "Dinas Kesehatan",
              "name_en": "Health Office", **changes}
    return AgencyInput(**values)


@pytest.mark.parametrize(("changes", "field"), [
    ({"code": "dinkes"}, "code"),
    ({"code": "D"}, "code"),
    ({"name_en": "  "}, "name_en"),
    ({"email": "not-an-address"}, "email"),
])
def test_an_agency_that_breaks_a_rule_is_refused_with_the_field(session, changes, field):
    with pytest.raises(ValidationFailed) as raised:
        create_agency(session, agency_input(**changes), actor=None)
    assert field in raised.value.fields


def test_an_update_records_only_what_changed(session):
    create_agency(session, agency_input(), actor=None)
    update_agency(session, "DINKES", agency_input(phone="031-555"), actor=None)
    records = session.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
    assert [(r.action, r.changes) for r in records][-1] == ("update", {"phone": "031-555"})


def test_moving_a_holiday_onto_another_holiday_is_refused(session):
    add_holiday(session, HolidayInput(date(2026, 8, 17), "Kemerdekaan", "Independence"), actor=None)
    other = add_holiday(session, HolidayInput(date(2026, 8, 18), "Cuti", "Leave"), actor=None)
    with pytest.raises(ValidationFailed) as raised:
        update_holiday(session, other.id, HolidayInput(date(2026, 8, 17), "Cuti", "Leave"),
                       actor=None)
    assert "day" in raised.value.fields
    assert [h.day for h in holidays_in(session, 2026)] == [date(2026, 8, 17), date(2026, 8, 18)]
