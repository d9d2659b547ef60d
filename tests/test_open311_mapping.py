"""The pure Open311 decisions, as tables: statuses, datatypes, the wire values read as answers,
and the GET requests filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.errors import Message, ValidationFailed
from services.models import FieldType, FormField, RequestStatus
from services.open311 import (
    DATATYPES,
    field_attribute,
    open311_status,
    read_search,
    read_submission,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("status", "expected"), [
    (RequestStatus.SUBMITTED, "open"), (RequestStatus.IN_PROGRESS, "open"),
    (RequestStatus.NEEDS_INFO, "open"), (RequestStatus.APPROVED, "closed"),
    (RequestStatus.REJECTED, "closed"), (RequestStatus.COMPLETED, "closed"),
    (RequestStatus.CANCELLED, "closed")])
def test_our_statuses_map_to_open_or_closed(status, expected):
    assert open311_status(status) == expected


def test_every_field_type_has_a_georeport_datatype():
    allowed = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
    assert set(DATATYPES) == set(FieldType) and set(DATATYPES.values()) <= allowed


def field(kind: FieldType, **extra) -> FormField:
    return FormField(key="f", type=kind, label_id="Isian", label_en="Field", help_id="",
                     help_en="", required=True, choices=extra.pop("choices", []), **extra)


@pytest.mark.parametrize(("kind", "values"), [
    (FieldType.YES_NO, [{"key": "ya", "name": Message("open311.yes")},
                        {"key": "tidak", "name": Message("open311.no")}]),
    (FieldType.CHOICE, [{"key": "a", "name": "A"}]),
    (FieldType.TEXT, [])])
def test_list_fields_carry_their_values_as_key_and_name(kind, values):
    choices = [{"value": "a", "label_id": "A id", "label_en": "A"}]
    assert field_attribute(field(kind, choices=choices), 4, "en")["values"] == values


def test_a_field_shown_only_for_some_answers_is_not_required_of_every_request():
    shown_if = field(FieldType.TEXT, show_if={"field": "x", "op": "eq", "value": True})
    assert field_attribute(shown_if, 1, "id")["required"] is False
    assert field_attribute(field(FieldType.TEXT), 1, "id")["required"] is True


@pytest.mark.parametrize(("raw", "answer"), [("2026-01-02T00:00:00Z", "2026-01-02"),
                                             ("2026-01-02", "2026-01-02"), ("soon", "soon")])
def test_a_w3c_datetime_answers_a_date_field_with_its_date(raw, answer):
    date_field = FormField(key="d", type=FieldType.DATE)
    assert read_submission([date_field], {"d": raw}).answers == {"d": answer}


def test_the_applicant_comes_from_attributes_or_the_spec_fields():
    by_spec = read_submission([], {"applicant_nik": "1"}, first_name=" Siti ",
                              last_name="Aminah", phone="0812")
    assert (by_spec.applicant.name, by_spec.applicant.phone) == ("Siti Aminah", "0812")
    by_attribute = read_submission([], {"applicant_name": "Budi", "applicant_phone": "0813"},
                                   first_name="X", phone="0899")
    assert (by_attribute.applicant.name, by_attribute.applicant.phone) == ("Budi", "0813")


@pytest.mark.parametrize("params", [
    {"status": "open,pending"}, {"start_date": "2026-13-01T00:00:00Z"},
    {"end_date": "2026-01-01"}, {"start_date": "2026-03-01T00:00:00Z",
                                 "end_date": "2026-01-01T00:00:00Z"}])
def test_filters_the_spec_does_not_allow_are_refused(params):
    with pytest.raises(ValidationFailed):
        read_search(params, NOW)


def test_without_dates_the_search_covers_the_last_90_days():
    search = read_search({"status": "open, closed", "service_code": "A,B"}, NOW)
    assert search.start == datetime(2026, 8, 31, 12, 0, tzinfo=UTC)
    assert search.statuses == ("open", "closed") and search.service_codes == ("A", "B")
