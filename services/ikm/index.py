"""The public satisfaction index (IKM, Indeks Kepuasan Masyarakat), computed exactly as
Peraturan Menteri PANRB Nomor 14 Tahun 2017, Lampiran, Bab IV "Pengolahan Data" and its table
of "Nilai Persepsi, Interval IKM, Interval Konversi IKM, Mutu Pelayanan dan Kinerja Unit
Pelayanan", computes it. Pure functions of values, in exact fractions: no floats, no rounded
weight."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from services.ikm.questionnaire import ANSWER_VALUES, ELEMENT_KEYS

# "Bobot nilai rata-rata tertimbang = Jumlah bobot / Jumlah unsur = 1/X": with nine unsur each
# weighs exactly 1/9. The regulation prints it rounded (0,11); using 0.111 scales every result
# by 0.999 and moves results near a boundary into the lower grade, so it is kept exact.
ELEMENT_WEIGHT = Fraction(1, len(ELEMENT_KEYS))
# "IKM Unit pelayanan x 25": the unit value (1-4) converted to the 25-100 scale.
CONVERSION_FACTOR = 25


@dataclass(frozen=True)
class Grade:
    """A row of the regulation's table: mutu pelayanan (x) and kinerja unit pelayanan (y)."""

    letter: str  # its mutu pelayanan; named (Sangat Baik ... Tidak Baik) by the web layer
    perception: int  # nilai persepsi
    unit_from: Decimal  # nilai interval (NI), the 1-4 scale
    unit_to: Decimal
    converted_from: Decimal  # nilai interval konversi (NIK), the 25-100 scale
    converted_to: Decimal


# PermenPANRB 14/2017, Lampiran, Bab IV: the table of intervals, best first. The grade is read
# from the converted value (the IKM, rounded to two decimals); the unit intervals are kept as
# the regulation prints them (1,00-2,5996 / 2,60-3,064 / 3,0644-3,532 / 3,5324-4,00).
GRADES: tuple[Grade, ...] = (
    Grade("A", 4,
          Decimal("3.5324"), Decimal("4.00"), Decimal("88.31"), Decimal("100.00")),
    Grade("B", 3,
          Decimal("3.0644"), Decimal("3.532"), Decimal("76.61"), Decimal("88.30")),
    Grade("C", 2,
          Decimal("2.60"), Decimal("3.064"), Decimal("65.00"), Decimal("76.60")),
    Grade("D", 1,
          Decimal("1.00"), Decimal("2.5996"), Decimal("25.00"), Decimal("64.99")),
)
GRADE_BY_LETTER = {grade.letter: grade for grade in GRADES}

Answers = Sequence[int]  # one respondent's nine answers, u1..u9, each 1-4


@dataclass(frozen=True)
class IkmResult:
    """What a set of responses yields; ``ikm`` and ``grade`` are None without respondents."""

    respondents: int
    element_scores: dict[str, Fraction | None]  # NRR per unsur, exact
    unit_value: Fraction | None  # weighted sum of the NRR, 1-4
    ikm: Decimal | None  # unit value x 25, rounded half up to two decimals
    grade: Grade | None

    def rounded_scores(self, places: int = 2) -> dict[str, Decimal | None]:
        """NRR per unsur for display, rounded half up (the IKM uses the exact values)."""
        return {key: None if score is None else round_half_up(score, places)
                for key, score in self.element_scores.items()}


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round a non-negative exact value half up ("dibulatkan ke atas" at 5), unlike Python's
    round(), which rounds half to even and would turn 76.605 into 76.60 (grade C, not B)."""
    if value < 0:
        raise ValueError("the index is never negative")
    scale = 10 ** places
    units = math.floor(value * scale + Fraction(1, 2))
    return Decimal(units).scaleb(-places)


def grade_for(ikm: Decimal) -> Grade:
    """The grade of a converted IKM value (25.00-100.00)."""
    for grade in GRADES:
        if ikm >= grade.converted_from:
            return grade
    return GRADES[-1]


def check_answers(answers: Answers) -> None:
    """Refuse anything but nine answers of 1-4 (callers validate first; this is the guard)."""
    if len(answers) != len(ELEMENT_KEYS) or any(
            isinstance(a, bool) or a not in ANSWER_VALUES for a in answers):
        raise ValueError(f"nine answers of 1-4 are needed, got {list(answers)!r}")


def compute_ikm(responses: Iterable[Answers]) -> IkmResult:
    """NRR per unsur = the mean of its answers ("jumlah nilai per unsur dibagi jumlah
    kuesioner yang terisi"); IKM = sum of NRR x 1/9, x 25, rounded half up to two decimals."""
    totals = [0] * len(ELEMENT_KEYS)
    respondents = 0
    for answers in responses:
        check_answers(answers)
        respondents += 1
        for position, answer in enumerate(answers):
            totals[position] += answer
    return result_from_totals(respondents, totals)


def result_from_totals(respondents: int, totals: Sequence[int]) -> IkmResult:
    """The same result from the sum of each unsur's answers (what a database adds up)."""
    if respondents == 0:
        return IkmResult(0, dict.fromkeys(ELEMENT_KEYS), None, None, None)
    scores = {key: Fraction(total, respondents)
              for key, total in zip(ELEMENT_KEYS, totals, strict=True)}
    unit_value = sum((score * ELEMENT_WEIGHT for score in scores.values()), Fraction(0))
    ikm = round_half_up(unit_value * CONVERSION_FACTOR)
    return IkmResult(respondents, dict(scores), unit_value, ikm, grade_for(ikm))
