"""Money is exact from the tariff to the QR payload: tariffs, rounding, terbilang, QRIS and the
SNAP amount format, as pure functions (no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.payments.qris import (
    Merchant,
    crc16_ccitt,
    crc_verifies,
    parse_tlv,
    payload_amount,
    payload_bill_number,
    qris_payload,
)
from services.payments.snap import amount_object, parse_amount
from services.payments.tariffs import (
    Rounding,
    TariffInvalid,
    assess,
    exact,
    parse_billing,
    round_rupiah,
)
from services.payments.terbilang import rupiah_in_words, terbilang

MERCHANT = Merchant(guid="ID.CO.BANKCONTOH.WWW", pan="9360012300000000019",
                    merchant_id="KOTACONTOH01", nmid="ID1026000000001",
                    name="PEMKOT CONTOH", city="KOTA CONTOH")
PBG_BILLING = {
    "kind": "skrd", "rounding": {"to": 100, "mode": "half_up"},
    "lines": [{"label": {"id": "Luas × It × Ilo × SHST", "en": "Area × indices × price"},
               "of": ["floor_area_m2"], "unit": "m²", "rate": 5_000_000,
               "factors": [{"label": {"id": "It", "en": "It"}, "value": "0.45"},
                           {"label": {"id": "Ilo", "en": "Ilo"}, "value": "0.004"}]}],
}
REKLAME_BILLING = {
    "kind": "skpd", "rounding": {"to": 100, "mode": "up"},
    "lines": [{"label": {"id": "Luas × bulan × NSR × tarif", "en": "x"},
               "of": ["width_m", "height_m", "duration_months"], "rate": 75_000,
               "factors": [{"label": {"id": "Tarif", "en": "Rate"}, "value": "0.25"}]}],
}


def test_the_pbg_levy_is_floor_area_times_the_indices_and_the_unit_price():
    assessment = assess(parse_billing(PBG_BILLING), {"floor_area_m2": 750})
    assert assessment.amount == 6_750_000 and assessment.rounding == 0
    assert [(line.quantity, line.rate, line.amount) for line in assessment.lines] == [
        ("750", 5_000_000, 6_750_000)]


def test_the_reklame_tax_rounds_up_to_the_hundred_as_its_rule_says():
    # 1,5 m × 0,5 m × 12 months × Rp 75.000 × 25% = Rp 168.750 -> Rp 168.800
    assessment = assess(parse_billing(REKLAME_BILLING),
                        {"width_m": 1.5, "height_m": "0,5", "duration_months": 12})
    assert (assessment.lines[0].quantity, assessment.lines[0].amount) == ("9", 168_750)
    assert (assessment.rounding, assessment.amount) == (50, 168_800)


@pytest.mark.parametrize(("amount", "to", "mode", "expected"), [
    (Fraction(149), 100, Rounding.HALF_UP, 100), (Fraction(150), 100, Rounding.HALF_UP, 200),
    (Fraction(101), 100, Rounding.UP, 200), (Fraction(199), 100, Rounding.DOWN, 100),
    (Fraction(1, 2), 1, Rounding.HALF_UP, 1), (Fraction(200), 100, Rounding.UP, 200),
])
def test_rounding_follows_the_tariffs_rule(amount, to, mode, expected):
    assert round_rupiah(amount, to, mode) == expected


@pytest.mark.parametrize(("billing", "problem"), [
    ({"kind": "pbb"}, "pbb"), ({"rounding": {"to": 0}}, "rounding.to"),
    ({"lines": [{"label": "x", "of": ["a"], "rate": 1.5}]}, "rate"),
    ({"lines": [{"label": "x", "of": ["a"], "rate": 1,
                 "factors": [{"label": "f", "value": "nan"}]}]}, "not a number"),
    ({"colour": "red"}, "unknown billing keys"),
])
def test_a_billing_rule_that_cannot_be_applied_is_refused(billing, problem):
    with pytest.raises(TariffInvalid, match=problem):
        parse_billing(billing)


def test_a_missing_answer_is_said_not_guessed():
    with pytest.raises(TariffInvalid, match="floor_area_m2"):
        assess(parse_billing(PBG_BILLING), {})


@given(area=st.decimals(min_value="10", max_value="100000", places=2, allow_nan=False),
       rate=st.integers(min_value=1, max_value=10_000_000),
       index=st.decimals(min_value="0.001", max_value="2", places=3))
def test_money_stays_integer_and_exact_from_the_tariff_to_the_qr_payload(area, rate, index):
    billing = parse_billing({"rounding": {"to": 100, "mode": "half_up"}, "lines": [
        {"label": "l", "of": ["area"], "rate": rate,
         "factors": [{"label": "i", "value": str(index)}]}]})
    assessment = assess(billing, {"area": str(area)})
    exact_total = Fraction(area) * rate * Fraction(index)
    assert isinstance(assessment.amount, int) and assessment.amount % 100 == 0
    assert abs(Fraction(assessment.amount) - exact_total) <= 50 + Fraction(1, 2)
    assert assessment.amount == sum(line.amount for line in assessment.lines) \
        + assessment.rounding
    if assessment.amount > 0:
        payload = qris_payload(MERCHANT, amount=assessment.amount, bill_number="SKRD/X/1")
        assert crc_verifies(payload) and payload_amount(payload) == assessment.amount
        assert parse_amount(amount_object(assessment.amount)) == assessment.amount


DIGITS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
          "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
          "seratus": 100, "seribu": 1000}
SCALES = {"triliun": 10**12, "miliar": 10**9, "juta": 10**6, "ribu": 1000}


def read_back(words: str) -> int:
    """Indonesian number words back to the number (the test's own reader)."""
    total, current, last = 0, 0, 0
    for word in words.split():
        if word in DIGITS:
            last = DIGITS[word]
            current += last
        elif word == "belas":
            current += 10
        elif word == "puluh":
            current += last * 9
        elif word == "ratus":
            current += last * 99
        elif word in SCALES:
            total += current * SCALES[word]
            current = 0
        else:
            raise AssertionError(f"not a number word: {word}")
    return total + current


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_terbilang_says_every_amount_in_words_that_read_back(amount):
    words = terbilang(amount)
    assert words == words.strip() and "  " not in words
    assert read_back(words) == amount


@pytest.mark.parametrize(("amount", "words"), [
    (1_250_000, "Satu juta dua ratus lima puluh ribu rupiah"),
    (6_750_000, "Enam juta tujuh ratus lima puluh ribu rupiah"),
    (168_800, "Seratus enam puluh delapan ribu delapan ratus rupiah"),
    (1_001_011, "Satu juta seribu sebelas rupiah"),
    (2_000_000_000, "Dua miliar rupiah"),
])
def test_an_amount_in_words_as_the_bill_says_it(amount, words):
    assert rupiah_in_words(amount) == words


def test_the_qris_payload_holds_the_emvco_tags_and_a_crc_that_verifies():
    payload = qris_payload(MERCHANT, amount=6_750_000, bill_number="SKRD/DPUPR/2026/000001")
    fields = parse_tlv(payload)
    assert (fields["00"], fields["01"], fields["52"], fields["53"], fields["54"],
            fields["58"]) == ("01", "12", "9399", "360", "6750000", "ID")
    assert parse_tlv(fields["26"])["00"] == "ID.CO.BANKCONTOH.WWW"
    assert fields["59"] == "PEMKOT CONTOH" and fields["60"] == "KOTA CONTOH"
    assert payload_bill_number(payload) == "SKRD/DPUPR/2026/000001"
    assert payload[-8:-4] == "6304" and crc_verifies(payload)
    assert not crc_verifies(payload.replace("6750000", "6750001"))
    assert crc16_ccitt(b"123456789") == 0x29B1  # the CCITT-FALSE check value


@pytest.mark.parametrize("value", [
    {"value": "1250000.50", "currency": "IDR"}, {"value": "1250000", "currency": "IDR"},
    {"value": 1250000.0, "currency": "IDR"}, {"value": "1250000.00", "currency": "USD"},
    {"value": "-5.00", "currency": "IDR"}, {"value": "01.00", "currency": "IDR"}, "1250000.00",
])
def test_a_snap_amount_with_cents_or_not_in_rupiah_is_not_read(value):
    assert parse_amount(value) is None


def test_quantities_are_read_as_typed_never_through_binary_floats():
    assert exact(0.1) == Fraction(1, 10) and exact("2,5") == Fraction(5, 2)
    with pytest.raises(TariffInvalid):
        exact(True)
