"""Numbers, NIK region codes and telephones as Indonesians write them, with tables of cases;
what cannot be read one way only is refused with the reason, on the kiosk and the API alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from kiosk.messages import say
from services.demo import load_demo
from services.models import FieldType, FormField, ServiceRequest
from services.numbers import NumberUnreadable, format_indonesian_number, parse_indonesian_number
from services.validation import FieldInvalid, clean_answer, clean_nik, clean_phone
from tests.builders.kiosk import KIOSK_TOKEN, NIK, PHONE, make_kiosk


@pytest.mark.parametrize(("text", "value"), [
    ("12.500", Decimal("12500")),  # a dot groups thousands
    ("12,5", Decimal("12.5")),  # a comma marks the decimals
    ("1.234,5", Decimal("1234.5")),
    ("1.234.567", Decimal("1234567")),
    ("12.500,75", Decimal("12500.75")),
    ("1,234", Decimal("1.234")),  # Indonesian convention: the comma is the decimal separator
    ("0,5", Decimal("0.5")),
    ("750", Decimal("750")),
    ("Rp 150.000", Decimal("150000")),
    ("Rp150.000", Decimal("150000")),
    (" 1 250 ", Decimal("1250")),
    ("-3,5", Decimal("-3.5")),
])
def test_numbers_written_the_indonesian_way_read_one_way(text, value):
    assert parse_indonesian_number(text) == value


@pytest.mark.parametrize(("text", "reason"), [
    ("12.5", "number_ambiguous"),  # English 12.5 or a mistyped 12.500? Never guessed.
    ("0.500", "number_ambiguous"),  # a leading zero cannot open a thousands group
    ("1234.500", "number_ambiguous"),
    ("1.2.3", "number_grouping"),
    ("1.23.456", "number_grouping"),
    ("12.50,5", "number_grouping"),
    ("1,5.000", "number_grouping"),
    ("1,234,567", "number_commas"),  # English grouping
    ("1,2,3", "number_commas"),
    (".5", "number"),
    ("5.", "number"),
    (",5", "number"),
    ("", "number"),
    ("dua belas", "number"),
    ("12a", "number"),
])
def test_numbers_that_cannot_be_read_one_way_only_are_refused_with_the_reason(text, reason):
    with pytest.raises(NumberUnreadable) as refused:
        parse_indonesian_number(text)
    assert refused.value.reason == reason


@pytest.mark.parametrize(("value", "text"), [
    (12500, "12.500"), (0.5, "0,5"), (1234.5, "1.234,5"), (20, "20"), (1000000, "1.000.000"),
    (-3.25, "-3,25"),
])
def test_numbers_are_written_back_the_indonesian_way(value, text):
    assert format_indonesian_number(value) == text


def number_field(**constraints) -> FormField:
    return FormField(key="area", type=FieldType.NUMBER, label_id="Luas", label_en="Area",
                     constraints=constraints, choices=[])


@pytest.mark.parametrize(("raw", "lang", "message"), [
    ("0,4", "id", "Minimal 0,5."),
    ("21", "id", "Maksimal 20."),
    ("21", "en", "At most 20."),
    ("12.5", "id", "Angka ini bisa dibaca dua cara. Tulis ribuan dengan titik (12.500) dan "
                   "desimal dengan koma (12,5)."),
    ("1,234,567", "id", "Hanya boleh satu koma, untuk desimal (misalnya 1.234,5)."),
])
def test_number_messages_are_plain_indonesian(app, raw, lang, message):
    with pytest.raises(FieldInvalid) as refused:
        clean_answer(number_field(min=0.5, max=20), raw, today=date(2026, 3, 10))
    with app.test_request_context():
        assert say(refused.value.message, lang) == message


def test_a_json_number_is_taken_as_it_is():
    assert clean_answer(number_field(), 12.5, today=date(2026, 3, 10)) == 12.5
    assert clean_answer(number_field(), "12.500", today=date(2026, 3, 10)) == 12500


@pytest.mark.parametrize(("nik", "reason"), [
    ("3500014506900001", "nik_regency"),  # kab/kota 00
    ("3578004506900001", "nik_district"),  # kecamatan 00
])
def test_a_nik_with_region_code_00_is_refused(nik, reason):
    with pytest.raises(FieldInvalid) as refused:
        clean_nik(nik)
    assert refused.value.key == reason


@pytest.mark.parametrize(("raw", "landline", "cleaned"), [
    ("081234567890", False, "081234567890"),
    ("+62 812-3456-7890", False, "081234567890"),
    ("(021) 555-1234", True, "0215551234"),
    ("(0299) 555-1001", True, "02995551001"),
    ("+62 21 5551234", True, "0215551234"),
    ("0812 3456 7890", True, "081234567890"),  # a telephone field takes a mobile too
])
def test_telephone_fields_take_landlines_mobile_fields_do_not(raw, landline, cleaned):
    assert clean_phone(raw, landline=landline) == cleaned


@pytest.mark.parametrize(("raw", "landline", "key"), [
    ("(021) 555-1234", False, "phone"),  # an HP field wants a mobile number
    ("021 55", True, "landline"),
    ("0812", True, "landline"),
    ("1234567890", True, "landline"),
])
def test_wrong_telephones_are_refused_with_the_right_message(raw, landline, key):
    with pytest.raises(FieldInvalid) as refused:
        clean_phone(raw, landline=landline)
    assert refused.value.key == key


def pbg_body(area):
    return {"service_code": "PBG", "language": "id",
            "applicant": {"nik": NIK, "name": "Siti Aminah", "phone": PHONE},
            "answers": {"building_function": "hunian", "building_address": "Jl. Kenanga 7",
                        "land_certificate_number": "SHM 1234", "floor_area_m2": area,
                        "floors": 2, "has_previous_permit": False}}


def test_the_api_reads_12_500_square_metres_as_twelve_thousand_and_routes_to_pupr(
        client, session):
    load_demo(session)
    make_kiosk(session)
    response = client.post("/api/v1/requests", json=pbg_body("12.500"),
                           headers={"Authorization": f"Bearer {KIOSK_TOKEN}",
                                    "Idempotency-Key": "pbg-1"})
    assert response.status_code == 201, response.get_json()
    request = session.scalar(select(ServiceRequest))
    assert request.answers["floor_area_m2"] == 12500
    reviews = [t.agency.code for t in request.tasks if t.stage == 2 and t.status.value != "skipped"]
    assert "DPUPR" in reviews


def test_the_api_refuses_an_ambiguous_floor_area_and_says_why(client, session):
    load_demo(session)
    make_kiosk(session)
    response = client.post("/api/v1/requests", json=pbg_body("12.5"),
                           headers={"Authorization": f"Bearer {KIOSK_TOKEN}",
                                    "Idempotency-Key": "pbg-2"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "12.500" in error["fields"]["floor_area_m2"]
    assert session.scalar(select(ServiceRequest)) is None
