"""The treasurer's daily reconciliation: the bank's statement (CSV) matched against the
payments the bank notified. Three lists: matched; paid but never notified (then recorded from
the statement, with a note, and settling its bill as a notification would); notified but not
on the statement. Exported as CSV with formula-looking cells defused."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.city_calendar import DEFAULT_CALENDAR, CityCalendar
from services.db import utcnow
from services.errors import ValidationFailed
from services.export_text import csv_text
from services.models import Payment, PaymentChannel
from services.payments.settlement import Notice, record_payment

HEADERS = ("tanggal", "referensi", "tujuan", "jumlah")
_AMOUNT = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:[.,]00)?$")
MAX_LINES = 100_000


@dataclass(frozen=True)
class StatementLine:
    """One credit on the bank's statement: when, the bank's reference, the VA or bill paid
    into, and the amount in whole rupiah."""

    paid_at: datetime
    reference: str
    paid_to: str
    amount: int


def parse_amount_text(text: str) -> int | None:
    """ "1080000", "1.080.000", "1080000.00" or "1.080.000,00" as whole rupiah; else None."""
    text = text.strip().replace(" ", "")
    if not _AMOUNT.match(text):
        return None
    if text.endswith((".00", ",00")) and len(text) > 3:
        text = text[:-3]
    return int(text.replace(".", ""))


def parse_statement(text: str, *, tz: str) -> list[StatementLine]:
    """Read a statement CSV (comma, semicolon or tab; header tanggal, referensi, tujuan,
    jumlah); any bad line refuses the whole file, naming its line numbers."""
    sample = text[:4096]
    delimiter = max(",;\t", key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or [cell.strip().lower() for cell in rows[0][:4]] != list(HEADERS):
        raise ValidationFailed("statement.header", fields={"statement": "statement.header"})
    if len(rows) > MAX_LINES + 1:
        raise ValidationFailed("statement.too_long", fields={"statement": "statement.too_long"})
    lines: list[StatementLine] = []
    bad: list[int] = []
    zone = ZoneInfo(tz)
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            when = datetime.fromisoformat(row[0].strip())
            when = (when.replace(tzinfo=zone) if when.tzinfo is None else when).astimezone(
                ZoneInfo("UTC"))
            amount = parse_amount_text(row[3])
            reference, paid_to = row[1].strip(), row[2].strip()
        except (ValueError, IndexError):
            bad.append(number)
            continue
        if amount is None or not 0 < len(reference) <= 64 or not 0 < len(paid_to) <= 64:
            bad.append(number)
            continue
        lines.append(StatementLine(when, reference, paid_to, amount))
    if bad:
        shown = ", ".join(str(n) for n in bad[:10])
        raise ValidationFailed("statement.bad_lines", lines=shown,
                               fields={"statement": "statement.bad_lines"})
    return lines


@dataclass(frozen=True)
class Reconciliation:
    day: date
    matched: list[Payment]
    recorded: list[Payment]  # paid but not notified: recorded now from the statement
    missing: list[Payment]  # notified but not on the statement


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0), zone)
    return start.astimezone(ZoneInfo("UTC")), (start + timedelta(days=1)).astimezone(
        ZoneInfo("UTC"))


def reconcile(session: Session, lines: Iterable[StatementLine], *, day: date,
              now: datetime | None = None,
              calendar: CityCalendar = DEFAULT_CALENDAR) -> Reconciliation:
    """Match the day's statement against recorded payments; what the bank paid in but never
    notified is recorded from the statement (once per reference, safe to run again). Not
    committed."""
    now = now or utcnow()
    stamp = day.isoformat()
    for line in lines:
        existing = session.scalar(select(Payment).where(Payment.bank_reference == line.reference))
        if existing is not None:  # notified (matched), or recorded by an earlier import
            existing.reconciled_on = stamp
            differs = (f"Rekening koran {stamp}: jumlah {line.amount} berbeda dari yang "
                       f"diberitahukan ({existing.amount}).")
            if line.amount != existing.amount and differs not in existing.note:
                existing.note = f"{existing.note}\n{differs}".strip()
            continue
        outcome = record_payment(session, Notice(
            bank_reference=line.reference, channel=PaymentChannel.STATEMENT,
            paid_to=line.paid_to, amount=line.amount, paid_at=line.paid_at), now=now,
            calendar=calendar, note=f"Tercatat dari rekening koran {stamp}: bank tidak "
                                    "mengirim notifikasi.")
        outcome.payment.reconciled_on = stamp
    session.flush()
    return reconciliation_of(session, day, tz=calendar.timezone)


def reconciliation_of(session: Session, day: date, *, tz: str) -> Reconciliation:
    """The day's reconciliation as recorded: what its statement matched, what was recorded from
    it, and the day's notified payments it did not show."""
    stamp = day.isoformat()
    start, end = day_bounds(day, tz)
    reconciled = list(session.scalars(select(Payment).where(Payment.reconciled_on == stamp)
                                      .order_by(Payment.paid_at, Payment.id)))
    missing = list(session.scalars(
        select(Payment).where(Payment.paid_at >= start, Payment.paid_at < end,
                              Payment.channel != PaymentChannel.STATEMENT,
                              Payment.reconciled_on != stamp)
        .order_by(Payment.paid_at, Payment.id)))
    return Reconciliation(
        day=day, matched=[p for p in reconciled if p.channel is not PaymentChannel.STATEMENT],
        recorded=[p for p in reconciled if p.channel is PaymentChannel.STATEMENT],
        missing=missing)


def reconciliation_csv(result: Reconciliation, tz: str) -> str:
    zone = ZoneInfo(tz)
    rows: list[list[object]] = [["hasil", "referensi_bank", "tujuan", "nomor_tagihan", "jumlah",
                                 "waktu_bayar", "status", "catatan"]]
    for section, payments in (("cocok", result.matched),
                              ("dibayar_tanpa_notifikasi", result.recorded),
                              ("notifikasi_tanpa_rekening_koran", result.missing)):
        rows += [[section, payment.bank_reference, payment.paid_to,
                  payment.bill.number if payment.bill else "", payment.amount,
                  payment.paid_at.astimezone(zone).isoformat(timespec="seconds"),
                  "lunas" if payment.settled else (payment.flag.value if payment.flag else ""),
                  payment.note] for payment in payments]
    return csv_text(rows)
