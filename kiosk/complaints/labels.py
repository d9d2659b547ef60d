"""How complaint statuses and privacy choices are named on every page (kiosk, phone, staff)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

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

# One plain sentence per choice, shown wherever the citizen chooses.
PRIVACY_EXPLAINED = {
    Privacy.PUBLIC:
        _l("Nama Anda ditampilkan sebagai inisial saja, dan instansi yang menangani dapat "
           "menghubungi Anda."),
    Privacy.CONFIDENTIAL:
        _l("Identitas Anda hanya diketahui koordinator pengaduan; instansi hanya melihat "
           "\"Rahasia\" (dilindungi UU 25/2009 Pasal 50)."),
    Privacy.ANONYMOUS:
        _l("Anda tidak perlu mengisi NIK, nama atau nomor HP; kode dan PIN menjadi satu-satunya "
           "penghubung Anda dengan pengaduan ini."),
}
PRIVACY_NAMES = {
    Privacy.PUBLIC: _l("Biasa (nama sebagai inisial)"),
    Privacy.CONFIDENTIAL: _l("Rahasia"),
    Privacy.ANONYMOUS: _l("Anonim"),
}


def privacy_choices(lang: str) -> list[tuple[str, str, str]]:
    """(value, name, one plain sentence) for each privacy option, in the citizen's language."""
    with force_locale(lang):
        return [(p.value, str(PRIVACY_NAMES[p]), str(PRIVACY_EXPLAINED[p])) for p in Privacy]


def privacy_name(privacy: Privacy, lang: str) -> str:
    with force_locale(lang):
        return str(PRIVACY_NAMES[privacy])


def complainant_text(complainant: str | Privacy) -> str:
    """The complainant as services.complaints.privacy shows them to an audience: a name (or
    initials), or the privacy choice that hides them, named in the visitor's language."""
    return str(PRIVACY_NAMES[complainant]) if isinstance(complainant, Privacy) else complainant
