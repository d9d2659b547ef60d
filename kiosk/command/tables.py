"""The figures as tables of display strings: one source for the page, its CSV and the PDF, so
the three always say the same."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from services.payments.reconciliation import day_bounds
from services.payments.treasury import levy_figures
from services.performance import citizen_outcomes
from services.performance.citizen_outcomes import AgencyOutcome, ServiceOutcome
from services.performance.figures import Outputs
from services.performance.report import Table

DASH = "–"


def number(value: Decimal | int | None, lang: str) -> str:
    """A figure as the city writes it: a decimal comma in Indonesian, a dash for no value."""
    if value is None:
        return DASH
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def agency_table(outputs: Outputs, lang: str) -> Table:
    return Table("agencies", _("Kinerja per instansi"), [
        _("Instansi"), _("Tugas terbuka"), _("Lewat batas waktu"), _("Tugas diputus"),
        _("Tepat waktu") + " (%)", _("Target tepat waktu") + " (%)", _("Peringkat")], [
        [row.name, number(row.backlog, lang), number(row.overdue, lang),
         number(row.decided, lang), number(row.on_time_percent, lang),
         number(row.target_on_time, lang),
         str(row.rank) if row.rank is not None else _("belum dinilai")]
        for row in outputs.agencies])


def service_table(outputs: Outputs, lang: str) -> Table:
    return Table("services", _("Waktu penyelesaian per layanan"), [
        _("Layanan"), _("Standar (hari kerja)"), _("Diputus"), _("Median (hari kerja)"),
        _("Hari kerja dihemat"), _("Dikembalikan") + " (%)", _("Ditolak") + " (%)",
        _("Tanpa diminta kelengkapan") + " (%)"], [
        [row.name, number(row.standard_days, lang), number(row.decided, lang),
         number(row.median_days, lang), number(row.days_saved, lang),
         number(row.returned_percent, lang), number(row.rejected_percent, lang),
         number(row.unreturned_percent, lang)]
        for row in outputs.services])


# Longer periods are shown per month: a year of daily rows says less than twelve monthly ones.
DAILY_UP_TO = 92


def day_table(outputs: Outputs, lang: str) -> Table:
    channels = outputs.channels
    by_day = outputs.submitted_by_day
    if len(by_day) <= DAILY_UP_TO:
        buckets = {day.isoformat(): counts for day, counts in by_day.items()}
        title, first = _("Permohonan per hari dan kanal"), _("Tanggal")
    else:
        buckets = {}
        for day, counts in by_day.items():
            month = buckets.setdefault(day.strftime("%Y-%m"), {})
            for channel, count in counts.items():
                month[channel] = month.get(channel, 0) + count
        title, first = _("Permohonan per bulan dan kanal"), _("Bulan")
    return Table("days", title, [first, *[channel_name(c) for c in channels], _("Jumlah")], [
        [key, *[number(counts.get(c, 0), lang) for c in channels],
         number(sum(counts.values()), lang)]
        for key, counts in buckets.items()])


def kiosk_table(outputs: Outputs, lang: str) -> Table:
    status = {k.kiosk.code: k for k in outputs.kiosks}
    counts = {code: count for code, _name, count in outputs.submitted_by_kiosk}
    rows = []
    for code, kiosk in status.items():
        rows.append([f"{code} · {kiosk.kiosk.name}", number(counts.get(code, 0), lang),
                     _("daring") if kiosk.online else _("luring"),
                     printer_name(kiosk.printer_state.value)])
    return Table("kiosks", _("Kios"), [_("Kios"), _("Permohonan"), _("Keadaan"),
                                        _("Printer")], rows)


def channel_name(channel: str) -> str:
    return {"kiosk": _("Kios"), "web": _("Web"), "api": _("API"), "open311": _("Open311"),
            "counter": _("Loket")}.get(channel, channel)


def printer_name(state: str) -> str:
    return {"ready": _("siap"), "paper_low": _("kertas hampir habis"),
            "out_of_paper": _("kertas habis"), "offline": _("mati"), "error": _("galat"),
            "unknown": _("belum diketahui")}.get(state, state)


def ikm_text(report, lang: str) -> str:  # type: ignore[no-untyped-def]
    """An IKM with its grade, marked when too few answered (PermenPANRB 14/2017's sample)."""
    result = report.result
    if result.ikm is None:
        return DASH
    value = f"{result.ikm:,.2f}"
    if lang == "id":
        value = value.replace(",", "\0").replace(".", ",").replace("\0", ".")
    text = f"{value} ({result.grade.letter if result.grade else DASH})"
    if report.representative:
        return text
    return text + " " + _("belum representatif")  # outside an f-string, so pybabel finds it


def outcome_table(outputs: Outputs, outcomes: list[AgencyOutcome], lang: str) -> Table:
    targets = {row.code: row for row in outputs.agencies}
    rows = []
    for row in outcomes:
        target = targets.get(row.code)
        rows.append([
            row.name, ikm_text(row.ikm, lang),
            number(target.target_ikm if target else None, lang),
            number(row.ikm.result.respondents, lang), number(row.complaints, lang),
            number(row.answered_on_time_percent, lang), number(row.resolved_percent, lang),
            number(target.target_complaints_resolved if target else None, lang),
            number(row.reopen_requests, lang)])
    return Table("outcomes", _("Hasil bagi warga per instansi"), [
        _("Instansi"), _("IKM (mutu)"), _("Target IKM"), _("Responden"), _("Pengaduan"),
        _("Dijawab tepat waktu") + " (%)", _("Tuntas menurut warga") + " (%)",
        _("Target tuntas") + " (%)", _("Minta dibuka kembali")], rows)


def ikm_service_table(outcomes: list[ServiceOutcome], lang: str) -> Table:
    return Table("ikm", _("IKM per layanan"), [
        _("Layanan"), _("IKM (mutu)"), _("Responden"), _("Sampel minimal")], [
        [row.name, ikm_text(row.ikm, lang), number(row.ikm.result.respondents, lang),
         number(row.ikm.required_sample, lang)] for row in outcomes])


def levy_table(session: Session, outputs: Outputs, lang: str,
               agency_id: int | None = None) -> Table:
    """Levies (retribusi and taxes) billed in the period, paid and outstanding, in rupiah."""
    period = outputs.period
    start, end = day_bounds(period.first, period.tz)[0], day_bounds(period.last, period.tz)[1]
    rows = levy_figures(session, agency_id=agency_id, issued_from=start, issued_before=end)
    return Table("levies", _("Retribusi dan pajak per instansi dan layanan"), [
        _("Instansi"), _("Layanan"), _("Tagihan"), _("Ditagih (Rp)"), _("Lunas (Rp)"),
        _("Belum dibayar (Rp)")], [
        [row.agency_code, row.service_code, number(row.bills, lang), number(row.billed, lang),
         number(row.paid, lang), number(row.outstanding, lang)] for row in rows])


def command_tables(session: Session, outputs: Outputs, lang: str,
                   agency_id: int | None = None) -> list[Table]:
    """Outputs beside outcomes: the page, its CSV downloads and the yearly PDF show these."""
    period = outputs.period
    agency_outcomes = citizen_outcomes.agency_outcomes(session, period, lang=lang,
                                                       agency_id=agency_id)
    service_outcomes = citizen_outcomes.service_outcomes(
        session, period, lang=lang,
        service_codes=None if agency_id is None else [row.code for row in outputs.services])
    tables = [agency_table(outputs, lang), outcome_table(outputs, agency_outcomes, lang),
              service_table(outputs, lang), ikm_service_table(service_outcomes, lang),
              day_table(outputs, lang), levy_table(session, outputs, lang, agency_id)]
    if outputs.agency_code is None:
        tables.append(kiosk_table(outputs, lang))
    return tables
