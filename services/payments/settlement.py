"""Recording what the bank reports: a payment is recorded once per bank reference, settles its
bill only when it fits it (the right amount, a standing bill, before expiry), and a settled
bill moves its request on in the same transaction. Bills expire unpaid after a reminder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.db import utcnow
from services.errors import Conflict
from services.models import (
    Bill,
    BillState,
    Payment,
    PaymentChannel,
    PaymentFlag,
    RequestStatus,
    ServiceRequest,
    Task,
)
from services.payments.bills import billing_of
from services.payments.tariffs import OnExpiry
from services.workflow.history import record_event
from services.workflow.locks import lock_open_tasks, lock_request
from services.workflow.sla import resume_clock
from services.workflow.tasks import StepRecord, bill_facts, decide_request, move_on
from services.workflow.transitions import Action, status_after

BANK = "Bank"


@dataclass(frozen=True)
class Notice:
    """What the bank says was paid: its reference, the VA or bill paid into, amount, time."""

    bank_reference: str
    channel: PaymentChannel
    paid_to: str
    amount: int
    paid_at: datetime


@dataclass(frozen=True)
class Recorded:
    payment: Payment
    duplicate: bool  # the bank had already told of this payment: nothing more was done

    @property
    def settled(self) -> bool:
        return self.payment.settled


def settlement_flag(bill: Bill | None, amount: int, paid_at: datetime) -> PaymentFlag | None:
    """Why a payment does not settle its bill; None when it does (a pure decision)."""
    if bill is None:
        return PaymentFlag.UNKNOWN_BILL
    if bill.state is BillState.CANCELLED:
        return PaymentFlag.CANCELLED_BILL
    if bill.state is BillState.PAID:
        return PaymentFlag.ALREADY_PAID
    if amount != bill.amount:
        return PaymentFlag.WRONG_AMOUNT
    if bill.state is BillState.EXPIRED or paid_at > bill.due_at:
        return PaymentFlag.EXPIRED_BILL
    return None


def find_bill(session: Session, paid_to: str) -> Bill | None:
    """The bill a VA customer number or a bill number names."""
    return session.scalar(select(Bill).where(or_(Bill.va_number == paid_to,
                                                 Bill.number == paid_to)))


def _already(session: Session, reference: str) -> Payment | None:
    return session.scalar(select(Payment).where(Payment.bank_reference == reference)
                          .execution_options(populate_existing=True))


def _same(payment: Payment, notice: Notice) -> Recorded:
    if payment.amount != notice.amount or payment.paid_to not in ("", notice.paid_to):
        raise Conflict("payment.reference_reused")
    return Recorded(payment, duplicate=True)


def record_payment(session: Session, notice: Notice, *, now: datetime | None = None,
                   calendar: CityCalendar = DEFAULT_CALENDAR, note: str = "") -> Recorded:
    """Record a payment the bank reports, once per bank reference (the same notice again is a
    duplicate and changes nothing). A payment that fits its bill settles it ("lunas") and moves
    the request on; any other is recorded with a flag for the treasurer. Not committed."""
    now = now or utcnow()
    if (seen := _already(session, notice.bank_reference)) is not None:
        return _same(seen, notice)
    bill = find_bill(session, notice.paid_to)
    request = None
    if bill is not None:
        # The request's locks first, as every workflow use case takes them, then the bill's:
        # payments of one bill queue here, and a duplicate waits for the first to commit.
        lock_open_tasks(session, bill.request_id)
        request = lock_request(session, bill.request_id)
        bill = session.scalar(select(Bill).where(Bill.id == bill.id).with_for_update()
                              .execution_options(populate_existing=True))
        assert bill is not None
        if (seen := _already(session, notice.bank_reference)) is not None:
            return _same(seen, notice)
    flag = settlement_flag(bill, notice.amount, notice.paid_at)
    payment = Payment(bank_reference=notice.bank_reference, bill=bill, paid_to=notice.paid_to,
                      channel=notice.channel, amount=notice.amount, paid_at=notice.paid_at,
                      recorded_at=now, settled=flag is None, flag=flag, note=note)
    try:
        with session.begin_nested():
            session.add(payment)
    except IntegrityError:
        # Another transaction recorded this reference first (an unknown bill takes no lock).
        if (seen := _already(session, notice.bank_reference)) is not None:
            return _same(seen, notice)
        raise
    if bill is not None and request is not None:
        if flag is None:
            _settle(session, bill, request, payment, now=now, calendar=calendar)
        else:
            record_event(session, request, "payment_flagged", now=now,
                         from_status=request.status, actor_label=BANK, internal=True,
                         data={"bill_number": bill.number, "amount": notice.amount,
                               "flag": flag.value, "bank_reference": notice.bank_reference})
    return Recorded(payment, duplicate=False)


def _settle(session: Session, bill: Bill, request: ServiceRequest, payment: Payment, *,
            now: datetime, calendar: CityCalendar) -> None:
    """The bill is paid: the clock resumes and the request moves on as the approval that
    billed it would have, in this transaction."""
    bill.state = BillState.PAID
    bill.paid_at = payment.paid_at
    before = request.status
    data: dict[str, object] = {**bill_facts(bill), "amount": payment.amount,
                               "channel": payment.channel.value}
    if before is not RequestStatus.AWAITING_PAYMENT:
        record_event(session, request, "bill_paid", now=now, from_status=before,
                     actor_label=BANK, data=data)
        return
    data["clock_stopped_days"] = resume_clock(session, request, now=now, calendar=calendar)
    task = session.get(Task, bill.task_id) if bill.task_id else None
    stage = task.stage if task else max(t.stage for t in request.tasks)
    finished = move_on(session, request, stage, now=now, calendar=calendar, data=data)
    request.status = status_after(before, Action.PAY)
    record_event(session, request, "bill_paid", now=now, from_status=before, actor_label=BANK,
                 data=data)
    if finished:  # the billing step was the last: payment decides the request
        decided: dict[str, object] = {"product_kind":
                                      request.service_version.product_kind.value}
        request.status = status_after(request.status, Action.APPROVE, request_finished=True)
        decide_request(session, request, agency=bill.agency, record=StepRecord(), now=now,
                       calendar=calendar, data=decided)
        record_event(session, request, "request_approved", now=now,
                     from_status=RequestStatus.IN_PROGRESS, actor_label=BANK, agency=bill.agency,
                     data=decided)


@dataclass(frozen=True)
class BillSweep:
    reminded: list[Bill]
    expired: list[Bill]


def sweep_bills(session: Session, *, now: datetime | None = None,
                calendar: CityCalendar = DEFAULT_CALENDAR) -> BillSweep:
    """Remind, once, of each unpaid bill near its due date, and expire those past it; what an
    expired bill does to its request is the step's setting (cancel it, or keep waiting)."""
    now = now or utcnow()
    unpaid = list(session.scalars(select(Bill).where(Bill.state == BillState.UNPAID)
                                  .order_by(Bill.id).with_for_update(skip_locked=True)))
    reminded, expired = [], []
    for bill in unpaid:
        task = session.get(Task, bill.task_id) if bill.task_id else None
        billing = billing_of(task) if task else None
        request = bill.request
        if bill.due_at < now:
            bill.state = BillState.EXPIRED
            expired.append(bill)
            before = request.status
            lapse = (billing is not None and billing.on_expiry is OnExpiry.CANCEL
                     and before is RequestStatus.AWAITING_PAYMENT)
            if lapse:
                request.status = status_after(before, Action.LAPSE)
                request.closed_at = now
            record_event(session, request, "bill_expired", now=now, from_status=before,
                         actor_label="SLA", data={**bill_facts(bill), "cancelled": lapse})
        elif bill.reminded_at is None and billing is not None and \
                bill.due_at - timedelta(days=billing.remind_days) <= now:
            bill.reminded_at = now
            reminded.append(bill)
            record_event(session, request, "bill_reminder", now=now,
                         from_status=request.status, actor_label="SLA", data=bill_facts(bill))
    return BillSweep(reminded, expired)
