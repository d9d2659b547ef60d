"""The bill an assessing step issues, the request waiting for payment with its clock stopped,
payment moving it on in the same transaction, issuance only after payment, flagged payments,
corrections and expiry (use cases on the migrated database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.demo import load_demo
from services.errors import Conflict, InvalidTransition, NotAllowed
from services.models import (
    Bill,
    BillState,
    Channel,
    Event,
    IssuedDocument,
    Payment,
    PaymentChannel,
    PaymentFlag,
    RequestStatus,
    ServiceRequest,
    User,
)
from services.payments.bills import payment_allows_issuance, require_paid
from services.payments.settlement import Notice, record_payment, sweep_bills
from services.submission import Submission, submit_request
from services.timeline import citizen_timeline
from services.workflow.queues import claim_next_task
from services.workflow.tasks import StepRecord, approve_task
from tests.builders import PINS
from tests.builders.workflow import APPLICANT

MONDAY = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # 09.00 WIB
DAY = timedelta(days=1)
PBG = {"building_function": "hunian", "building_address": "Jl. Kenanga 7, Kota Contoh",
       "land_certificate_number": "SHM 1234", "floor_area_m2": 750, "floors": 2,
       "has_previous_permit": False}
REKLAME = {"sign_type": "neon_box", "sign_text": "Warung Siti", "location_address": "Jl. Mawar 1",
           "width_m": "1,5", "height_m": "0,5", "duration_months": 12,
           "start_date": "2026-03-20"}


@pytest.fixture
def demo(session):
    load_demo(session)
    session.commit()


def apply(session, code, answers, now=MONDAY):
    result = submit_request(session, Submission(service_code=code, applicant=APPLICANT,
                                                answers=answers, channel=Channel.KIOSK),
                            pins=PINS, now=now)
    session.commit()
    return result.request


def work(session, username, request, when, record=None):
    clerk = session.scalar(select(User).where(User.username == username))
    task = claim_next_task(session, actor=clerk, now=when)
    assert task is not None and task.request_id == request.id, username
    approve_task(session, actor=clerk, task_id=task.id, now=when, record=record)
    session.commit()
    return task


def billed_pbg(session):
    request = apply(session, "PBG", PBG)
    work(session, "clerk.dpmptsp", request, MONDAY)
    work(session, "clerk.pupr", request, MONDAY + DAY)  # the TPA/TPT consultation
    work(session, "clerk.pupr", request, MONDAY + 2 * DAY)  # the levy: SKRD
    return request, session.scalar(select(Bill).where(Bill.request_id == request.id))


def pay(session, bill, *, reference="BANK-REF-1", amount=None, when=None):
    recorded = record_payment(session, Notice(
        bank_reference=reference, channel=PaymentChannel.VIRTUAL_ACCOUNT,
        paid_to=bill.va_number, amount=bill.amount if amount is None else amount,
        paid_at=when or MONDAY + 3 * DAY), now=when or MONDAY + 3 * DAY)
    session.commit()
    return recorded


def test_the_pupr_step_bills_the_pbg_levy_from_the_floor_area_and_the_request_waits(
        session, demo, worded):
    request, bill = billed_pbg(session)
    assert bill.kind.value == "skrd" and bill.number.startswith("SKRD/DPUPR/2026/")
    assert bill.amount == 6_750_000 == request.assessed_fee
    assert bill.lines[0]["quantity"] == "750" and bill.lines[0]["rate"] == 5_000_000
    assert "PP 16/2021" in bill.legal_basis
    assert len(bill.va_number) == 12 and bill.state is BillState.UNPAID
    assert bill.due_at > bill.issued_at + 29 * DAY
    assert request.status is RequestStatus.AWAITING_PAYMENT
    assert request.clock_stopped_at == MONDAY + 2 * DAY
    # The issuing stage has not opened: nothing to claim at DPMPTSP while unpaid.
    clerk = session.scalar(select(User).where(User.username == "clerk.dpmptsp"))
    assert claim_next_task(session, actor=clerk, now=MONDAY + 2 * DAY) is None
    assert not payment_allows_issuance([bill])
    with pytest.raises(NotAllowed, match="bill.unpaid"):
        require_paid(session, request)
    text = worded(citizen_timeline(request, "id")[-1], "id")
    assert "Rp6.750.000" in text and bill.number in text


def test_payment_moves_the_request_on_in_its_transaction_and_counts_the_stopped_days(
        session, demo, worded):
    request, bill = billed_pbg(session)
    due_before = request.due_at
    recorded = pay(session, bill, when=MONDAY + 4 * DAY)  # paid two working days later
    assert recorded.settled and not recorded.duplicate
    assert bill.state is BillState.PAID and bill.paid_at == MONDAY + 4 * DAY
    assert request.status is RequestStatus.IN_PROGRESS and request.clock_stopped_at is None
    assert request.stopped_days == 2 and request.due_at > due_before
    paid = worded(citizen_timeline(request, "id")[-1], "id")
    assert paid.startswith("Pembayaran Rp6.750.000") and "2 hari kerja menunggu" in paid
    # The issuing stage is open now, and its approval issues the document.
    work(session, "clerk.dpmptsp", request, MONDAY + 5 * DAY)
    assert request.status is RequestStatus.APPROVED
    assert session.scalar(select(IssuedDocument).where(IssuedDocument.request_id == request.id))


def test_the_same_notification_twice_is_recorded_once(session, demo):
    request, bill = billed_pbg(session)
    first = pay(session, bill)
    again = pay(session, bill)
    assert again.duplicate and again.payment.id == first.payment.id
    assert session.scalar(select(func.count()).select_from(Payment)) == 1
    assert session.scalar(select(func.count()).select_from(Event).where(
        Event.request_id == request.id, Event.kind == "bill_paid")) == 1
    with pytest.raises(Conflict, match="payment.reference_reused"):
        pay(session, bill, amount=bill.amount + 1)


@pytest.mark.parametrize(("how", "flag"), [
    ("wrong_amount", PaymentFlag.WRONG_AMOUNT),
    ("after_expiry", PaymentFlag.EXPIRED_BILL),
    ("cancelled_bill", PaymentFlag.CANCELLED_BILL),
    ("paid_twice", PaymentFlag.ALREADY_PAID),
])
def test_a_payment_that_does_not_fit_its_bill_is_recorded_and_flagged_never_lunas(
        session, demo, how, flag):
    request, bill = billed_pbg(session)
    amount, when = bill.amount, MONDAY + 3 * DAY
    if how == "wrong_amount":
        amount -= 100
    elif how == "after_expiry":
        when = bill.due_at + DAY
    elif how == "cancelled_bill":
        bill.state = BillState.CANCELLED
        session.commit()
    elif how == "paid_twice":
        pay(session, bill, reference="FIRST")
    recorded = pay(session, bill, reference="ODD-1", amount=amount, when=when)
    assert not recorded.settled and recorded.payment.flag is flag
    if how != "paid_twice":
        assert bill.state is not BillState.PAID
        assert request.status is RequestStatus.AWAITING_PAYMENT


def test_a_payment_to_no_bill_is_kept_for_the_treasurer(session, demo):
    recorded = record_payment(session, Notice(
        bank_reference="STRAY", channel=PaymentChannel.QRIS, paid_to="999999999999",
        amount=50_000, paid_at=MONDAY), now=MONDAY)
    assert recorded.payment.flag is PaymentFlag.UNKNOWN_BILL and recorded.payment.bill is None


def test_bapenda_bills_the_reklame_tax_and_payment_opens_the_permit_stage(session, demo):
    request = apply(session, "IZIN-REKLAME", REKLAME)
    work(session, "clerk.dpmptsp", request, MONDAY)
    work(session, "clerk.bapenda", request, MONDAY)
    bill = session.scalar(select(Bill).where(Bill.request_id == request.id))
    assert (bill.kind.value, bill.amount, bill.rounding) == ("skpd", 168_800, 50)
    assert bill.number.startswith("SKPD/BAPENDA/")
    assert request.status is RequestStatus.AWAITING_PAYMENT
    pay(session, bill, when=MONDAY + DAY)
    work(session, "clerk.dpmptsp", request, MONDAY + DAY)
    assert request.status is RequestStatus.APPROVED


def test_a_stated_levy_bills_what_the_clerk_states_and_payment_decides_the_request(
        session, demo, worded):
    request = apply(session, "ANGKUT-SAMPAH", {
        "waste_source": "usaha", "pickup_address": "Jl. Melati 3", "volume_m3": "2,5",
        "frequency": "sekali", "pickup_date": "2026-03-12"})
    work(session, "clerk.dlh", request, MONDAY, record=StepRecord(assessed_fee=75_000))
    bill = session.scalar(select(Bill).where(Bill.request_id == request.id))
    assert bill.amount == 75_000 and bill.lines[0]["amount"] == 75_000
    pay(session, bill, when=MONDAY + DAY)
    assert request.status is RequestStatus.APPROVED  # the billing step was the last
    assert worded(citizen_timeline(request, "en")[-1], "en") == "Your request has been answered."


def test_an_unpaid_bill_reminds_then_expires_and_the_service_decides_the_request(
        session, demo):
    request = apply(session, "IZIN-REKLAME", REKLAME)  # reklame: on_expiry cancel
    work(session, "clerk.dpmptsp", request, MONDAY)
    work(session, "clerk.bapenda", request, MONDAY)
    bill = session.scalar(select(Bill).where(Bill.request_id == request.id))
    swept = sweep_bills(session, now=bill.due_at - 2 * DAY)
    session.commit()
    assert swept.reminded == [bill] and not swept.expired
    assert sweep_bills(session, now=bill.due_at - DAY).reminded == []  # once
    swept = sweep_bills(session, now=bill.due_at + DAY)
    session.commit()
    assert swept.expired == [bill] and bill.state is BillState.EXPIRED
    assert request.status is RequestStatus.CANCELLED
    pbg, pbg_bill = billed_pbg(session)  # PBG: on_expiry wait
    sweep_bills(session, now=pbg_bill.due_at + DAY)
    session.commit()
    assert pbg_bill.state is BillState.EXPIRED
    assert pbg.status is RequestStatus.AWAITING_PAYMENT


def test_a_request_awaiting_payment_takes_no_clerk_action(session, demo):
    request, bill = billed_pbg(session)
    from services.workflow.transitions import Action, status_after

    with pytest.raises(InvalidTransition):
        status_after(RequestStatus.AWAITING_PAYMENT, Action.APPROVE)
    assert status_after(RequestStatus.AWAITING_PAYMENT, Action.PAY) is RequestStatus.IN_PROGRESS
    assert session.get(ServiceRequest, request.id).status is RequestStatus.AWAITING_PAYMENT
    assert bill.state is BillState.UNPAID


def test_the_citizen_is_told_how_much_to_pay_by_when_and_that_it_was_paid(session, demo):
    from services.models import OutboxChannel, OutboxMessage
    from services.outbox.notices import record_consent, request_subject
    from services.outbox.wording import render_text

    request = apply(session, "PBG", PBG)
    record_consent(session, subject=request_subject(request.tracking_code),
                   channel=OutboxChannel.WHATSAPP, address="081234567890", language="id",
                   source="test", now=MONDAY)
    session.commit()
    work(session, "clerk.dpmptsp", request, MONDAY)
    work(session, "clerk.pupr", request, MONDAY + DAY)
    work(session, "clerk.pupr", request, MONDAY + 2 * DAY)
    bill = session.scalar(select(Bill).where(Bill.request_id == request.id))
    pay(session, bill)
    sent = {m.payload["template"]: m.payload["params"]
            for m in session.scalars(select(OutboxMessage))}
    assert sent["payment_due"]["amount"] == "Rp6.750.000"
    assert sent["payment_due"]["date_at"] == bill.due_at.isoformat()
    text = render_text("payment_due", "id", {**sent["payment_due"], "city": "Kota Contoh",
                                             "status_url": "https://x/status", "date": "8 Apr"})
    assert "menunggu pembayaran Rp6.750.000 sebelum 8 Apr" in text
    assert sent["paid"]["amount"] == "Rp6.750.000"


def test_flask_bank_sweep_reminds_and_expires(app, runner, session, demo):
    from tests.fakes import FakeClock

    request = apply(session, "IZIN-REKLAME", REKLAME)
    work(session, "clerk.dpmptsp", request, MONDAY)
    work(session, "clerk.bapenda", request, MONDAY)
    bill = session.scalar(select(Bill).where(Bill.request_id == request.id))
    app.extensions["clock"] = FakeClock(bill.due_at + DAY)
    answer = runner.invoke(args=["bank", "sweep"])
    assert answer.exit_code == 0 and "0 bill(s) reminded, 1 expired." in answer.output
    session.expire_all()
    assert session.get(Bill, bill.id).state is BillState.EXPIRED
