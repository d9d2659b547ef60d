"""Status look-up by code and PIN, and idempotent submission under concurrency."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.codes import PinKeyring, format_tracking_code
from services.errors import NotFound
from services.lookup import NOT_FOUND_MESSAGE, find_request
from services.models import Channel, Event, ServiceRequest, Task
from services.submission import Applicant, Submission, submit_request
from services.unit_of_work import UnitOfWork
from tests.builders import PINS, make_catalog
from tests.builders.kiosk import NIK, PHONE, business_service
from tests.threads import run_all

ANSWERS = {"business_name": "Warung", "sector": "jasa", "workers": "2", "has_npwp": "tidak"}


def submission(key: str | None = "kiosk:KIOSK-TEST-01:abc") -> Submission:
    return Submission(service_code="IZIN-USAHA",
                      applicant=Applicant(nik=NIK, name="Siti Aminah", phone=PHONE),
                      answers=ANSWERS, channel=Channel.KIOSK, idempotency_key=key)


@pytest.fixture
def submitted(session):
    make_catalog(session, business_service())
    return submit_request(session, submission(), pins=PINS)


def test_the_code_and_pin_find_the_request_however_the_code_is_typed(session, submitted):
    code = submitted.request.tracking_code
    for typed in (code, code.lower(), format_tracking_code(code), f" {code[:4]} {code[4:]} "):
        assert find_request(session, typed, submitted.pin, PINS).id == submitted.request.id


@pytest.mark.parametrize("wrong", ["code", "pin", "malformed", "empty"])
def test_a_wrong_code_or_pin_raises_the_same_not_found(session, submitted, wrong):
    code, pin = submitted.request.tracking_code, submitted.pin
    other_pin = str((int(pin) + 1) % 1000000).zfill(6)
    other_code = "22222222" + ("3" if code != "222222223" else "4")
    typed = {"code": (other_code, pin), "pin": (code, other_pin),
             "malformed": ("not a code", pin), "empty": ("", "")}[wrong]
    with pytest.raises(NotFound) as raised:
        find_request(session, *typed, PINS)
    assert raised.value.message.code == NOT_FOUND_MESSAGE


def test_an_unknown_code_still_checks_a_pin_hash(session, submitted):
    checked = []
    class CountingKeyring(PinKeyring):
        def pin_matches(self, pin_hash, pin):
            checked.append(pin_hash)
            return False

    with pytest.raises(NotFound):
        find_request(session, "2222-2222-2", "123456", CountingKeyring(PINS.keys))
    assert len(checked) == 1  # the dummy hash: an unknown code takes as long as a wrong PIN


def test_two_concurrent_submissions_with_one_key_make_one_request(session, engine):
    make_catalog(session, business_service())
    session.close()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit_in_own_session():
        try:
            with Session(engine, expire_on_commit=False) as own:
                barrier.wait(timeout=10)
                with UnitOfWork(own):
                    result = submit_request(own, submission("api:KIOSK-TEST-01:same"),
                                            pins=PINS)
                results.append((result.request.id, result.pin, result.created))
        except Exception as error:  # reported below, the thread must not swallow it
            errors.append(error)

    threads = [threading.Thread(target=submit_in_own_session) for _ in range(2)]
    run_all(threads, timeout=30)
    assert errors == []
    assert len({(request_id, pin) for request_id, pin, _ in results}) == 1
    assert sorted(created for _, _, created in results) == [False, True]
    with Session(engine) as check:
        assert check.scalar(select(func.count()).select_from(ServiceRequest)) == 1
        assert check.scalar(select(func.count()).select_from(Event)) == 1
        assert check.scalar(select(func.count()).select_from(Task)) == 1
