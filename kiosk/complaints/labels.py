"""How complaint statuses and privacy choices are named on every page (kiosk, phone, staff)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from services.complaints.privacy import PRIVACY_EXPLAINED, PRIVACY_NAMES, words
from services.models import ComplaintStatus, Privacy

STATUS_TEXT = {
    ComplaintStatus.SUBMITTED: _l("Menunggu verifikasi"),
    ComplaintStatus.FORWARDED: _l("Diteruskan ke instansi"),
    ComplaintStatus.ANSWERED: _l("Sudah ditanggapi"),
    ComplaintStatus.REOPEN_REQUESTED: _l("Diminta dibuka kembali"),
    ComplaintStatus.RESOLVED: _l("Selesai (dikonfirmasi pelapor)"),
    ComplaintStatus.CLOSED: _l("Ditutup koordinator"),
    ComplaintStatus.CLOSED_UNCONFIRMED: _l("Ditutup tanpa konfirmasi"),
    ComplaintStatus.DECLINED: _l("Tidak dapat diproses"),
}


def privacy_choices(lang: str) -> list[tuple[str, str, str]]:
    """(value, name, one plain sentence) for each privacy option, in the citizen's language."""
    return [(p.value, words(PRIVACY_NAMES[p], lang), words(PRIVACY_EXPLAINED[p], lang))
            for p in Privacy]


def privacy_name(privacy: Privacy, lang: str) -> str:
    return words(PRIVACY_NAMES[privacy], lang)
