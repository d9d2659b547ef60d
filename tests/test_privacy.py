"""Personal data stays out of logs and lists."""

import logging

import pytest

from services.privacy import mask_name, mask_nik, mask_personal_data, mask_phone


@pytest.mark.parametrize(("raw", "masked"), [
    ("3578014506900001", "3578**********01"),
    ("1234", "****"),
])
def test_a_nik_keeps_only_its_region_and_last_two_digits(raw, masked):
    assert mask_nik(raw) == masked


def test_a_phone_keeps_its_prefix_and_last_three_digits():
    assert mask_phone("081234567890") == "0812*****890"


def test_a_name_keeps_initials():
    assert mask_name("Siti Aminah") == "S*** A*****"


def test_free_text_loses_niks_and_phone_numbers():
    text = "NIK 3578014506900001 HP +6281234567890 or 081234567890, code 12345"
    assert mask_personal_data(text) == "NIK [nik] HP [phone] or [phone], code 12345"


def test_app_logs_never_carry_a_nik_or_phone(app, caplog):
    with caplog.at_level(logging.INFO):
        app.logger.info("submitted by %s with %s", "3578014506900001", "081234567890")
        logging.getLogger("gunicorn.error").warning("nik=%s", "3578014506900001")
    assert "3578014506900001" not in caplog.text and "081234567890" not in caplog.text
    assert "submitted by [nik] with [phone]" in caplog.text
