# ruff: noqa: F811  (fixtures imported from tests.browser are test parameters here)
"""The kiosk's script decides a show-if on the same page as the server does: it cleans the
answer as services.validation does and reads numbers as services.numbers does."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from kiosk.anjungan.forms import script_kind
from services.conditions import OPERATORS, condition_holds
from services.models import FieldType, FormField
from services.numbers import format_indonesian_number
from services.validation import FieldInvalid, clean_answer
from tests.browser import browser, live_server, portrait_page  # noqa: F401
from tests.builders.kiosk import NIK, PHONE, make_catalog, make_kiosk
from tests.test_kiosk_answers import aid_service
from tests.test_kiosk_browser import enrol

pytestmark = pytest.mark.browser

TODAY = date(2026, 12, 7)
CHOICES = [{"value": v, "label_id": v, "label_en": v} for v in ("a", "b", "12")]


@pytest.fixture
def aid_kiosk(app, session):
    make_catalog(session, aid_service(reason_page=1))
    make_kiosk(session)
    session.close()


def answered_field(kind: FieldType, **constraints) -> FormField:
    return FormField(key="x", type=kind, label_id="x", label_en="x", required=True,
                     constraints=constraints, choices=CHOICES, page=1, show_if=None)


FIELDS = [answered_field(FieldType.NUMBER), answered_field(FieldType.NUMBER, integer=True),
          answered_field(FieldType.RUPIAH), answered_field(FieldType.YES_NO),
          answered_field(FieldType.TEXT), answered_field(FieldType.CHOICE)]

numbers = st.one_of(st.integers(-10**9, 10**9),
                    st.decimals(-10**6, 10**6, places=3, allow_nan=False, allow_infinity=False))
written_numbers = st.builds(
    lambda n, prefix, spaced: prefix + (" " if spaced else "") + format_indonesian_number(n),
    numbers, st.sampled_from(["", "Rp", "rp"]), st.booleans())
scribbles = st.text(alphabet="0123456789.,- Rpabyt", max_size=12)
words = st.sampled_from(["ya", "tidak", "Ya", " yes", "no", "1", "0", "a", "b", "12", ""])
values = st.one_of(st.integers(-10**7, 10**7), st.booleans(), words,
                   st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False))


@st.composite
def cases(draw):
    field = draw(st.sampled_from(FIELDS))
    if field.type is FieldType.CHOICE:  # a radio button's value is always one of them
        raw = draw(st.sampled_from([c["value"] for c in CHOICES]))
    else:
        raw = draw(st.one_of(written_numbers, scribbles, words))
    op = draw(st.sampled_from(OPERATORS))
    if op in ("gt", "gte", "lt", "lte"):
        value = draw(st.one_of(st.integers(-10**7, 10**7),
                               st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False)))
    elif op in ("in", "not_in"):
        value = draw(st.lists(values, max_size=3))
    else:
        value = draw(values)
    return field, raw, {"field": "x", "op": op, "value": value}


def server_decides(field, raw, condition) -> bool:
    try:
        cleaned = clean_answer(field, raw, today=TODAY) if raw.strip() else None
    except FieldInvalid:
        cleaned = None
    return condition_holds(condition, {} if cleaned is None else {"x": cleaned})


def test_the_kiosk_script_decides_show_if_as_the_server_does(live_server, portrait_page,
                                                              aid_kiosk):
    page, server = portrait_page, live_server
    enrol(page, server)
    page.goto(f"{server.url}/kiosk/service/BANTUAN")
    page.tap("#start")
    page.fill("#nik", NIK)
    page.fill("#name", "SITI RAHAYU")
    page.fill("#phone", PHONE)
    page.tap("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kiosk/apply/page/1$"))
    reason = page.locator("#reason-field")
    for written, shown in (("12.500", True), ("9.999", False), ("12.5", False),
                           ("Rp 10.001", True), ("10000", False)):
        page.fill("#income", written)
        (expect(reason).to_be_visible if shown else expect(reason).to_be_hidden)()

    @settings(max_examples=30, deadline=None, database=None)
    @given(st.lists(cases(), min_size=30, max_size=30))
    def agree(drawn):
        decided = page.evaluate(
            "cases => cases.map(c => window.kioskShowIf.holds("
            "c.condition, window.kioskShowIf.clean(c.kind, c.raw)))",
            [{"kind": script_kind(field), "raw": raw, "condition": condition}
             for field, raw, condition in drawn])
        expected = [server_decides(*case) for case in drawn]
        assert decided == expected, [
            (field.type, raw, condition) for (field, raw, condition), js, py
            in zip(drawn, decided, expected, strict=True) if js != py]

    agree()
