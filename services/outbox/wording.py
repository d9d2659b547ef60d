"""What citizens are told, in Bahasa Indonesia and English: short, and with nothing personal
beyond the tracking code they already hold (never the PIN, the NIK or the name)."""

from __future__ import annotations

from typing import Any

# The consent the citizen gives at the kiosk or through the API, by wording version. What is
# shown is what is recorded (UU PDP 27/2022: purpose, channel, time, the wording agreed to).
CONSENT_VERSION = "notify-v1"
CONSENT_WORDING: dict[str, dict[str, str]] = {
    "notify-v1": {
        "id": "Kami hanya mengirim kabar tentang permohonan ini ke nomor HP Anda. "
              "Balas STOP atau buka tautan berhenti di pesan untuk berhenti kapan saja.",
        "en": "We only send news about this request to your mobile number. "
              "Reply STOP or open the stop link in a message to stop at any time.",
    },
    "complaint-notify-v1": {
        "id": "Kami hanya mengirim kabar tentang pengaduan ini ke nomor HP Anda, tanpa isi "
              "pengaduannya. Balas STOP atau buka tautan berhenti di pesan untuk berhenti kapan "
              "saja.",
        "en": "We only send news about this complaint to your mobile number, never its text. "
              "Reply STOP or open the stop link in a message to stop at any time.",
    },
    "booking-notify-v1": {
        "id": "Kami hanya mengirim konfirmasi dan pengingat janji temu ini ke nomor HP Anda, "
              "dengan tautan untuk membatalkannya.",
        "en": "We only send the confirmation and a reminder of this appointment to your mobile "
              "number, with a link to cancel it.",
    },
}
CONSENT_PURPOSE = "status permohonan layanan / service request status"
COMPLAINT_CONSENT_VERSION = "complaint-notify-v1"
COMPLAINT_CONSENT_PURPOSE = "tindak lanjut pengaduan / complaint follow-up"
# What a consent is for, by the kind of subject it names ("request:..." or "complaint:...").
CONSENT_OF_KIND: dict[str, tuple[str, str]] = {
    "request": (CONSENT_VERSION, CONSENT_PURPOSE),
    "complaint": (COMPLAINT_CONSENT_VERSION, COMPLAINT_CONSENT_PURPOSE),
    "booking": ("booking-notify-v1", "janji temu loket MPP / MPP counter appointment"),
}


def consent_wording(kind: str, lang: str) -> str:
    """The sentence shown beside the notification choice for a request or a complaint."""
    version, _ = CONSENT_OF_KIND[kind]
    return CONSENT_WORDING[version]["en" if lang == "en" else "id"]


# Template -> (Indonesian, English). {code}: the tracking code; {date}: a local date.
TEMPLATES: dict[str, tuple[str, str]] = {
    "received": (
        "{city}: permohonan {service} Anda diterima. Kode pelacakan {code}. "
        "Perkiraan selesai {date}.",
        "{city}: your {service} request was received. Tracking code {code}. "
        "Expected by {date}.",
    ),
    "needs_info": (
        "{city}: permohonan {code} memerlukan keterangan tambahan dari Anda. "
        "Lengkapi di e-Kios (Cek status) atau di {status_url}.",
        "{city}: request {code} needs more information from you. "
        "Add it at an e-Kios (Check status) or at {status_url}.",
    ),
    "approved": (
        "{city}: permohonan {code} disetujui. Dokumen Anda siap diambil; bawa tanda terima.",
        "{city}: request {code} was approved. Your document is ready to collect; "
        "bring your receipt.",
    ),
    "rejected": (
        "{city}: permohonan {code} tidak dapat disetujui. Alasan dan langkah selanjutnya "
        "ada di {status_url}.",
        "{city}: request {code} could not be approved. The reason and what to do next "
        "are at {status_url}.",
    ),
    "overdue": (
        "{city}: mohon maaf, permohonan {code} terlambat dari batas waktu layanan. "
        "Perkiraan selesai yang baru: {date}.",
        "{city}: we are sorry, request {code} is late. New expected date: {date}.",
    ),
    "payment_due": (
        "{city}: permohonan {code} menunggu pembayaran {amount} sebelum {date}. Kode bayar "
        "(virtual account) dan QRIS ada di {status_url}.",
        "{city}: request {code} is waiting for payment of {amount} before {date}. The payment "
        "code (virtual account) and QRIS are at {status_url}.",
    ),
    "payment_reminder": (
        "{city}: pengingat, tagihan permohonan {code} sebesar {amount} jatuh tempo {date}. "
        "Cara membayar: {status_url}.",
        "{city}: reminder, the bill of request {code} for {amount} is due on {date}. "
        "How to pay: {status_url}.",
    ),
    "paid": (
        "{city}: pembayaran {amount} untuk permohonan {code} diterima (lunas). Permohonan "
        "diproses kembali.",
        "{city}: payment of {amount} for request {code} was received. Work on your request "
        "has resumed.",
    ),
    "complaint_answered": (
        "{city}: pengaduan {code} sudah dijawab. Baca jawabannya di {status_url}.",
        "{city}: complaint {code} has been answered. Read the answer at {status_url}.",
    ),
    "booking_made": (
        "{city}: janji temu {group} Anda {date} pukul {time}. Kode booking {code}; "
        "ketik di e-Kios MPP saat tiba. Batal: {cancel_url}",
        "{city}: your {group} appointment is on {date} at {time}. Booking code {code}; "
        "type it at an MPP e-Kios when you arrive. Cancel: {cancel_url}",
    ),
    "booking_reminder": (
        "{city}: pengingat janji temu {group} {date} pukul {time}, kode {code}. "
        "Tidak jadi datang? Batalkan: {cancel_url}",
        "{city}: reminder of your {group} appointment on {date} at {time}, code {code}. "
        "Not coming? Cancel: {cancel_url}",
    ),
}
STOP_LINE = ("Berhenti: {optout_url}", "Stop: {optout_url}")
SUBJECTS = {"id": "Kabar layanan {city}", "en": "{city} service news"}

# Which request events the citizen is told of, and with which template.
TEMPLATE_OF_EVENT: dict[str, str] = {
    "submitted": "received",
    "information_requested": "needs_info",
    "request_approved": "approved",
    "request_rejected": "rejected",
    "request_overdue": "overdue",
    "fee_assessed": "payment_due",
    "bill_reminder": "payment_reminder",
    "bill_paid": "paid",
    "complaint_answered": "complaint_answered",
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "-"


def render_text(template: str, lang: str, params: dict[str, Any], optout_url: str = "") -> str:
    """The message body for one template, in the citizen's language (Indonesian by default)."""
    indonesian, english = TEMPLATES[template]
    english_wanted = lang == "en"
    text = (english if english_wanted else indonesian).format_map(_Blank(params))
    if optout_url:
        stop = STOP_LINE[1] if english_wanted else STOP_LINE[0]
        text += "\n" + stop.format(optout_url=optout_url)
    return text


def render_subject(lang: str, params: dict[str, Any]) -> str:
    return SUBJECTS["en" if lang == "en" else "id"].format_map(_Blank(params))
