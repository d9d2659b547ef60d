"""NIK and phone checks, with tables of cases and generated ones."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.messages import say
from services.validation import PROVINCE_CODES, FieldInvalid, clean_nik, clean_phone


@pytest.mark.parametrize("nik", [
    "3578014506900001",
    "3171010101800001",
    "1101013112990123",
    "9601016912000001",  # woman, 29-12-2000
    "5201012902000001",  # 29-02-2000: a leap year
    "3578 0145 0690 0001",  # spaces are forgiven
    "8201017107059999",  # woman, 31-07-2005, last serial
])
def test_valid_niks_are_accepted(nik):
    assert clean_nik(nik) == nik.replace(" ", "")


@pytest.mark.parametrize(("nik", "problem"), [
    ("", "nik_digits"),
    ("357801450690000", "nik_digits"),  # 15 digits
    ("35780145069000011", "nik_digits"),  # 17 digits
    ("35780145069O0001", "nik_digits"),  # a letter O
    ("３５７８０１４５０６９０００１", "nik_digits"),  # full-width digits are not ASCII
    ("1001014506900001", "nik_province"),  # 10 is no province
    ("2001014506900001", "nik_province"),
    ("9901014506900001", "nik_province"),
    ("0001014506900001", "nik_province"),
    ("3578010006900001", "nik_birth_date"),  # day 00
    ("3578013206900001", "nik_birth_date"),  # day 32
    ("3578014006900001", "nik_birth_date"),  # day 40: neither a man's nor a woman's day
    ("3578017206900001", "nik_birth_date"),  # day 72 = woman's 32
    ("3578010113900001", "nik_birth_date"),  # month 13
    ("3578010100900001", "nik_birth_date"),  # month 00
    ("3578013102900001", "nik_birth_date"),  # 31 February
    ("3578017104900001", "nik_birth_date"),  # woman's 31 April
    ("3578017004900000", "nik_serial"),  # woman born 30-04-1990, serial 0000
    ("3578014506900000", "nik_serial"),
])
def test_invalid_niks_are_refused_with_the_right_reason(nik, problem):
    with pytest.raises(FieldInvalid) as raised:
        clean_nik(nik)
    assert raised.value.key == problem


def test_29_february_is_valid_only_in_a_leap_year_of_some_century():
    assert clean_nik("3578012902000001")  # 2000 (and 1900 is not, but one century suffices)
    with pytest.raises(FieldInvalid):
        clean_nik("3578012902010001")  # neither 1901 nor 2001 is a leap year


def nik_from(province: int, birth: date, woman: bool, serial: int) -> str:
    day = birth.day + (40 if woman else 0)
    return f"{province:02d}0101{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


births = st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31))


@given(st.sampled_from(sorted(PROVINCE_CODES)), births, st.booleans(),
       st.integers(min_value=1, max_value=9999))
def test_every_real_nik_is_accepted(province, birth, woman, serial):
    nik = nik_from(province, birth, woman, serial)
    assert clean_nik(nik) == nik


@given(st.integers(min_value=0, max_value=99).filter(lambda p: p not in PROVINCE_CODES), births,
       st.booleans(), st.integers(min_value=1, max_value=9999))
def test_an_unknown_province_is_always_refused(province, birth, woman, serial):
    with pytest.raises(FieldInvalid) as raised:
        clean_nik(nik_from(province, birth, woman, serial))
    assert raised.value.key == "nik_province"


@given(st.sampled_from(sorted(PROVINCE_CODES)), births, st.booleans())
def test_serial_0000_is_always_refused(province, birth, woman):
    with pytest.raises(FieldInvalid) as raised:
        clean_nik(nik_from(province, birth, woman, 0))
    assert raised.value.key == "nik_serial"


@given(st.text(alphabet="0123456789", min_size=0, max_size=30).filter(lambda t: len(t) != 16))
def test_any_other_length_is_refused(digits):
    with pytest.raises(FieldInvalid):
        clean_nik(digits)


@pytest.mark.parametrize(("phone", "cleaned"), [
    ("081234567890", "081234567890"),
    ("+6281234567890", "081234567890"),
    ("6281234567890", "081234567890"),
    ("0812-3456-7890", "081234567890"),
    ("0812 3456 789", "08123456789"),
    ("(0812) 3456-7890", "081234567890"),
    ("0811234567", "0811234567"),  # 10 digits, the shortest
    ("0895123456789", "0895123456789"),  # 13 digits, the longest
    ("+62 857 1234 5678", "085712345678"),
    ("+62 0812-3456-7890", "081234567890"),  # the trunk 0 kept after the country code
    ("+62081234567890", "081234567890"),
])
def test_indonesian_mobile_numbers_are_accepted(phone, cleaned):
    assert clean_phone(phone) == cleaned


@pytest.mark.parametrize("phone", [
    "", "0812", "021234567", "0212345678",  # a Jakarta landline
    "+6221234567", "071234567890", "81234567890",  # no leading 0 or +62
    "+6181234567890", "+62 00812345678", "08123456789012",  # 14 digits
    "081234567a90", "0812345678901234", "+628", "62 21 1234 567",
])
def test_other_numbers_are_refused(phone):
    with pytest.raises(FieldInvalid) as raised:
        clean_phone(phone)
    assert raised.value.key == "phone"


@given(st.integers(min_value=8, max_value=11).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)),
    st.sampled_from(["0", "+62", "62"]))
def test_every_08_number_of_10_to_13_digits_is_accepted_in_any_prefix(rest, prefix):
    assert clean_phone(f"{prefix}8{rest}") == f"08{rest}"


def test_messages_exist_in_both_languages(app):
    invalid = FieldInvalid("nik_serial")
    with app.test_request_context():
        assert say(invalid.message, "id") == ("NIK tidak dikenal. Periksa lagi 16 angka di "
                                              "KTP-el atau KK Anda.")
        assert say(invalid.message, "en").startswith("This NIK is not recognised.")
