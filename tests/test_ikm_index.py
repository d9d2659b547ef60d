"""The IKM exactly as PermenPANRB 14/2017 computes it: worked examples derived by hand, both
sides of every grade boundary, half-up rounding, the exact 1/9 weight and the sample table."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from services.ikm.index import GRADES, compute_ikm, grade_for, round_half_up
from services.ikm.questionnaire import ELEMENT_KEYS
from services.ikm.sample import is_representative, required_sample


def respondents_with_total(respondents: int, total: int) -> list[tuple[int, ...]]:
    """Rows whose answers add up to ``total``: every answer 1, then raised to 4 in turn.
    The IKM depends only on the total T: IKM = 25 x (T / 9n)."""
    answers = [1] * (9 * respondents)
    extra = total - len(answers)
    assert 0 <= extra <= 3 * len(answers)
    for position in range(len(answers)):
        step = min(3, extra)
        answers[position] += step
        extra -= step
    return [tuple(answers[i:i + 9]) for i in range(0, len(answers), 9)]


# (respondents n, total of all answers T, IKM, grade). By hand: IKM = 25·T/(9·n), rounded half up.
BOUNDARY_CASES = [
    # A from 88.31: 25·763/216 = 19075/216 = 88.3101... -> 88.31, A
    (24, 763, "88.31", "A"),
    # 25·604/171 = 15100/171 = 88.3040... -> 88.30, B
    (19, 604, "88.30", "B"),
    # B from 76.61: 25·524/171 = 13100/171 = 76.6081... -> 76.61, B
    (19, 524, "76.61", "B"),
    # 25·717/234 = 17925/234 = 76.6025... -> 76.60, C
    (26, 717, "76.60", "C"),
    # C from 65.00: 25·117/45 = 2925/45 = 65 exactly -> 65.00, C
    (5, 117, "65.00", "C"),
    # 25·889/342 = 22225/342 = 64.9853... -> 64.99, D
    (38, 889, "64.99", "D"),
    # the ends of the scale: every answer 4 -> 100.00; every answer 1 -> 25.00
    (3, 108, "100.00", "A"),
    (3, 27, "25.00", "D"),
]


@pytest.mark.parametrize(("respondents", "total", "ikm", "grade"), BOUNDARY_CASES)
def test_grades_on_each_side_of_every_boundary(respondents, total, ikm, grade):
    result = compute_ikm(respondents_with_total(respondents, total))
    assert result.respondents == respondents
    assert result.ikm == Decimal(ikm)
    assert result.grade.letter == grade


def test_a_worked_example_gives_each_unsur_its_mean_and_the_index():
    # Four respondents. Column sums u1..u9: 14, 12, 10, 16, 13, 12, 15, 11, 9 (total 112).
    rows = [
        (4, 3, 2, 4, 3, 3, 4, 3, 2),
        (4, 3, 3, 4, 4, 3, 4, 3, 3),
        (3, 3, 2, 4, 3, 3, 4, 2, 2),
        (3, 3, 3, 4, 3, 3, 3, 3, 2),
    ]
    result = compute_ikm(rows)
    # NRR = sum / 4: 3.50, 3.00, 2.50, 4.00, 3.25, 3.00, 3.75, 2.75, 2.25
    assert result.rounded_scores() == {
        "u1": Decimal("3.50"), "u2": Decimal("3.00"), "u3": Decimal("2.50"),
        "u4": Decimal("4.00"), "u5": Decimal("3.25"), "u6": Decimal("3.00"),
        "u7": Decimal("3.75"), "u8": Decimal("2.75"), "u9": Decimal("2.25")}
    # unit value = 28/9 = 3.111...; IKM = 28/9 x 25 = 700/9 = 77.777... -> 77.78, B (Baik)
    assert result.unit_value == Fraction(28, 9)
    assert result.ikm == Decimal("77.78")
    assert result.grade.letter == "B"


def test_the_exact_ninth_keeps_a_result_the_rounded_weight_would_drop_a_grade():
    rows = respondents_with_total(24, 763)
    result = compute_ikm(rows)
    assert (result.ikm, result.grade.letter) == (Decimal("88.31"), "A")
    # The regulation's printed weight, 0.111: 9 x 0.111 = 0.999 of the true value.
    rounded_weight = sum(result.element_scores.values()) * Fraction("0.111") * 25
    assert round_half_up(rounded_weight) == Decimal("88.22")
    assert grade_for(round_half_up(rounded_weight)).letter == "B"


@pytest.mark.parametrize(("exact", "rounded", "grade"), [
    (Fraction("88.305"), "88.31", "A"),  # half up; round() would give 88.30 (half to even)
    (Fraction("76.605"), "76.61", "B"),
    (Fraction("64.995"), "65.00", "C"),
    (Fraction("64.994999"), "64.99", "D"),
    (Fraction("76.604999"), "76.60", "C"),
])
def test_rounding_is_half_up_at_the_boundaries(exact, rounded, grade):
    assert round_half_up(exact) == Decimal(rounded)
    assert grade_for(round_half_up(exact)).letter == grade


def test_the_grade_table_is_the_regulations(shared_app):
    from flask_babel import force_locale

    from kiosk.ikm.questionnaire import GRADE_NAMES

    with shared_app.test_request_context(), force_locale("id"):
        names = {letter: str(name) for letter, name in GRADE_NAMES.items()}
    assert [(g.letter, names[g.letter], str(g.converted_from), str(g.converted_to),
             str(g.unit_from), str(g.unit_to)) for g in GRADES] == [
        ("A", "Sangat Baik", "88.31", "100.00", "3.5324", "4.00"),
        ("B", "Baik", "76.61", "88.30", "3.0644", "3.532"),
        ("C", "Kurang Baik", "65.00", "76.60", "2.60", "3.064"),
        ("D", "Tidak Baik", "25.00", "64.99", "1.00", "2.5996"),
    ]


def test_no_respondents_give_no_index():
    result = compute_ikm([])
    assert (result.respondents, result.ikm, result.grade) == (0, None, None)


@pytest.mark.parametrize("bad", [(0,) + (3,) * 8, (5,) + (3,) * 8, (3,) * 8, (True,) * 9])
def test_an_answer_outside_one_to_four_is_refused(bad):
    with pytest.raises(ValueError):
        compute_ikm([bad])


def test_the_questionnaire_has_nine_unsur_with_four_answers_in_both_languages(shared_app):
    from flask_babel import force_locale

    from kiosk.ikm.questionnaire import elements

    with shared_app.test_request_context(), force_locale("id"):
        indonesian = elements()
    with shared_app.test_request_context(), force_locale("en"):
        english = elements()
    assert [e.key for e in indonesian] == [e.key for e in english] == list(ELEMENT_KEYS) \
        == [f"u{i}" for i in range(1, 10)]
    assert indonesian[0].answers[0] == (1, "Tidak sesuai")
    assert indonesian[3].answers[3] == (4, "Gratis")
    assert indonesian[8].name == "Penanganan pengaduan, saran dan masukan"
    assert english[0].answers[0] == (1, "Not suitable")
    assert english[4].answers[0] == (1, "Not matching")  # the same Indonesian, told apart
    for id_element, en_element in zip(indonesian, english, strict=True):
        assert len(id_element.answers) == len(en_element.answers) == 4
        assert en_element.question != id_element.question
        assert [text for _, text in en_element.answers] != \
            [text for _, text in id_element.answers]


@pytest.mark.parametrize(("population", "sample"), [
    (0, 0), (1, 1), (7, 7), (10, 10), (12, 12), (15, 14), (16, 16), (41, 40), (100, 80), (101, 86),
    (1000, 278), (2940, 341), (100000, 384), (5_000_000, 384),
])
def test_the_sample_table_asks_the_next_tabled_population_s_sample(population, sample):
    assert required_sample(population) == sample


def test_fewer_respondents_than_the_table_asks_are_not_representative():
    assert not is_representative(79, 100)
    assert is_representative(80, 100)
    assert not is_representative(0, 0)
