"""The city's side of the bank's SNAP calls: checking a call (timestamp, token, partner,
signature, X-EXTERNAL-ID replay), answering a virtual-account inquiry, and recording a payment
notification (VA or QRIS). Each answer is a SNAP reply and body; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.errors import Conflict
from services.models import Bill, BillState, PaymentChannel, PaymentFlag, SnapCall
from services.payments import snap
from services.payments.settlement import Notice, record_payment
from services.payments.snap import SnapReply


@dataclass(frozen=True)
class Partner:
    """The bank as the app knows it: its client key (X-PARTNER-ID / X-CLIENT-KEY), the secret
    its service calls are MACed with, its RSA public key for token requests, and the VA prefix
    (partnerServiceId) the city's bills are paid under."""

    client_key: str
    client_secret: str
    public_key_pem: bytes
    va_prefix: str
    token_key: bytes  # the app's key for the access tokens it hands out

    @property
    def partner_service_id(self) -> str:
        return self.va_prefix.rjust(8)

    def virtual_account(self, customer_no: str) -> str:
        return f"{self.partner_service_id}{customer_no}"


@dataclass(frozen=True)
class SnapCallHeaders:
    timestamp: str
    signature: str
    partner_id: str
    external_id: str
    channel_id: str
    authorization: str

    @property
    def token(self) -> str:
        scheme, _, token = self.authorization.partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""


def grant_token(partner: Partner, *, client_key: str, timestamp: str, signature: str,
                now: datetime) -> tuple[SnapReply, dict[str, Any]]:
    """An access token for a token request signed SHA256withRSA by the bank's private key."""
    service = snap.SERVICE_TOKEN
    if not snap.timestamp_fresh(timestamp, now):
        return snap.BAD_TIMESTAMP, snap.BAD_TIMESTAMP.body(service)
    if client_key != partner.client_key:
        return snap.UNKNOWN_PARTNER, snap.UNKNOWN_PARTNER.body(service)
    if not snap.token_signature_ok(partner.public_key_pem, signature, client_key, timestamp):
        return snap.BAD_SIGNATURE, snap.BAD_SIGNATURE.body(service)
    token = snap.issue_access_token(partner.token_key, client_key, now)
    return snap.SUCCESS, snap.SUCCESS.body(
        service, accessToken=token, tokenType="Bearer",
        expiresIn=str(int(snap.TOKEN_LIFETIME.total_seconds())))


def check_call(session: Session, partner: Partner, headers: SnapCallHeaders, *, service: str,
               method: str, path: str, raw_body: bytes, now: datetime) -> SnapReply | None:
    """Refuse a service call that is stale, unauthorised, badly signed or replayed (its
    X-EXTERNAL-ID seen today); None when it may proceed. The external id is kept."""
    if not snap.timestamp_fresh(headers.timestamp, now):
        return snap.BAD_TIMESTAMP
    if snap.token_client(partner.token_key, headers.token, now) != partner.client_key:
        return snap.BAD_TOKEN
    if headers.partner_id != partner.client_key:
        return snap.UNKNOWN_PARTNER
    if not snap.service_signature_ok(partner.client_secret, headers.signature, method, path,
                                     headers.token, raw_body, headers.timestamp):
        return snap.BAD_SIGNATURE
    if not headers.external_id or len(headers.external_id) > 36 or not headers.channel_id:
        return snap.MISSING_FIELD
    try:
        with session.begin_nested():
            session.add(SnapCall(partner_id=headers.partner_id, external_id=headers.external_id,
                                 day=snap.parse_timestamp(headers.timestamp).date().isoformat(),  # type: ignore[union-attr]
                                 path=path[:120], received_at=now))
    except IntegrityError:
        return snap.DUPLICATE_EXTERNAL_ID
    return None


def _customer_no(partner: Partner, body: dict[str, Any]) -> str | None:
    customer = body.get("customerNo")
    if not isinstance(customer, str) or not customer.strip().isdigit():
        return None
    if body.get("partnerServiceId", partner.partner_service_id).strip() != partner.va_prefix:
        return None
    return customer.strip()


def _va_data(partner: Partner, bill: Bill, body: dict[str, Any]) -> dict[str, Any]:
    return {"partnerServiceId": partner.partner_service_id, "customerNo": bill.va_number,
            "virtualAccountNo": partner.virtual_account(bill.va_number),
            "virtualAccountName": bill.number[:40],
            "totalAmount": snap.amount_object(bill.amount),
            "billDetails": [{"billNo": bill.number, "billAmount":
                             snap.amount_object(bill.amount)}],
            **{key: body[key] for key in ("inquiryRequestId", "paymentRequestId")
               if key in body}}


