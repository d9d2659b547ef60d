"""The published service standard (Standar Pelayanan, UU 25/2009 Pasal 21) in citizens' words:
what a service costs, what it yields, and every component the public pages show."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from services.catalog.definitions import version_requirements
from services.catalog.requirements import requirement_line
from services.formatting import long_date, rupiah
from services.models import (
    Agency,
    ClockStart,
    FeeKind,
    ProductKind,
    ServiceRequest,
    ServiceVersion,
)

ASSESSED_ID = "Retribusi dihitung setelah verifikasi"
ASSESSED_EN = "The levy is calculated after verification"
ASSESSED_TAX_ID = "Pajak ditetapkan Bapenda setelah verifikasi (SKPD)"
ASSESSED_TAX_EN = "The tax is assessed by Bapenda after verification (SKPD)"


def in_language(lang: str, indonesian: str, english: str) -> str:
    return english if lang == "en" else indonesian


def fee_text(version: ServiceVersion, lang: str, request: ServiceRequest | None = None) -> str:
    """ "Gratis", "Rp150.000", or, for an assessed fee, the assessed amount once a step has set
    it and "Retribusi dihitung setelah verifikasi" before (never "Gratis")."""
    if version.fee_kind is FeeKind.ASSESSED:
        if request is not None and request.assessed_fee is not None:
            return in_language(lang, "{fee} (ketetapan {ref})", "{fee} (assessment {ref})").format(
                fee=rupiah(request.assessed_fee), ref=request.fee_reference)
        if version.fee_is_tax:
            return in_language(lang, ASSESSED_TAX_ID, ASSESSED_TAX_EN)
        return in_language(lang, ASSESSED_ID, ASSESSED_EN)
    if version.fee_kind is FeeKind.TARIFF:
        return rupiah(version.fee)
    return in_language(lang, "Gratis", "Free")


def fee_name(version: ServiceVersion) -> str:
    """What a document calls the assessed amount: a tax (pajak) or a levy (retribusi)."""
    return "Pajak / Tax" if version.fee_is_tax else "Retribusi / Levy"


def product_kind_text(version: ServiceVersion, lang: str) -> str:
    """How the citizen gets the product, by its kind."""
    if version.product_kind is ProductKind.DOCUMENT:
        return in_language(lang, "Dokumen elektronik, diterbitkan dan ditandatangani secara elektronik "
                    "oleh pejabat yang berwenang",
                    "An electronic document, issued and signed electronically by the "
                    "competent official")
    if version.product_kind is ProductKind.EXTERNAL:
        return in_language(lang, "Diterbitkan melalui {system}; nomor dan tanggalnya dicatat petugas",
                    "Issued through {system}; the officer records its number and date").format(
            system=version.external_system)
    if version.product_kind is ProductKind.ITEM:
        return in_language(lang, "Barang yang diambil sendiri", "An item to collect in person")
    return in_language(lang, "Jawaban atau tanggapan tertulis", "A written answer or response")


def duration_text(version: ServiceVersion, lang: str) -> str:
    if version.duration_days == 0:
        days = in_language(lang, "Selesai pada hari kerja yang sama", "Done the same working day")
    else:
        days = in_language(lang, "{n} hari kerja", "{n} working days").format(n=version.duration_days)
    if version.clock_start is ClockStart.COMPLETE_FILE:
        days += in_language(lang, ", dihitung sejak berkas dinyatakan lengkap",
                     ", counted from when the file is declared complete")
    return days


def external_product_text(request: ServiceRequest, lang: str) -> str:
    """ "SIAK nomor 3171-LU-10032026-0001, tanggal 10 Maret 2026" once recorded, else ""."""
    if not request.external_number or request.external_issued_on is None:
        return ""
    return in_language(lang, "{system} nomor {number}, tanggal {date}",
                "{system} number {number}, dated {date}").format(
        system=request.service_version.external_system, number=request.external_number,
        date=long_date(request.external_issued_on, lang))


class Group(enum.Enum):
    """PermenPANRB 15/2014 splits the components: those of service delivery (penyampaian
    pelayanan), which the public reads, and those of managing the service inside the unit
    (pengelolaan pelayanan)."""

    DELIVERY = "penyampaian"
    MANAGEMENT = "pengelolaan"


@dataclass(frozen=True)
class Component:
    """One component of the published standard: its heading and its text or list."""

    key: str
    title: str
    items: list[str]
    group: Group = Group.DELIVERY
    public: bool = True


def _text(version: ServiceVersion, name: str, lang: str) -> list[str]:
    return [version.text(name, lang)]


def all_components(version: ServiceVersion, lang: str) -> list[Component]:
    """Every component of UU 25/2009 Pasal 21 (huruf a to n), in the order of the law, with its
    group (PermenPANRB 15/2014) and whether the public pages show it. The public see the
    delivery components, the legal basis, the facilities and the two guarantees (the promises
    the Maklumat also makes); competence, supervision, staffing and evaluation stay inside."""
    product = version.text("product", lang)
    collection = version.text("collection", lang)
    fee_basis = version.text("fee_basis", lang)
    inside = Group.MANAGEMENT
    return [
        Component("dasar_hukum", in_language(lang, "Dasar hukum", "Legal basis"),
                  list(version.text("legal_basis", lang)), inside),
        Component("persyaratan", in_language(lang, "Persyaratan", "Requirements"),
                  [requirement_line(item, lang) for item in version_requirements(version)]),
        Component("prosedur", in_language(lang, "Sistem, mekanisme, dan prosedur",
                                   "System, mechanism and procedure"),
                  list(version.text("procedure", lang))),
        Component("jangka_waktu", in_language(lang, "Jangka waktu penyelesaian", "Completion time"),
                  [duration_text(version, lang)]),
        Component("biaya", in_language(lang, "Biaya/tarif", "Fee"),
                  [fee_text(version, lang)] + ([fee_basis] if fee_basis else [])),
        Component("produk", in_language(lang, "Produk pelayanan", "Service product"),
                  [product, product_kind_text(version, lang)]
                  + ([collection] if collection else [])),
        Component("sarana", in_language(lang, "Sarana, prasarana, dan/atau fasilitas",
                                 "Facilities"), _text(version, "facilities", lang), inside),
        Component("kompetensi", in_language(lang, "Kompetensi pelaksana", "Competence of the staff"),
                  _text(version, "competence", lang), inside, public=False),
        Component("pengawasan", in_language(lang, "Pengawasan internal", "Internal supervision"),
                  _text(version, "supervision", lang), inside, public=False),
        Component("pengaduan", in_language(lang, "Penanganan pengaduan, saran, dan masukan",
                                    "Complaints, suggestions and feedback"),
                  _text(version, "complaint_channel", lang)),
        Component("jumlah_pelaksana", in_language(lang, "Jumlah pelaksana", "Number of staff"),
                  _text(version, "staffing", lang), inside, public=False),
        Component("jaminan", in_language(lang, "Jaminan pelayanan", "Service guarantee"),
                  _text(version, "guarantee", lang), inside),
        Component("keamanan", in_language(lang, "Jaminan keamanan dan keselamatan pelayanan",
                                   "Security and safety guarantee"),
                  _text(version, "safety", lang), inside),
        Component("evaluasi", in_language(lang, "Evaluasi kinerja pelaksana",
                                   "Evaluation of the staff's performance"),
                  _text(version, "evaluation", lang), inside, public=False),
    ]


def standard_components(version: ServiceVersion, lang: str) -> list[Component]:
    """The components the public pages and the kiosk show, in the order they are published;
    an empty one is left out."""
    return [part for part in all_components(version, lang)
            if part.public and any(item for item in part.items)]


def missing_components(version: ServiceVersion) -> list[str]:
    """The keys of the Pasal 21 components this version leaves empty."""
    return [part.key for part in all_components(version, "id")
            if not any(item for item in part.items)]


def decree_text(version: ServiceVersion, lang: str) -> str:
    """ "Ditetapkan dengan SK ... tanggal ..."; empty while the version has no SK recorded."""
    if not version.decree_number or version.decree_date is None:
        return ""
    return in_language(lang, "Ditetapkan dengan {number} tanggal {date}",
                "Set by decree {number} of {date}").format(
        number=version.decree_number, date=long_date(version.decree_date, lang))


def consultation_lines(version: ServiceVersion, lang: str) -> list[str]:
    """Each public consultation (UU 25/2009 Pasal 20) in one line: date, who, what came out."""
    return [in_language(lang, "{date}: {participants}. {summary}", "{date}: {participants}. {summary}")
            .format(date=long_date(date.fromisoformat(entry["date"]), lang),
                    participants=entry["participants"], summary=entry["summary"])
            for entry in version.consultations or []]


def maklumat_units(version: ServiceVersion) -> list[Agency]:
    """The units acting on this service that have made a Maklumat Pelayanan, by stage."""
    units: list[Agency] = []
    for step in version.steps:
        if step.agency is not None and has_maklumat(step.agency) and step.agency not in units:
            units.append(step.agency)
    return units


def has_maklumat(agency: Agency) -> bool:
    return bool(agency.maklumat_id and agency.maklumat_signer and agency.maklumat_date)


def citizen_product_facts(request: ServiceRequest, lang: str) -> list[tuple[str, str]]:
    """What the status pages say of the fee and the product, by the product's kind: the
    external number once recorded, and where to collect an item or an external product."""
    version = request.service_version
    facts = [(in_language(lang, "Biaya", "Fee"), fee_text(version, lang, request)),
             (in_language(lang, "Produk", "Product"), version.text("product", lang))]
    external = external_product_text(request, lang)
    if external:
        facts.append((in_language(lang, "Nomor produk", "Product number"), external))
    collection = version.text("collection", lang)
    if collection and version.product_kind in (ProductKind.EXTERNAL, ProductKind.ITEM):
        facts.append((in_language(lang, "Tempat pengambilan", "Where to collect"), collection))
    if request.due_at is None:
        facts.append((in_language(lang, "Jangka waktu", "Completion time"), duration_text(version, lang)))
    return facts
