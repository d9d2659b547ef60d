"""The citizen's timeline of a request, worded for citizens in both languages, from its events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.formatting import long_date, rupiah
from services.models import Event, ServiceRequest

# Event kind -> (Indonesian, English). {agency} is the agency that acted, when there is one.
WORDING: dict[str, tuple[str, str]] = {
    "submitted": ("Permohonan diterima.", "Your request was received."),
    # Workflow (clerks, the citizen, the SLA clock); internal events are not shown.
    "task_claimed": ("Permohonan Anda mulai diproses oleh {agency}.",
                     "{agency} has started working on your request."),
    "task_reassigned": ("Permohonan Anda mulai diproses oleh {agency}.",
                        "{agency} has started working on your request."),
    "task_released": ("Permohonan Anda menunggu petugas {agency}.",
                      "Your request is waiting for an officer at {agency}."),
    "task_approved": ("Pemeriksaan oleh {agency} selesai. Permohonan dilanjutkan ke tahap "
                      "berikutnya.", "{agency} has finished its check. Your request moves on "
                      "to the next step."),
    "task_forwarded": ("Permohonan Anda diteruskan ke {agency}.",
                       "Your request was passed on to {agency}."),
    "information_requested": ("{agency} meminta keterangan tambahan dari Anda. Waktu "
                              "penyelesaian dihentikan sampai Anda melengkapinya.",
                              "{agency} needs more information from you. The time limit is "
                              "paused until you provide it."),
    "information_supplied": ("Keterangan tambahan Anda diterima. Permohonan diproses kembali.",
                             "We received your additional information. Work on your request "
                             "has resumed."),
    "request_rerouted": ("Keterangan tambahan Anda diterima. Jawaban yang Anda ubah menentukan "
                         "instansi yang menangani, jadi permohonan dialihkan ke instansi yang "
                         "sesuai.",
                         "We received your additional information. An answer you changed "
                         "decides which office handles your request, so it was passed to the "
                         "right office."),
    "deadline_extended": ("Batas waktu penyelesaian diperpanjang oleh {agency}.",
                          "{agency} extended the time limit for your request."),
    "request_rejected": ("Permohonan Anda ditolak oleh {agency}.",
                         "Your request was turned down by {agency}."),
    "request_approved": ("Permohonan Anda disetujui. Dokumen Anda sudah terbit dan dapat diambil.",
                         "Your request was approved. Your document has been issued and is "
                         "ready to collect."),
    "request_completed": ("Dokumen telah diserahkan kepada Anda. Permohonan selesai.",
                          "The document was handed to you. Your request is complete."),
    "fee_assessed": ("{agency} menetapkan biaya sebesar {fee} (ketetapan nomor {reference}).",
                     "{agency} assessed the fee at {fee} (assessment number {reference})."),
    "file_complete": ("Berkas Anda dinyatakan lengkap oleh {agency}.",
                      "{agency} declared your file complete."),
    "document_revoked": ("Dokumen Anda dicabut oleh {agency}.",
                         "Your document was revoked by {agency}."),
    "request_overdue": ("Permohonan melewati batas waktu layanan; pimpinan instansi diberi tahu.",
                        "Your request passed its service time limit; the agency heads were "
                        "notified."),
    "task_escalated": ("Batas waktu terlewati; pimpinan {agency} diberi tahu.",
                       "The time limit passed; the head of {agency} was notified."),
    "deemed_approved": ("Batas waktu {agency} untuk langkah ini lewat tanpa keputusan, maka "
                        "langkah ini dianggap disetujui (PP 28/2025).",
                        "{agency} passed its time limit for this step without a decision, so "
                        "the step is deemed approved (Government Regulation 28/2025)."),
}
FALLBACK = ("Permohonan diperbarui.", "Your request was updated.")

# The approval and the hand-over, by product kind; {system} and {number} for external products.
PRODUCT_WORDING: dict[str, dict[str, tuple[str, str]]] = {
    "external": {
        "request_approved": (
            "Permohonan Anda disetujui. Produk telah terbit di {system} dengan nomor {number} "
            "tanggal {date}.",
            "Your request was approved. {system} issued the product, number {number} of {date}."),
        "request_completed": ("Produk telah diserahkan kepada Anda. Permohonan selesai.",
                              "The product was handed to you. Your request is complete."),
    },
    "item": {
        "request_approved": ("Permohonan Anda disetujui. Barang Anda siap diambil.",
                             "Your request was approved. Your item is ready to collect."),
        "request_completed": ("Barang telah diserahkan kepada Anda. Permohonan selesai.",
                              "The item was handed to you. Your request is complete."),
    },
    "answer": {
        "request_approved": ("Permohonan Anda telah dijawab.",
                             "Your request has been answered."),
        "request_completed": ("Permohonan selesai.", "Your request is complete."),
    },
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    text: str
    note: str


def entry_text(event: Event, lang: str) -> str:
    data = event.data or {}
    kind = data.get("product_kind") or event.request.service_version.product_kind.value
    indonesian, english = PRODUCT_WORDING.get(kind, {}).get(event.kind) \
        or WORDING.get(event.kind, FALLBACK)
    agency = data.get("agency_name", {})
    name = agency.get(lang) or agency.get("id") or ""
    issued = data.get("external_date")
    return (english if lang == "en" else indonesian).format(
        agency=name, system=data.get("external_system", ""),
        number=data.get("external_number", ""),
        date=long_date(date.fromisoformat(issued), lang) if issued else "",
        fee=rupiah(data.get("assessed_fee") or 0), reference=data.get("fee_reference", ""))


def citizen_timeline(request: ServiceRequest, lang: str) -> list[TimelineEntry]:
    """What the citizen sees: every event they should know of, oldest first."""
    return [
        TimelineEntry(at=event.created_at, kind=event.kind, text=entry_text(event, lang),
                      note=event.note if (event.data or {}).get("public_note") else "")
        for event in request.events
        if not (event.data or {}).get("internal")
    ]
