"""The treasurer's reconciliation and decisions: a statement with one payment never notified
and one notified payment missing gives the right three lists; the export defuses formulas;
a correction replaces a bill; levies per agency and service."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from services.errors import NotAllowed, ValidationFailed
from services.export_text import csv_cell
from services.models import BillState, RequestStatus, TreasurerDecision, User
from services.payments.reconciliation import (
    parse_amount_text,
    parse_statement,
    reconcile,
    reconciliation_csv,
)
from services.payments.treasury import (
    correct_bill,
    decide_payment,
    levy_figures,
    payments_to_decide,
)
from tests.builders.payments import pay_bill, standing_bill
from tests.test_payments_bills import DAY, MONDAY, billed_pbg, demo  # noqa: F401

TZ = "Asia/Jakarta"
PAID_ON = MONDAY + 3 * DAY  # Thursday 12 March 2026, 09.00 WIB


def treasurer(session):
    return session.scalar(select(User).where(User.username == "bendahara"))


def statement(*rows):
    return "tanggal;referensi;tujuan;jumlah\n" + "".join(f"{';'.join(map(str, r))}\n"
                                                         for r in rows)


def test_a_statement_with_one_missing_and_one_extra_payment_gives_the_three_lists(
        session, demo):  # noqa: F811
    first, first_bill = billed_pbg(session)
    second, second_bill = billed_pbg(session)
    third, third_bill = billed_pbg(session)
    pay_bill(session, first, PAID_ON, reference="va:A")
    pay_bill(session, second, PAID_ON + timedelta(hours=1), reference="va:B")
    # The bank's statement: A, and C which was never notified; B is missing from it.
    text = statement(("2026-03-12T09:00:00", "va:A", first_bill.va_number, "6.750.000"),
                     ("2026-03-12T11:30:00", "va:C", third_bill.va_number, "6750000.00"))
    result = reconcile(session, parse_statement(text, tz=TZ), day=PAID_ON.date(), now=PAID_ON)
    session.commit()
    assert [p.bank_reference for p in result.matched] == ["va:A"]
    assert [p.bank_reference for p in result.recorded] == ["va:C"]
    assert [p.bank_reference for p in result.missing] == ["va:B"]
    recorded = result.recorded[0]
    assert recorded.settled and "rekening koran" in recorded.note
    assert third_bill.state is BillState.PAID and third.status is RequestStatus.IN_PROGRESS
    again = reconcile(session, parse_statement(text, tz=TZ), day=PAID_ON.date(), now=PAID_ON)
    assert ([p.bank_reference for p in again.recorded], len(again.matched)) == (["va:C"], 1)
    differing = statement(("2026-03-12T09:00:00", "va:A", first_bill.va_number, "6.750.001"))
    reconcile(session, parse_statement(differing, tz=TZ), day=PAID_ON.date(), now=PAID_ON)
    assert "jumlah 6750001 berbeda dari yang diberitahukan (6750000)" in result.matched[0].note
    exported = reconciliation_csv(result, TZ).splitlines()
    assert exported[0].startswith("hasil,referensi_bank")
    assert [line.split(",")[0] for line in exported[1:]] == [
        "cocok", "dibayar_tanpa_notifikasi", "notifikasi_tanpa_rekening_koran"]
    del second_bill


@pytest.mark.parametrize(("text", "amount"), [
    ("1080000", 1_080_000), ("1.080.000", 1_080_000), ("1080000.00", 1_080_000),
    ("1.080.000,00", 1_080_000), ("1080000.5", None), ("1,080,000", None), ("-5", None),
    ("1e6", None)])
def test_statement_amounts_are_read_as_whole_rupiah_or_refused(text, amount):
    assert parse_amount_text(text) == amount


def test_a_statement_with_a_bad_line_is_refused_whole_naming_the_line():
    text = statement(("2026-03-12T09:00:00", "R1", "123", "1000"),
                     ("kemarin", "R2", "123", "1000"))
    with pytest.raises(ValidationFailed) as refused:
        parse_statement(text, tz=TZ)
    assert refused.value.message.params == {"lines": "3"}
    with pytest.raises(ValidationFailed, match="statement.header"):
        parse_statement("date,ref\n", tz=TZ)


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-1+A1", "'-1+A1"), ("va:A", "va:A"), (6750000, "6750000"), ("-1", "-1")])
def test_csv_cells_that_a_spreadsheet_would_run_are_defused(value, cell):
    assert csv_cell(value) == cell


def test_the_treasurer_decides_an_odd_payment_once_and_a_clerk_may_not(session, demo):  # noqa: F811
    request, bill = billed_pbg(session)
    pay_bill(session, request, PAID_ON, reference="SHORT", amount=bill.amount - 1000)
    odd = payments_to_decide(session, treasurer(session))
    assert [p.bank_reference for p in odd] == ["SHORT"]
    clerk = session.scalar(select(User).where(User.username == "clerk.pupr"))
    with pytest.raises(NotAllowed):
        payments_to_decide(session, clerk)
    decide_payment(session, actor=treasurer(session), payment_id=odd[0].id,
                   decision=TreasurerDecision.REFUND, note="Kembalikan ke rekening pembayar")
    session.commit()
    assert payments_to_decide(session, treasurer(session)) == []


def test_a_correction_issues_a_new_bill_and_cancels_the_old_with_its_reason(session, demo):  # noqa: F811
    request, bill = billed_pbg(session)
    clerk = session.scalar(select(User).where(User.username == "clerk.pupr"))
    new = correct_bill(session, actor=clerk, bill_id=bill.id, amount=6_000_000,
                       reason="Luas lantai terukur 667 m²", now=PAID_ON)
    session.commit()
    assert bill.state is BillState.CANCELLED and bill.cancel_reason == "Luas lantai terukur 667 m²"
    assert new.replaces_id == bill.id and new.amount == 6_000_000 and new.number != bill.number
    assert standing_bill(session, request).id == new.id
    assert request.status is RequestStatus.AWAITING_PAYMENT
    late = pay_bill(session, request, PAID_ON, reference="OLD", amount=6_750_000)
    assert not late.settled  # the wrong amount for the standing bill
    other = session.scalar(select(User).where(User.username == "clerk.dlh"))
    with pytest.raises(NotAllowed, match="bill.not_yours"):
        correct_bill(session, actor=other, bill_id=new.id, amount=1, reason="x")


def test_levies_billed_paid_and_outstanding_per_agency_and_service(session, demo):  # noqa: F811
    paid, _ = billed_pbg(session)
    billed_pbg(session)
    pay_bill(session, paid, PAID_ON)
    rows = levy_figures(session)
    assert [(r.agency_code, r.service_code, r.bills, r.billed, r.paid, r.outstanding)
            for r in rows] == [("DPUPR", "PBG", 2, 13_500_000, 6_750_000, 6_750_000)]




# ------------------------------------------------------------------ the treasurer's pages

def test_the_treasurer_reconciles_an_uploaded_statement_and_exports_it_defused(
        client, app_session):
    import io

    from services.demo import DEMO_PASSWORD, load_demo
    from tests.builders import login

    load_demo(app_session)
    app_session.commit()
    first, first_bill = billed_pbg(app_session)
    second, _ = billed_pbg(app_session)
    _, third_bill = billed_pbg(app_session)
    pay_bill(app_session, first, PAID_ON, reference="va:A")
    pay_bill(app_session, second, PAID_ON, reference="va:B")
    pay_bill(app_session, second, PAID_ON, reference="=cmd|' /C calc'!A0", amount=5)
    text = statement(("2026-03-12T09:00:00", "va:A", first_bill.va_number, "6750000"),
                     ("2026-03-12T10:00:00", "va:C", third_bill.va_number, "6750000"))
    login(client, "clerk.pupr", DEMO_PASSWORD)
    assert client.get("/bendahara/").status_code == 403
    client.post("/auth/logout")
    login(client, "bendahara", DEMO_PASSWORD)
    page = client.get("/bendahara/?day=2026-03-12").get_data(as_text=True)
    assert 'data-test="payment-va:A"' in page and "tagihan sudah lunas" in page
    answer = client.post("/bendahara/rekonsiliasi", data={
        "day": "2026-03-12", "statement": (io.BytesIO(text.encode()), "rk.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Rekening koran dicocokkan." in page
    assert "Cocok</h2>" not in page  # headings carry their counts
    assert "Cocok (1)" in page and "(dicatat dari rekening koran) (1)" in page
    assert "tidak ada di rekening koran (2)" in page
    exported = client.get("/bendahara/rekonsiliasi.csv?day=2026-03-12").get_data(as_text=True)
    assert "'=cmd|' /C calc'!A0" in exported and "\n=cmd" not in exported
    refused = client.post("/bendahara/rekonsiliasi", data={
        "day": "2026-03-12", "statement": (io.BytesIO(b"tanggal;referensi;tujuan;jumlah\n"
                                                      b"x;y;z;1,5\n"), "rk.csv")},
        content_type="multipart/form-data")
    assert refused.status_code == 422


def test_the_clerk_page_shows_the_bill_and_corrects_it_by_issuing_a_new_one(client,
                                                                             app_session):
    from services.demo import DEMO_PASSWORD, load_demo
    from tests.builders import login

    load_demo(app_session)
    app_session.commit()
    request, bill = billed_pbg(app_session)
    login(client, "clerk.pupr", DEMO_PASSWORD)
    page = client.get(f"/clerk/requests/{request.tracking_code}").get_data(as_text=True)
    assert "Menunggu pembayaran" in page and bill.number in page and "Rp6.750.000" in page
    answer = client.post(f"/clerk/bills/{bill.id}/correct",
                         data={"amount": "6.000.000", "reason": "Luas terukur 667 m²"},
                         follow_redirects=True).get_data(as_text=True)
    assert "Tagihan baru diterbitkan" in answer and "Rp6.000.000" in answer
    refused = client.post(f"/clerk/bills/{bill.id}/correct",
                          data={"amount": "1", "reason": "lagi"},
                          follow_redirects=True).get_data(as_text=True)
    assert "tidak dapat diperbaiki" in refused
    app_session.expire_all()
    assert standing_bill(app_session, request).amount == 6_000_000


def test_the_command_center_shows_levies_billed_paid_and_outstanding(client, app_session):
    from services.db import utcnow
    from services.demo import DEMO_PASSWORD
    from tests.builders import login
    from tests.test_payments_status import billed

    request, _pin = billed(app_session)  # Rp1.080.000, billed an hour ago
    billed(app_session)
    pay_bill(app_session, request, utcnow())
    login(client, "pimpinan", DEMO_PASSWORD)
    page = client.get("/command/").get_data(as_text=True)
    assert "Retribusi dan pajak per instansi dan layanan" in page
    csv_text = client.get("/command/levies.csv").get_data(as_text=True)
    assert "DPUPR,PBG,2,2.160.000,1.080.000,1.080.000" in csv_text


def test_the_demo_history_holds_a_paid_and_an_unpaid_bill_and_a_statement_with_a_mismatch(
        app, runner, session):
    from pathlib import Path

    from services.demo import load_demo
    from services.models import Bill

    load_demo(session)
    session.commit()
    first = runner.invoke(args=["demo", "history"])
    again = runner.invoke(args=["demo", "history"])
    assert first.exit_code == 0 and again.exit_code == 0, first.output
    assert "Paid bill SKRD/DPUPR/" in first.output and "Unpaid bill SKPD/BAPENDA/" in first.output
    assert "PIN shown at the first run" in again.output
    session.expire_all()
    assert sorted(b.state.value for b in session.scalars(select(Bill))) == ["paid", "unpaid"]
    path = Path(first.output.strip().splitlines()[-1].rsplit(": ", 1)[1])
    day = datetime.fromisoformat(path.stem.removeprefix("rekening-koran-")).date()
    result = reconcile(session, parse_statement(path.read_text(), tz=TZ), day=day)
    session.commit()
    assert [p.bank_reference for p in result.matched] == ["va:DEMO-PBG-LUNAS"]
    assert [(p.bank_reference, p.flag.value) for p in result.recorded] == [
        ("va:DEMO-TANPA-NOTIFIKASI", "unknown_bill")]
    assert result.missing == []


def test_an_administrator_keeps_and_edits_a_steps_billing_rule(admin_client, app_session):
    from services.models import Service, VersionState
    from tests.builders import field_def, make_catalog, service_def, step_def

    rule = {"kind": "skrd", "rounding": {"to": 100, "mode": "up"},
            "lines": [{"label": {"id": "Luas", "en": "Area"}, "of": ["area"], "rate": 1000}]}
    make_catalog(app_session, service_def(
        "RETRIB", fee_kind="assessed", fields=[field_def("area", "number")],
        workflow=[step_def("DPMPTSP", assesses_fee=True, billing=rule)]))
    page = admin_client.get("/admin/services/RETRIB/steps/0/edit").get_data(as_text=True)
    assert "rate: 1000" in page
    form = {"stage": "1", "name_id": "Penetapan", "name_en": "Assessment", "agency": "DPMPTSP",
            "agency_from_field": "", "sla_days": "2", "condition_field": "",
            "condition_op": "eq", "condition_value": "", "assesses_fee": "y",
            "billing": page.split('name="billing"')[1].split(">", 1)[1].split("</textarea>")[0]
            .replace("rate: 1000", "rate: 2500").replace("&#39;", "'").replace("&#34;", '"')}
    assert admin_client.post("/admin/services/RETRIB/steps/0/edit", data=form).status_code \
        == 302
    app_session.expire_all()
    service = app_session.scalar(select(Service).where(Service.code == "RETRIB"))
    draft = next(v for v in service.versions if v.state is VersionState.DRAFT)
    assert draft.steps[0].billing["lines"][0]["rate"] == 2500
    refused = admin_client.post("/admin/services/RETRIB/steps/0/edit",
                                data={**form, "billing": "kind: pbb"})
    assert "is not a valid BillKind" in refused.get_data(as_text=True)
    app_session.expire_all()
    assert draft.steps[0].billing["kind"] == "skrd"