def answer_inquiry(session: Session, partner: Partner, body: dict[str, Any],
                   now: datetime) -> tuple[SnapReply, dict[str, Any]]:
    """The bank asks what a VA number is to pay: the standing bill's amount, or why not."""
    service = snap.SERVICE_INQUIRY
    customer = _customer_no(partner, body)
    if customer is None or not isinstance(body.get("inquiryRequestId"), str):
        return snap.MISSING_FIELD, snap.MISSING_FIELD.body(service)
    bill = session.scalar(select(Bill).where(Bill.va_number == customer))
    reply = _bill_refusal(bill, now)
    if reply is not None:
        return reply, reply.body(service)
    assert bill is not None
    return snap.SUCCESS, snap.SUCCESS.body(service, virtualAccountData={
        **_va_data(partner, bill, body), "inquiryStatus": "00",
        "virtualAccountTrxType": "C"})


def _bill_refusal(bill: Bill | None, now: datetime) -> SnapReply | None:
    if bill is None or bill.state is BillState.CANCELLED:
        return snap.BILL_NOT_FOUND
    if bill.state is BillState.PAID:
        return snap.BILL_PAID
    if bill.state is BillState.EXPIRED or bill.due_at < now:
        return snap.BILL_EXPIRED
    return None


FLAG_REPLY = {PaymentFlag.WRONG_AMOUNT: snap.INVALID_AMOUNT,
              PaymentFlag.EXPIRED_BILL: snap.BILL_EXPIRED,
              PaymentFlag.ALREADY_PAID: snap.BILL_PAID,
              PaymentFlag.CANCELLED_BILL: snap.BILL_NOT_FOUND,
              PaymentFlag.UNKNOWN_BILL: snap.BILL_NOT_FOUND}


def _notice_reply(session: Session, notice: Notice, service: str, now: datetime,
                  calendar: CityCalendar, extra: dict[str, Any]) -> tuple[SnapReply, dict[str, Any]]:
    try:
        recorded = record_payment(session, notice, now=now, calendar=calendar)
    except Conflict:
        return snap.INCONSISTENT, snap.INCONSISTENT.body(service)
    payment = recorded.payment
    if payment.flag is not None:
        reply = FLAG_REPLY[payment.flag]
        return reply, reply.body(service, **extra)
    return snap.SUCCESS, snap.SUCCESS.body(service, **extra)


def receive_va_payment(session: Session, partner: Partner, body: dict[str, Any], *,
                       now: datetime, calendar: CityCalendar = DEFAULT_CALENDAR
                       ) -> tuple[SnapReply, dict[str, Any]]:
    """The bank says a VA was paid: record it once per paymentRequestId (its reference)."""
    service = snap.SERVICE_PAYMENT
    customer = _customer_no(partner, body)
    reference = body.get("paymentRequestId")
    amount = snap.parse_amount(body.get("paidAmount"))
    paid_at = snap.parse_timestamp(body.get("trxDateTime") or "")
    if customer is None or not isinstance(reference, str) or not 0 < len(reference) <= 64 \
            or amount is None or paid_at is None:
        return snap.MISSING_FIELD, snap.MISSING_FIELD.body(service)
    notice = Notice(bank_reference=f"va:{reference}", channel=PaymentChannel.VIRTUAL_ACCOUNT,
                    paid_to=customer, amount=amount, paid_at=paid_at)
    extra = {"virtualAccountData": {
        "partnerServiceId": partner.partner_service_id, "customerNo": customer,
        "virtualAccountNo": partner.virtual_account(customer), "paymentRequestId": reference,
        "paidAmount": snap.amount_object(amount), "paymentFlagStatus": "00"}}
    reply, answer = _notice_reply(session, notice, service, now, calendar, extra)
    if reply is not snap.SUCCESS:
        answer["virtualAccountData"]["paymentFlagStatus"] = "01"
    return reply, answer


def receive_qris_payment(session: Session, body: dict[str, Any], *, now: datetime,
                         calendar: CityCalendar = DEFAULT_CALENDAR
                         ) -> tuple[SnapReply, dict[str, Any]]:
    """The bank says a dynamic QRIS was paid: the bill number is the partner reference."""
    service = snap.SERVICE_QR_NOTIFY
    reference = body.get("originalReferenceNo")
    bill_number = body.get("originalPartnerReferenceNo")
    amount = snap.parse_amount(body.get("amount"))
    paid_at = snap.parse_timestamp((body.get("additionalInfo") or {}).get("paidTime", "")) \
        if isinstance(body.get("additionalInfo"), dict) else None
    if not isinstance(reference, str) or not 0 < len(reference) <= 64 \
            or not isinstance(bill_number, str) or amount is None \
            or body.get("latestTransactionStatus") != "00":
        return snap.MISSING_FIELD, snap.MISSING_FIELD.body(service)
    notice = Notice(bank_reference=f"qris:{reference}", channel=PaymentChannel.QRIS,
                    paid_to=bill_number, amount=amount, paid_at=paid_at or now)
    return _notice_reply(session, notice, service, now, calendar, {})
