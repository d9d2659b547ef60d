"""The demo's bills (`flask demo history`): a PBG whose retribusi was billed from its floor area
and paid by VA, a reklame tax billed by Bapenda and still unpaid, and the bank's statement of
the paid day with one credit the bank never notified (the mismatch the treasurer finds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.city_calendar import CityCalendar
from services.codes import PinKeyring, format_tracking_code
from services.db import utcnow
from services.export_text import csv_text
from services.models import (
    Bill,
    Channel,
    PaymentChannel,
    Role,
    ServiceRequest,
    Task,
    TaskStatus,
    User,
)
from services.payments.settlement import Notice, record_payment

APPLICANT = ("3578014506900001", "BUDI SANTOSO", "081298765432")
PBG = {"building_function": "hunian", "building_address": "Jl. Kenanga 7, Kota Contoh",
       "land_certificate_number": "SHM 1234", "floor_area_m2": 250, "floors": 2,
       "has_previous_permit": False}
REKLAME = {"sign_type": "neon_box", "sign_text": "Warung Siti", "location_address":
           "Jl. Mawar 1", "width_m": 2, "height_m": 1, "duration_months": 12}
PAID_REFERENCE = "va:DEMO-PBG-LUNAS"
UNNOTIFIED = ("va:DEMO-TANPA-NOTIFIKASI", "000000000000", 250_000)


@dataclass(frozen=True)
class DemoBills:
    lines: list[str]
    statement_day: str  # the local day of the demo statement, ISO
    statement_csv: str


def _work_ready_tasks(session: Session, request: ServiceRequest, at: datetime,
                      calendar: CityCalendar) -> None:
    from services.workflow.queues import claim_task
    from services.workflow.tasks import approve_task

    session.flush()
    for task in session.scalars(select(Task).where(Task.request_id == request.id,
                                                   Task.status == TaskStatus.READY)
                                .order_by(Task.id)):
        clerk = session.scalar(select(User).where(User.role == Role.CLERK,
                                                  User.agency_id == task.agency_id)
                               .order_by(User.id))
        if clerk is None:
            continue
        claim_task(session, actor=clerk, task_id=task.id, now=at)
        approve_task(session, actor=clerk, task_id=task.id, now=at, calendar=calendar)


def _billed(session: Session, code: str, answers: dict[str, Any], key: str, *,
            pins: PinKeyring, calendar: CityCalendar, filed_at: datetime,
            stages: int) -> tuple[ServiceRequest, str | None]:
    from services.submission import Applicant, Submission, submit_request

    result = submit_request(session, Submission(
        service_code=code, applicant=Applicant(*APPLICANT), answers=answers,
        channel=Channel.WEB, idempotency_key=key), pins=pins, calendar=calendar, now=filed_at)
    if result.created:
        for stage in range(stages):
            _work_ready_tasks(session, result.request, filed_at + timedelta(hours=stage + 1),
                              calendar)
    return result.request, result.pin if result.created else None


def load_demo_bills(session: Session, *, pins: PinKeyring, calendar: CityCalendar,
                    now: datetime | None = None) -> DemoBills:
    """Add the demo's paid and unpaid bills (safe to repeat) and word the statement."""
    now = now or utcnow()
    filed = now - timedelta(days=2)
    start = {**REKLAME, "start_date": calendar.local_day(now + timedelta(days=14)).isoformat()}
    # PBG: DPMPTSP's check, the TPA/TPT consultation, then Dinas PUPR's levy.
    paid_request, _pin = _billed(session, "PBG", PBG, "demo-bills:PBG", pins=pins,
                                 calendar=calendar, filed_at=filed, stages=3)
    unpaid_request, unpaid_pin = _billed(session, "IZIN-REKLAME", start, "demo-bills:REKLAME",
                                         pins=pins, calendar=calendar, filed_at=filed,
                                         stages=2)
    session.flush()
    paid_bill = session.scalar(select(Bill).where(Bill.request_id == paid_request.id))
    unpaid_bill = session.scalar(select(Bill).where(Bill.request_id == unpaid_request.id))
    lines = []
    if paid_bill is None or unpaid_bill is None:
        return DemoBills(["Demo bills: the PBG and reklame requests are not billed yet."], "", "")
    paid_at = filed + timedelta(days=1)
    record_payment(session, Notice(bank_reference=PAID_REFERENCE,
                                   channel=PaymentChannel.VIRTUAL_ACCOUNT,
                                   paid_to=paid_bill.va_number, amount=paid_bill.amount,
                                   paid_at=paid_at), now=paid_at, calendar=calendar)
    lines.append(f"Paid bill {paid_bill.number} ({paid_bill.amount} rupiah, PBG "
                 f"{format_tracking_code(paid_request.tracking_code)}).")
    lines.append(f"Unpaid bill {unpaid_bill.number} ({unpaid_bill.amount} rupiah, reklame "
                 f"{format_tracking_code(unpaid_request.tracking_code)}"
                 + (f", PIN {unpaid_pin}" if unpaid_pin else ", PIN shown at the first run")
                 + ").")
    day = calendar.local_day(paid_at)
    local = paid_at.astimezone(ZoneInfo(calendar.timezone))
    statement = csv_text([
        ["tanggal", "referensi", "tujuan", "jumlah"],
        [local.replace(tzinfo=None).isoformat(timespec="seconds"), PAID_REFERENCE,
         paid_bill.va_number, paid_bill.amount],
        [(local + timedelta(hours=2)).replace(tzinfo=None).isoformat(timespec="seconds"),
         *UNNOTIFIED]], delimiter=";")
    return DemoBills(lines, day.isoformat(), statement)
