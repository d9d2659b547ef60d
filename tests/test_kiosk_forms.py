"""Forms built from the catalog's field definitions: fields, checks and show-if."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, StringField, TextAreaField

from kiosk.anjungan.forms import build_page_form, form_pages, typed_answers
from services.answers import display_answer
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
    assert form.display_mode(FIELDS[2]) == {"field": "kind", "op": "eq", "value": "b",
                                            "kind": "text"}


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
    assert form.errors == {"owner_nik": ["NIK tidak dikenal. Periksa lagi 16 angka di KTP-el "
                                         "atau KK Anda."],
                           "has_permit": ["Pilih Ya atau Tidak."]}
    with force_locale("en"):
        form = page_form(3, {"area": "101", "big_area_note": "x", "since": "01-01-2027"},
                         earlier={"kind": "b"}, lang="en")
        assert not form.validate()
    assert form.errors == {"area": ["At most 100."],
                           "since": ["The date must be in the past, not after today."]}


def test_a_date_is_typed_in_three_boxes_and_the_wrong_box_is_named(context):
    since = page_form(3, {"since-day": "17", "since-month": "8", "since-year": "1990"}).since
    assert since.data == "17-08-1990" and since.parts == ["17", "8", "1990"]
    for parts, message in [
        (("17", "13", "1990"), "Bulan harus antara 1 dan 12."),
        (("32", "1", "1990"), "Tanggal harus antara 1 dan 31."),
        (("17", "8", "90"), "Tahun harus 4 angka, misalnya 1990."),
        (("17", "", "1990"), "Isi tanggal, bulan dan tahun."),
        (("31", "2", "1990"), "Tanggal ini tidak ada di kalender. Periksa tanggal dan bulannya."),
        (("1", "1", "2027"), "Tanggal harus di masa lalu, tidak setelah hari ini."),
    ]:
        form = page_form(3, {"area": "5", "since-day": parts[0], "since-month": parts[1],
                             "since-year": parts[2]}, earlier={"kind": "a"})
        assert not form.validate()
        assert form.errors == {"since": [message]}, parts
    with force_locale("en"):
        english = page_form(3, {"area": "5", "since-day": "1", "since-month": "13",
                                "since-year": "1990"}, earlier={"kind": "a"}, lang="en")
        assert not english.validate()
    assert english.errors == {"since": ["The month must be between 1 and 12."]}


def test_a_stored_date_goes_back_into_its_three_boxes(context):
    form_class = build_page_form(FIELDS, 3, "id", earlier_answers={}, today=TODAY)
    assert form_class(formdata=None, data={"since": "05-08-1990"}).since.parts == ["05", "08", "1990"]
    assert form_class(formdata=None, data={"since": "1990-08-05"}).since.parts == ["05", "08", "1990"]


def test_digits_only_fields_get_the_number_pad_and_say_how_many_digits(context):
    fields = [field("kbli", constraints={"pattern": "^[0-9]{5}$"}),
              field("npwp", constraints={"pattern": "^[0-9]{15,16}$"}),
              field("rt_rw", constraints={"pattern": "^[0-9]{1,3}/[0-9]{1,3}$"})]
    form_class = build_page_form(fields, 1, "id", earlier_answers={}, today=TODAY)
    form = form_class(formdata=MultiDict({"kbli": "123", "npwp": "12.3", "rt_rw": "x"}))
    assert form.kbli.render_kw["data-keyboard"] == "digits" and form.kbli.render_kw["maxlength"] == 5
    assert form.npwp.render_kw["data-keyboard"] == "digits"
    assert form.rt_rw.render_kw["data-keyboard"] == "text"
    assert not form.validate()
    assert form.errors == {"kbli": ["Isi 5 angka."], "npwp": ["Isi 15-16 angka."],
                           "rt_rw": ["Format tidak sesuai."]}


def test_names_start_in_capitals_and_sign_in_words_in_small_letters(context):
    from kiosk.anjungan.forms import IdentityForm, OfficerForm

    identity = IdentityForm("id")
    assert identity.name.render_kw["data-case"] == "upper"
    assert identity.nik.render_kw["data-group"] == "4"
    officer = OfficerForm()
    assert officer.username.render_kw["data-case"] == "lower"
    assert officer.password.render_kw["data-case"] == "lower"


def test_an_optional_empty_field_passes(context):
    form = page_form(3, {"area": "12,5"}, earlier={"kind": "a"})
    assert form.validate()
    assert form.visible_answers()["since"] is None


def test_answers_read_back_in_the_citizens_words():
    assert display_answer(FIELDS[1], "b", "en") == "Choice B"
    assert display_answer(FIELDS[4], True, "id") == "Ya"
    assert display_answer(FIELDS[4], False, "en") == "No"
    assert display_answer(FIELDS[0], "Budi", "id") == "Budi"
    income = field("income", FieldType.RUPIAH)
    assert display_answer(income, 1500000, "id") == "Rp1.500.000"
    assert display_answer(FIELDS[6], 12.5, "id") == "12,5"
    assert display_answer(FIELDS[8], "1990-08-05", "id") == "05-08-1990"


def test_a_page_keeps_its_answers_cleaned_and_shows_them_as_written(context):
    form = page_form(3, {"area": "12,5", "since-day": "5", "since-month": "8",
                         "since-year": "1990"}, earlier={"kind": "a"})
    assert form.validate(), form.errors
    assert form.visible_answers() == {"area": 12.5, "big_area_note": None,
                                      "since": "1990-08-05"}
    shown = page_form(3, {}, earlier={"kind": "a"})
    again = type(shown)(data=typed_answers(FIELDS, {"area": 12.5, "since": "1990-08-05"}))
    assert again.area.data == "12,5" and again.since.parts == ["05", "08", "1990"]
