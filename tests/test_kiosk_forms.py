"""Forms built from the catalog's field definitions: fields, checks and show-if."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, StringField, TextAreaField

from kiosk.kiosk_ui.forms import build_page_form, display_answer, form_pages
from services.models import FieldType, FormField

TODAY = date(2026, 11, 25)


def field(key, type=FieldType.TEXT, page=1, **extra):
    values = {"key": key, "type": type, "label_id": f"Label {key}", "label_en": f"{key} label",
              "help_id": "", "help_en": "", "required": True, "constraints": {}, "choices": [],
              "page": page, "show_if": None, **extra}
    return FormField(**values)


FIELDS = [
    field("name", constraints={"max_length": 10}),
    field("kind", FieldType.CHOICE, choices=[
        {"value": "a", "label_id": "Pilihan A", "label_en": "Choice A"},
        {"value": "b", "label_id": "Pilihan B", "label_en": "Choice B"}]),
    field("detail", FieldType.LONG_TEXT, show_if={"field": "kind", "op": "eq", "value": "b"}),
    field("owner_nik", FieldType.NIK, page=2),
    field("has_permit", FieldType.YES_NO, page=2),
    field("permit_no", page=2, show_if={"field": "has_permit", "op": "eq", "value": True}),
    field("area", FieldType.NUMBER, page=3, constraints={"min": 1, "max": 100}),
    field("big_area_note", page=3, show_if={"field": "kind", "op": "eq", "value": "b"}),
    field("since", FieldType.DATE, page=3, required=False, constraints={"not_future": True}),
]


@pytest.fixture
def context(app):
    with app.test_request_context("/kiosk/apply/page/1", method="POST"):
        yield


def page_form(page, data, lang="id", earlier=None):
    form_class = build_page_form(FIELDS, page, lang, earlier_answers=earlier or {}, today=TODAY)
    return form_class(formdata=MultiDict(data))


def test_each_page_holds_its_fields_in_order_with_the_right_kind(context):
    form = page_form(1, {})
    assert [f.name for f in form if f.name != "csrf_token"] == ["name", "kind", "detail"]
    assert isinstance(form.name, StringField) and isinstance(form.kind, RadioField)
    assert isinstance(form.detail, TextAreaField)
    assert form.name.render_kw["maxlength"] == 10
    assert form.name.render_kw["data-keyboard"] == "text"
    assert [c.label for c in form.kind.choices] == ["Pilihan A", "Pilihan B"]
    assert form_pages(FIELDS) == [1, 2, 3]


def test_labels_and_choices_follow_the_language(context):
    form = page_form(1, {}, lang="en")
    assert form.name.label.text == "name label"
    assert [c.label for c in form.kind.choices] == ["Choice A", "Choice B"]
    assert [c.label for c in page_form(2, {}, lang="en").has_permit.choices] == ["Yes", "No"]


def test_a_field_hidden_by_its_condition_on_the_same_page_is_not_required(context):
    form = page_form(1, {"name": "Budi", "kind": "a"})
    assert form.validate(), form.errors
    assert form.visible_answers() == {"name": "Budi", "kind": "a", "detail": None}
    assert form.display_mode(FIELDS[2]) == {"field": "kind", "op": "eq", "value": "b"}


def test_a_field_shown_by_its_condition_is_required_and_kept(context):
    form = page_form(1, {"name": "Budi", "kind": "b"})
    assert not form.validate()
    assert form.errors == {"detail": ["Wajib diisi."]}
    form = page_form(1, {"name": "Budi", "kind": "b", "detail": "Rumah dua lantai"})
    assert form.validate()
    assert form.visible_answers()["detail"] == "Rumah dua lantai"


def test_a_yes_shows_the_field_that_asks_for_a_yes(context):
    with force_locale("en"):  # an English page: the form and its messages speak English
        form = page_form(2, {"owner_nik": "3578014506900001", "has_permit": "ya"}, lang="en")
        assert not form.validate()
    assert form.errors == {"permit_no": ["This is required."]}
    hidden = page_form(2, {"owner_nik": "3578014506900001", "has_permit": "tidak",
                           "permit_no": "left over"})
    assert hidden.validate()
    assert hidden.visible_answers()["permit_no"] is None


def test_a_condition_on_an_earlier_page_is_decided_on_the_server(context):
    shown = page_form(3, {"area": "5"}, earlier={"kind": "b"})
    assert shown.display_mode(FIELDS[7]) == "always"
    assert not shown.validate() and "big_area_note" in shown.errors
    hidden = page_form(3, {"area": "5"}, earlier={"kind": "a"})
    assert hidden.display_mode(FIELDS[7]) == "hidden"
    assert hidden.validate()


def test_the_domain_checks_give_the_messages(context):
    form = page_form(2, {"owner_nik": "3578014506900000", "has_permit": "mungkin"})
    assert not form.validate()
    assert form.errors == {"owner_nik": ["Nomor urut NIK (4 angka terakhir) tidak boleh 0000."],
                           "has_permit": ["Pilih Ya atau Tidak."]}
    with force_locale("en"):
        form = page_form(3, {"area": "101", "big_area_note": "x", "since": "01-01-2027"},
                         earlier={"kind": "b"}, lang="en")
        assert not form.validate()
    assert form.errors == {"area": ["At most 100."], "since": ["The date cannot be in the future."]}


def test_a_date_asks_for_day_month_year_on_the_number_pad(context):
    since = page_form(3, {}, lang="en").since
    assert since.render_kw["data-keyboard"] == "date"
    assert since.render_kw["placeholder"] == "DD-MM-YYYY"


def test_an_optional_empty_field_passes(context):
    form = page_form(3, {"area": "12,5"}, earlier={"kind": "a"})
    assert form.validate()
    assert form.visible_answers()["since"] is None


def test_answers_read_back_in_the_citizens_words():
    assert display_answer(FIELDS[1], "b", "en") == "Choice B"
    assert display_answer(FIELDS[4], "ya", "id") == "Ya"
    assert display_answer(FIELDS[4], "tidak", "en") == "No"
    assert display_answer(FIELDS[0], "Budi", "id") == "Budi"
    income = field("income", FieldType.RUPIAH)
    assert display_answer(income, "1500000", "id") == "Rp 1.500.000"
