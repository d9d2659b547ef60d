"""Administrators' field patterns run with RE2, a linear-time engine, and a pattern it cannot
compile is refused when saved (issue 28, item 8: `(a+)+b` took 0.64 s on 24 characters and
about four times as long for every two more)."""

from __future__ import annotations

import pytest

from services.models import FieldType, FormField
from services.patterns import ENGINE, compile_pattern, matches_whole, pattern_refusal
from services.validation import FieldInvalid, clean_answer

NESTED = "(a+)+b"


def test_a_nested_quantifier_compiles_with_re2_and_answers_a_long_input():
    compiled = compile_pattern(NESTED)
    assert ENGINE == "re2" and type(compiled).__module__.split(".")[0] == "re2"
    assert pattern_refusal(NESTED) is None
    # With backtracking this input would take longer than the universe has existed.
    assert not matches_whole(NESTED, "a" * 5000 + "c")
    assert matches_whole(NESTED, "a" * 5000 + "b")


def test_the_answer_check_runs_the_pattern_with_re2():
    field = FormField(key="kode", type=FieldType.TEXT, constraints={"pattern": NESTED})
    compile_pattern.cache_clear()
    with pytest.raises(FieldInvalid) as refused:
        clean_answer(field, "a" * 40 + "c", today=None)
    assert refused.value.key == "pattern"
    assert compile_pattern.cache_info().currsize == 1  # RE2 compiled it; re never saw it
    assert clean_answer(field, "aaab", today=None) == "aaab"


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=\d)\d+", r"(?<!x)y", r"(?P<x>a)(?P=x)"])
def test_patterns_re2_cannot_run_are_refused(pattern):
    assert pattern_refusal(pattern)


def test_the_admin_cannot_save_a_pattern_re2_cannot_run(admin_client):
    from tests.builders.admin import refused_new_field

    page = refused_new_field(admin_client, "SKTM", key="kode_pos", type="text",
                             label_id="Kode pos", label_en="Postcode", pattern=r"(\d)\1{4}")
    assert 'id="pattern-error"' in page and "RE2" in page


def test_the_admin_saves_a_nested_quantifier_which_re2_runs_safely(admin_client):
    response = admin_client.post("/admin/services/SKTM/fields/new", data={
        "page": "1", "show_if_field": "", "show_if_op": "eq", "key": "kode", "type": "text",
        "label_id": "Kode", "label_en": "Code", "pattern": NESTED})
    assert response.status_code == 302
