"""The nine unsur of the public satisfaction survey (services.ikm.questionnaire keeps their
keys u1..u9 and the scores 1-4) in the visitor's language: the words of Peraturan Menteri PANRB
Nomor 14 Tahun 2017, Lampiran ("Contoh Kuesioner"), with the English rendering in the one
gettext catalogue; and the names of the grades. Question 5 words its answers as question 1 does, so its English ones
("matching", not "suitable") are told apart by a message context."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from services.ikm.questionnaire import ANSWER_VALUES

# The mutu pelayanan of each grade (PermenPANRB 14/2017, Lampiran, Bab IV).
GRADE_NAMES = {
    "A": _l("Sangat Baik"),
    "B": _l("Baik"),
    "C": _l("Kurang Baik"),
    "D": _l("Tidak Baik"),
}


@dataclass(frozen=True)
class Element:
    """One unsur: its key (u1..u9), its name, the question, and the answers scored 1 to 4."""

    key: str
    name: str
    question: str
    answers: list[tuple[int, str]]


def _scored(*texts: str) -> list[tuple[int, str]]:
    return list(zip(ANSWER_VALUES, texts, strict=True))


def elements() -> list[Element]:
    """The questionnaire, worded now (in the request's language; Indonesian outside one)."""
    return [
        Element(
            "u1",
            _("Persyaratan"),
            _("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
              "pelayanannya?"),
            _scored(
                _("Tidak sesuai"),
                _("Kurang sesuai"),
                _("Sesuai"),
                _("Sangat sesuai")),
        ),
        Element(
            "u2",
            _("Sistem, mekanisme, dan prosedur"),
            _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
            _scored(
                _("Tidak mudah"),
                _("Kurang mudah"),
                _("Mudah"),
                _("Sangat mudah")),
        ),
        Element(
            "u3",
            _("Waktu penyelesaian"),
            _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
            _scored(
                _("Tidak cepat"),
                _("Kurang cepat"),
                _("Cepat"),
                _("Sangat cepat")),
        ),
        Element(
            "u4",
            _("Biaya/tarif"),
            _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
            _scored(
                _("Sangat mahal"),
                _("Cukup mahal"),
                _("Murah"),
                _("Gratis")),
        ),
        Element(
            "u5",
            _("Produk spesifikasi jenis pelayanan"),
            _("Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
              "tercantum dalam standar pelayanan dengan hasil yang diberikan?"),
            _scored(
                pgettext("IKM u5", "Tidak sesuai"),
                pgettext("IKM u5", "Kurang sesuai"),
                pgettext("IKM u5", "Sesuai"),
                pgettext("IKM u5", "Sangat sesuai")),
        ),
        Element(
            "u6",
            _("Kompetensi pelaksana"),
            _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
            _scored(
                _("Tidak kompeten"),
                _("Kurang kompeten"),
                _("Kompeten"),
                _("Sangat kompeten")),
        ),
        Element(
            "u7",
            _("Perilaku pelaksana"),
            _("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
              "kesopanan dan keramahan?"),
            _scored(
                _("Tidak sopan dan ramah"),
                _("Kurang sopan dan ramah"),
                _("Sopan dan ramah"),
                _("Sangat sopan dan ramah")),
        ),
        Element(
            "u8",
            _("Sarana dan prasarana"),
            _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
            _scored(
                _("Buruk"),
                _("Cukup"),
                _("Baik"),
                _("Sangat baik")),
        ),
        Element(
            "u9",
            _("Penanganan pengaduan, saran dan masukan"),
            _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
            _scored(
                _("Tidak ada"),
                _("Ada tetapi tidak berfungsi"),
                _("Berfungsi kurang maksimal"),
                _("Dikelola dengan baik")),
        ),
    ]
