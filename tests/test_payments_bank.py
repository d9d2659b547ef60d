"""The bank's SNAP calls against the app served on a loopback port, made by the demo bank (a
real HTTP server on port 0): the signed payment notification moves the request on; a bad
signature, a replayed X-EXTERNAL-ID, a stale timestamp, a wrong amount and a second
notification of the same payment are each handled as SNAP and the treasurer need."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from kiosk.bank.simulator import DemoBank, DemoBankServer
from services.db import utcnow
from services.demo import load_demo
from services.models import Bill, BillState, Channel, Payment, PaymentFlag, RequestStatus, User
from services.payments import snap
from services.submission import Submission, submit_request
from services.workflow.queues import claim_next_task
from services.workflow.tasks import approve_task
from tests.browser import live_server  # noqa: F401
from tests.builders import PINS
from tests.builders.workflow import APPLICANT

PBG = {"building_function": "hunian", "building_address": "Jl. Kenanga 7, Kota Contoh",
       "land_certificate_number": "SHM 1234", "floor_area_m2": 120, "floors": 2,
       "has_previous_permit": False}


def billed_pbg(session):
    """A PBG request PUPR has billed just now (Rp 1.080.000 for 120 m²)."""
    now = utcnow() - timedelta(hours=1)
    request = submit_request(session, Submission(service_code="PBG", applicant=APPLICANT,
                                                 answers=PBG, channel=Channel.KIOSK),
                             pins=PINS, now=now).request
    session.commit()
    for username in ("clerk.dpmptsp", "clerk.pupr", "clerk.pupr"):  # check, TPA/TPT, levy
        clerk = session.scalar(select(User).where(User.username == username))
        task = claim_next_task(session, actor=clerk, now=now)
        approve_task(session, actor=clerk, task_id=task.id, now=now)
        session.commit()
    bill = session.scalar(select(Bill).where(Bill.request_id == request.id))
    session.commit()  # no transaction left open: on SQLite it would hold the app's writes
    return request, bill


@pytest.fixture
def bank(app, live_server, session):  # noqa: F811
    load_demo(session)
    session.commit()
    config = app.config
    demo_bank = DemoBank(app_url=live_server.url, client_key=config["BANK_CLIENT_KEY"],
                         client_secret=config["BANK_CLIENT_SECRET"],
                         private_key_pem=(Path(config["BANK_PUBLIC_KEY"]).parent
                                          / "bank_private.pem").read_bytes(),
                         va_prefix=config["VA_PREFIX"])
    with DemoBankServer(demo_bank) as server:
        yield server


def payment_body(bank, bill, *, reference="PAY-1", amount=None):
    prefix = bank.bank.va_prefix.rjust(8)
    return {"partnerServiceId": prefix, "customerNo": bill.va_number,
            "virtualAccountNo": prefix + bill.va_number, "paymentRequestId": reference,
            "paidAmount": snap.amount_object(bill.amount if amount is None else amount),
            "trxDateTime": snap.snap_timestamp(datetime.now(UTC)), "channelCode": 6011}


def test_the_demo_bank_pays_a_bill_through_signed_snap_calls_and_the_request_moves_on(
        bank, session):
    request, bill = billed_pbg(session)
    assert (bill.amount, request.status) == (1_080_000, RequestStatus.AWAITING_PAYMENT)
    answer = requests.post(f"{bank.url}/pay", json={"va": bill.va_number}, timeout=30).json()
    assert answer["inquiry"]["responseCode"] == "2002400"
    assert answer["inquiry"]["virtualAccountData"]["totalAmount"] == {
        "value": "1080000.00", "currency": "IDR"}
    assert answer["payment"]["responseCode"] == "2002500"
    session.expire_all()
    assert session.get(Bill, bill.id).state is BillState.PAID
    assert session.get(type(request), request.id).status is RequestStatus.IN_PROGRESS
    session.commit()
    inquiry_again = bank.bank.call("/v1.0/transfer-va/inquiry", {
        "partnerServiceId": "   88810", "customerNo": bill.va_number,
        "inquiryRequestId": "again"})
    assert inquiry_again == (404, {"responseCode": "4042414", "responseMessage": "Paid Bill"})
    statement = requests.get(f"{bank.url}/statement.csv", timeout=10).text
    assert bill.va_number in statement and "1080000" in statement


def test_a_badly_signed_a_replayed_or_a_stale_call_is_refused_and_changes_nothing(
        bank, session):
    _, bill = billed_pbg(session)
    demo = bank.bank
    body = payment_body(bank, bill)
    assert demo.call("/v1.0/transfer-va/payment", body, secret="not-the-secret") == (
        401, {"responseCode": "4012500", "responseMessage": "Unauthorized. [Signature]"})
    assert demo.call("/v1.0/transfer-va/payment", body, token="forged")[1]["responseCode"] \
        == "4012501"
    status, _ = demo.call("/v1.0/transfer-va/inquiry", {"customerNo": bill.va_number,
                                                        "inquiryRequestId": "1"},
                          external_id="EXT-1")
    assert status == 200
    assert demo.call("/v1.0/transfer-va/payment", body, external_id="EXT-1") == (
        409, {"responseCode": "4092500", "responseMessage": "Conflict"})
    raw = snap.minified(body).encode()
    stale = snap.snap_timestamp(datetime.now(UTC) - timedelta(hours=1))
    token = demo.token()
    answer = requests.post(f"{demo.app_url}/snap/v1.0/transfer-va/payment", data=raw, timeout=10,
                           headers={"Authorization": f"Bearer {token}", "X-TIMESTAMP": stale,
                                    "X-SIGNATURE": snap.sign_service(
                                        demo.client_secret, "POST",
                                        "/snap/v1.0/transfer-va/payment", token, raw, stale),
                                    "X-PARTNER-ID": demo.client_key, "X-EXTERNAL-ID": "EXT-2",
                                    "CHANNEL-ID": "95231"})
    assert (answer.status_code, answer.json()["responseCode"]) == (400, "4002501")
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Payment)) == 0
    assert session.get(Bill, bill.id).state is BillState.UNPAID


def test_a_token_request_not_signed_by_the_banks_key_gets_no_token(bank):
    from services.payments.snap import new_rsa_key, sign_token_request

    other_key, _ = new_rsa_key()
    timestamp = snap.snap_timestamp(datetime.now(UTC))
    answer = requests.post(f"{bank.bank.app_url}/snap/v1.0/access-token/b2b",
                           json={"grantType": "client_credentials"}, timeout=10, headers={
                               "X-TIMESTAMP": timestamp, "X-CLIENT-KEY": bank.bank.client_key,
                               "X-SIGNATURE": sign_token_request(other_key, bank.bank.client_key,
                                                                 timestamp)})
    assert (answer.status_code, answer.json()["responseCode"]) == (401, "4017300")
    assert "accessToken" not in answer.json()


def test_a_wrong_amount_is_recorded_and_flagged_and_a_second_notice_is_recorded_once(
        bank, session):
    request, bill = billed_pbg(session)
    demo = bank.bank
    status, answer = demo.call("/v1.0/transfer-va/payment",
                               payment_body(bank, bill, reference="SHORT", amount=1_000_000))
    assert (status, answer["responseCode"]) == (404, "4042513")
    first = demo.call("/v1.0/transfer-va/payment", payment_body(bank, bill, reference="FULL"))
    again = demo.call("/v1.0/transfer-va/payment", payment_body(bank, bill, reference="FULL"))
    assert first[1]["responseCode"] == again[1]["responseCode"] == "2002500"
    session.expire_all()
    payments = {p.bank_reference: p for p in session.scalars(select(Payment))}
    assert set(payments) == {"va:SHORT", "va:FULL"}
    assert payments["va:SHORT"].flag is PaymentFlag.WRONG_AMOUNT
    assert not payments["va:SHORT"].settled and payments["va:FULL"].settled
    assert session.get(Bill, bill.id).state is BillState.PAID


def test_an_e_wallet_pays_the_bills_dynamic_qris_and_the_bill_is_paid(app, bank, session):
    from kiosk.bank.settings import merchant_from
    from services.payments.qris import qris_payload

    _, bill = billed_pbg(session)
    payload = qris_payload(merchant_from(app.config), amount=bill.amount,
                           bill_number=bill.number)
    answer = requests.post(f"{bank.url}/pay", json={"qris": payload}, timeout=30).json()
    assert answer["payment"]["responseCode"] == "2005200"
    session.expire_all()
    assert session.get(Bill, bill.id).state is BillState.PAID
    payment = session.scalar(select(Payment))
    assert payment.channel.value == "qris" and payment.amount == 1_080_000
