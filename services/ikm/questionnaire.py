"""The nine elements (unsur) of the public satisfaction survey and their four answers, as
Peraturan Menteri PANRB Nomor 14 Tahun 2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat
Unit Penyelenggara Pelayanan Publik) words them, with an English rendering.

The regulation lists the unsur in Bab II (a. persyaratan ... h. penanganan pengaduan, saran
dan masukan; i. sarana dan prasarana); its example questionnaire (Lampiran, "Contoh
Kuesioner") asks them as questions 1-9 with answers a-d scored 1-4, but asks about "sarana dan
prasarana" as question 8 and "penanganan pengaduan" as question 9. ``u1``..``u9`` here are the
questionnaire's question numbers, so a paper form's columns type straight into a CSV file.
The regulation's text is catalog-like content (it carries both languages, as services do),
so it lives here once for the kiosk, the phone page, the CLI and the API alike."""

from __future__ import annotations

from dataclasses import dataclass

ANSWER_VALUES: tuple[int, ...] = (1, 2, 3, 4)


@dataclass(frozen=True)
class Element:
    """One unsur: its key (u1..u9), its name, the question and the four answers (scores 1-4)."""

    key: str
    name_id: str
    name_en: str
    question_id: str
    question_en: str
    answers_id: tuple[str, str, str, str]
    answers_en: tuple[str, str, str, str]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id

    def question(self, lang: str) -> str:
        return self.question_en if lang == "en" else self.question_id

    def answers(self, lang: str) -> list[tuple[int, str]]:
        """(score, wording) from 1 (worst) to 4 (best)."""
        texts = self.answers_en if lang == "en" else self.answers_id
        return list(zip(ANSWER_VALUES, texts, strict=True))


ELEMENTS: tuple[Element, ...] = (
    Element(
        "u1", "Persyaratan", "Requirements",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        "How well do the service's requirements suit the kind of service?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    Element(
        "u2", "Sistem, mekanisme, dan prosedur", "System, mechanism and procedure",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "How easy was the service procedure at this unit?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("Not easy", "Less easy", "Easy", "Very easy"),
    ),
    Element(
        "u3", "Waktu penyelesaian", "Completion time",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "How fast was the service delivered?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("Not fast", "Less fast", "Fast", "Very fast"),
    ),
    Element(
        "u4", "Biaya/tarif", "Cost/tariff",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "How fair was the cost/tariff of the service?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("Very expensive", "Quite expensive", "Cheap", "Free"),
    ),
    Element(
        "u5", "Produk spesifikasi jenis pelayanan", "Product specification of the service",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        "How well did what you received match the product stated in the service standard?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not matching", "Less matching", "Matching", "Fully matching"),
    ),
    Element(
        "u6", "Kompetensi pelaksana", "Competence of the staff",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "How competent/capable were the staff who served you?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("Not competent", "Less competent", "Competent", "Very competent"),
    ),
    Element(
        "u7", "Perilaku pelaksana", "Conduct of the staff",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
        "kesopanan dan keramahan?",
        "How polite and friendly were the staff who served you?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
         "Sangat sopan dan ramah"),
        ("Not polite and friendly", "Less polite and friendly", "Polite and friendly",
         "Very polite and friendly"),
    ),
    Element(
        "u8", "Sarana dan prasarana", "Facilities and infrastructure",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "How good were the facilities and infrastructure?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("Poor", "Fair", "Good", "Very good"),
    ),
    Element(
        "u9", "Penanganan pengaduan, saran dan masukan",
        "Handling of complaints, suggestions and feedback",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "How are complaints from service users handled?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
         "Dikelola dengan baik"),
        ("There is none", "There is one but it does not work", "It works, not fully",
         "It is well managed"),
    ),
)

ELEMENT_KEYS: tuple[str, ...] = tuple(element.key for element in ELEMENTS)
