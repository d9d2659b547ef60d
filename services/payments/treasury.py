"""The treasurer's (bendahara penerimaan) work: the day's payments, the odd ones to decide
(refund or accept), cancelled bills, correcting a bill (a new bill replaces it), and the
levies billed, paid and outstanding per agency and service. Authorisation lives here."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.audit import record_audit
from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.db import utcnow
from services.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from services.models import (
    Agency,
    Bill,
    BillState,
    Payment,
    Role,
    Service,
    ServiceRequest,
    ServiceVersion,
    Task,
    TreasurerDecision,
    User,
)
from services.payments.bills import bill_by_id, issue_bill
from services.payments.reconciliation import day_bounds
from services.payments.tariffs import stated
from services.workflow.history import record_event
from services.workflow.locks import lock_open_tasks, lock_request
from services.workflow.tasks import bill_facts


def is_treasurer(actor: User) -> bool:
    return actor.role in (Role.TREASURER, Role.ADMIN)


def require_treasurer(actor: User) -> None:
    if not is_treasurer(actor):
        raise NotAllowed("bill.treasurer_only")


def in_scope(actor: User) -> int | None:
    """The agency a treasurer of one agency sees; None: every agency (the city's treasurer)."""
    return actor.agency_id if actor.role is Role.TREASURER else None


def day_payments(session: Session, actor: User, day: date, tz: str) -> list[Payment]:
    """The payments made on a local day, settled or not, newest first."""
    require_treasurer(actor)
    start, end = day_bounds(day, tz)
    query = select(Payment).where(Payment.paid_at >= start, Payment.paid_at < end)
    if (agency := in_scope(actor)) is not None:
        query = query.join(Bill, Payment.bill_id == Bill.id).where(Bill.agency_id == agency)
    return list(session.scalars(query.order_by(Payment.paid_at.desc(), Payment.id.desc())))


def payments_to_decide(session: Session, actor: User) -> list[Payment]:
    """Flagged payments (wrong amount, cancelled or expired bill, paid twice, no bill) the
    treasurer has not decided yet."""
    require_treasurer(actor)
    query = select(Payment).where(Payment.flag.is_not(None), Payment.decision.is_(None))
    if (agency := in_scope(actor)) is not None:
        query = query.join(Bill, Payment.bill_id == Bill.id).where(Bill.agency_id == agency)
    return list(session.scalars(query.order_by(Payment.paid_at)))


def cancelled_bills(session: Session, actor: User, limit: int = 100) -> list[Bill]:
    require_treasurer(actor)
    query = select(Bill).where(Bill.state == BillState.CANCELLED)
    if (agency := in_scope(actor)) is not None:
        query = query.where(Bill.agency_id == agency)
    return list(session.scalars(query.order_by(Bill.cancelled_at.desc()).limit(limit)))


def decide_payment(session: Session, *, actor: User, payment_id: int,
                   decision: TreasurerDecision, note: str,
                   now: datetime | None = None) -> Payment:
    """The treasurer decides a flagged payment: refund it, or accept it as it is (the bill is
    not settled by this; a correction or the agency settles it). Once."""
    require_treasurer(actor)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("payment.decision_note_needed",
                               fields={"note": "payment.decision_note_needed"})
    now = now or utcnow()
    payment = session.scalar(select(Payment).where(Payment.id == payment_id).with_for_update())
    if payment is None or payment.flag is None:
        raise NotFound("payment.not_found")
    if payment.decision is not None:
        raise InvalidTransition("payment.already_decided")
    payment.decision, payment.decided_by_id, payment.decided_at = decision, actor.id, now
    payment.note = f"{payment.note}\n{note}".strip()
    record_audit(session, actor, f"payment_{decision.value}", "payment", payment.bank_reference,
                 {"amount": payment.amount, "flag": payment.flag.value, "note": note})
    return payment


def correct_bill(session: Session, *, actor: User, bill_id: int, amount: int, reason: str,
                 now: datetime | None = None,
                 calendar: CityCalendar = DEFAULT_CALENDAR) -> Bill:
    """Bills never change: a correction issues a new bill for ``amount`` and cancels the old
    one with the reason. Only an unpaid (or expired) bill is corrected; by the treasurer or a
    clerk or supervisor of the billing agency."""
    reason = (reason or "").strip()
    problems = {}
    if not reason:
        problems["reason"] = "bill.correction_reason_needed"
    if amount <= 0:
        problems["amount"] = "bill.amount_positive"
    if problems:
        raise ValidationFailed(next(iter(problems.values())), fields=problems)
    now = now or utcnow()
    found = bill_by_id(session, bill_id)
    if not (is_treasurer(actor) or (actor.role in (Role.CLERK, Role.SUPERVISOR)
                                    and actor.agency_id == found.agency_id)):
        raise NotAllowed("bill.not_yours")
    lock_open_tasks(session, found.request_id)
    request = lock_request(session, found.request_id)
    old = bill_by_id(session, bill_id, lock=True)
    if old.state not in (BillState.UNPAID, BillState.EXPIRED):
        raise InvalidTransition("bill.not_correctable", state=old.state.value)
    task = session.get(Task, old.task_id) if old.task_id else None
    if task is None:
        raise InvalidTransition("bill.not_correctable", state=old.state.value)
    old.state, old.cancelled_at, old.cancel_reason = BillState.CANCELLED, now, reason
    session.flush()
    new = issue_bill(session, request=request, task=task, actor=actor, assessment=stated(amount),
                     now=now, calendar=calendar, replaces=old)
    request.assessed_fee, request.fee_reference = new.amount, new.number
    record_event(session, request, "bill_corrected", now=now, from_status=request.status,
                 actor=actor, agency=old.agency, note=reason, public_note=True,
                 data={**bill_facts(new), "replaces": old.number})
    return new


class LevyColumn(enum.Enum):
    BILLED = "billed"
    PAID = "paid"
    OUTSTANDING = "outstanding"


@dataclass(frozen=True)
class LevyRow:
    agency_code: str
    service_code: str
    bills: int
    billed: int
    paid: int
    outstanding: int


def levy_figures(session: Session, *, agency_id: int | None = None,
                 issued_from: datetime | None = None,
                 issued_before: datetime | None = None) -> list[LevyRow]:
    """Levies billed (every bill that stands), paid and outstanding, in rupiah, per agency
    and service, of the bills issued in the period given; cancelled bills count nowhere
    (their replacement does)."""
    paid = case((Bill.state == BillState.PAID, Bill.amount), else_=0)
    open_ = case((Bill.state.in_([BillState.UNPAID, BillState.EXPIRED]), Bill.amount), else_=0)
    query = (select(Agency.code, Service.code, func.count(Bill.id), func.sum(Bill.amount),
                    func.sum(paid), func.sum(open_))
             .join(Agency, Bill.agency_id == Agency.id)
             .join(ServiceRequest, Bill.request_id == ServiceRequest.id)
             .join(ServiceVersion, ServiceRequest.service_version_id == ServiceVersion.id)
             .join(Service, ServiceVersion.service_id == Service.id)
             .where(Bill.state != BillState.CANCELLED)
             .group_by(Agency.code, Service.code).order_by(Agency.code, Service.code))
    if agency_id is not None:
        query = query.where(Bill.agency_id == agency_id)
    if issued_from is not None:
        query = query.where(Bill.issued_at >= issued_from)
    if issued_before is not None:
        query = query.where(Bill.issued_at < issued_before)
    return [LevyRow(agency, service, int(count), int(billed or 0), int(paid_sum or 0),
                    int(outstanding or 0))
            for agency, service, count, billed, paid_sum, outstanding in session.execute(query)]
