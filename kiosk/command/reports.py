"""The yearly evaluation: the command center's figures for one year, for the city or one
agency, as a PDF (from the page's download button or `flask report yearly`)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from kiosk.command.tables import command_tables, number
from services.performance.figures import Outputs
from services.performance.report import Chart, Report


def yearly_report(session: Session, figures: Outputs, *, agency_id: int | None, city_name: str,
                  lang: str) -> Report:
    """Outputs and outcomes beside their targets, with the page's tables."""
    year = figures.period.last.year
    scope = figures.agency_code or city_name
    months: dict[str, int] = {}
    for day, counts in figures.submitted_by_day.items():
        key = day.strftime("%m")
        months[key] = months.get(key, 0) + sum(counts.values())
    targets = [a.target_on_time for a in figures.agencies if a.target_on_time is not None]
    city_target = round(sum(targets) / len(targets)) if targets else None
    headline = [
        (_("Permohonan masuk"), number(figures.submitted, lang), "–"),
        (_("Permohonan diputus"), number(figures.decided, lang), "–"),
        (_("Tugas tepat waktu") + " (%)", number(figures.on_time_percent, lang),
         number(city_target, lang)),
        (_("Selesai tanpa diminta kelengkapan") + " (%)", number(figures.unreturned_percent, lang),
         "–"),
        (_("Dikembalikan untuk dilengkapi") + " (%)", number(figures.returned_percent, lang),
         "–"),
        (_("Ditolak") + " (%)", number(figures.rejected_percent, lang), "–"),
        (_("Hari kerja dihemat dari standar"), number(figures.days_saved, lang), "–"),
    ]
    return Report(
        title=_("Evaluasi tahunan pelayanan publik %(year)s", year=year),
        subtitle=scope,
        method=_("Cara menghitung: waktu penyelesaian dihitung dalam hari kerja dan "
                 "dibandingkan dengan standar pelayanan tiap layanan; hari ketika berkas "
                 "menunggu pemohon tidak dihitung sebagai keterlambatan instansi."),
        headline=headline,
        headline_columns=(_("Ukuran"), _("Capaian"), _("Target")),
        charts=[
            Chart(_("Permohonan per bulan"), list(months), [float(v) for v in months.values()]),
            Chart(_("Tepat waktu per instansi") + " (%)", [a.code for a in figures.agencies],
                  [float(a.on_time_percent) if a.on_time_percent is not None else None
                   for a in figures.agencies], maximum=100),
        ],
        tables=command_tables(session, figures, lang, agency_id),
    )
