"""Kiosk forms. A service's pages are built from the catalog's field definitions; every check
calls services.validation, so the kiosk, the API and the domain share one set of rules and
messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError

from kiosk.messages import say
from kiosk.notify_choice import NotifyChoiceForm
from services.answers import answer_as_typed
from services.conditions import NO, YES
from services.models import FieldType, FormField
from services.validation import (
    FieldInvalid,
    clean_answer,
    clean_in_order,
    clean_name,
    clean_nik,
    clean_phone,
    digit_count,
    field_message,
    is_shown,
    join_date_parts,
    shown_answers,
)

# Long answers live in the session cookie until submission: keep them within reason.
DEFAULT_MAX_LENGTH = 1000

# Which on-screen keyboard an input gets: "digits" is the number pad, "text" the letters (a
# date has three boxes on the number pad, see DatePartsField).
KEYBOARD_BY_TYPE = {
    FieldType.TEXT: "text", FieldType.LONG_TEXT: "text", FieldType.ADDRESS: "text",
    FieldType.NUMBER: "decimal", FieldType.RUPIAH: "digits",
    FieldType.NIK: "digits", FieldType.PHONE: "phone", FieldType.EMAIL: "email",
}


def keyboard(kind: str, maxlength: int, *, case: str = "upper") -> dict[str, Any]:
    """Attributes that give an input the on-screen keyboard instead of the system's. The
    letters start in capitals (names, reference numbers) or, with case="lower", in small
    letters (user names, passwords); the keyboard never changes case by itself."""
    return {"data-keyboard": kind, "maxlength": maxlength, "autocomplete": "off",
            "inputmode": "none", "spellcheck": "false", "autocapitalize": "off",
            "data-case": case}


def nik_keyboard() -> dict[str, Any]:
    """The number pad for a NIK, shown as 4-4-4-4 with a count of the digits typed."""
    return {**keyboard("digits", 19), "data-group": "4", "data-digits": "16",
            "data-count": _l("%(n)s dari 16 angka", n="{n}")}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Checked:
    """A WTForms validator that runs one of services.validation's checks; the cleaned value
    is kept on the field as ``cleaned``."""

    def __init__(self, check: Callable[[Any], Any], *, required: bool = True) -> None:
        self.check, self.required = check, required

    def __call__(self, form: FlaskForm, field: Field) -> None:
        field.cleaned = None
        if is_blank(field.data):
            if self.required:
                raise StopValidation(say(field_message("required")))
            raise StopValidation()  # optional and empty: nothing more to check
        try:
            field.cleaned = self.check(field.data)
        except FieldInvalid as invalid:
            raise ValidationError(say(invalid.message)) from invalid


class ShownIf:
    """Skip a field (no error, no answer) while its show-if condition does not hold."""

    def __init__(self, definition: FormField) -> None:
        self.definition = definition

    def __call__(self, form: PageForm, field: Field) -> None:
        if not is_shown(self.definition, form.current_answers()):
            field.hidden_by_condition = True
            raise StopValidation()


class IdentityForm(NotifyChoiceForm):
    nik = StringField(_l("NIK (16 angka, lihat KTP)"), render_kw=nik_keyboard())
    name = StringField(_l("Nama lengkap sesuai KTP"), render_kw=keyboard("text", 120))
    phone = StringField(_l("Nomor HP"), render_kw=keyboard("phone", 16))

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.word_consent("request", lang)
        self.nik.validators = [Checked(clean_nik)]
        self.name.validators = [Checked(clean_name)]
        self.phone.validators = [Checked(clean_phone)]


class PageForm(FlaskForm):
    """The base of the forms built for one page of a service; see build_page_form."""

    catalog_fields: list[FormField] = []
    earlier_answers: dict[str, Any] = {}
    today: date

    def current_answers(self) -> dict[str, Any]:
        """Earlier pages' cleaned answers with this page's that are shown and right, cleaned:
        what show-if is decided on."""
        typed = {f.key: self[f.key].data for f in self.catalog_fields}
        return clean_in_order(self.catalog_fields, typed, today=self.today,
                              earlier=self.earlier_answers)[0]

    def display_mode(self, field: FormField) -> str | dict[str, Any]:
        """'always', 'hidden' (an earlier page's answer hides it) or, for a condition on this
        page, the condition itself for the page's script to follow as the citizen answers."""
        if not field.show_if:
            return "always"
        on_page = {f.key: f for f in self.catalog_fields}
        if field.show_if["field"] in on_page:
            return {**field.show_if, "kind": script_kind(on_page[field.show_if["field"]])}
        return "always" if is_shown(field, self.earlier_answers) else "hidden"

    def visible_answers(self) -> dict[str, Any]:
        """After validation: this page's cleaned answers, None for a field hidden or empty."""
        answers = self.current_answers()
        return {f.key: answers.get(f.key) for f in self.catalog_fields}


def script_kind(field: FormField) -> str:
    """How the page's script cleans this field's answer before a show-if looks at it, as
    clean_answer does: "whole" (rupiah, integers), "number", "yes_no" or "text"."""
    if field.type is FieldType.RUPIAH or (
            field.type is FieldType.NUMBER and (field.constraints or {}).get("integer")):
        return "whole"
    if field.type is FieldType.NUMBER:
        return "number"
    return "yes_no" if field.type is FieldType.YES_NO else "text"


def typed_answers(fields: list[FormField], answers: Mapping[str, Any]) -> dict[str, str]:
    """A draft's cleaned answers back in the form's inputs."""
    return {f.key: answer_as_typed(f, answers[f.key]) for f in fields if f.key in answers}


def answer_checker(field: FormField, today: date) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        return clean_answer(field, value, today=today)
    return check


def wtforms_field(field: FormField, lang: str, today: date) -> Field:
    """The WTForms field for one catalog field, with its show-if and its checks."""
    validators: list[Any] = []
    if field.show_if:
        validators.append(ShownIf(field))
    validators.append(Checked(answer_checker(field, today), required=field.required))
    options = {"label": field.label(lang), "description": field.help(lang),
               "validators": validators}
    if field.type is FieldType.CHOICE:
        choices = [SelectChoice(c["value"], c["label_en"] if lang == "en" else c["label_id"])
                   for c in field.choices]
        return RadioField(choices=choices, validate_choice=False, **options)
    if field.type is FieldType.YES_NO:
        choices = [SelectChoice(YES, "Yes" if lang == "en" else "Ya"),
                   SelectChoice(NO, "No" if lang == "en" else "Tidak")]
        return RadioField(choices=choices, validate_choice=False, **options)
    if field.type is FieldType.DATE:
        validators.insert(-1, DatePartsChecked())
        return DatePartsField(**options)
    if field.type is FieldType.NIK:
        return StringField(render_kw=nik_keyboard(), **options)
    constraints = field.constraints or {}
    limit = constraints.get("max_length", DEFAULT_MAX_LENGTH)
    render_kw = keyboard(KEYBOARD_BY_TYPE[field.type], limit)
    digits = digit_count(constraints.get("pattern", ""))
    if digits and field.type is FieldType.TEXT:
        # KK number, KBLI, NPWP: digits only, so the number pad and no more than it asks for.
        render_kw = keyboard("digits", int(digits.split("-")[-1]))
    if field.type in (FieldType.LONG_TEXT, FieldType.ADDRESS):
        return TextAreaField(render_kw={**render_kw, "rows": 3}, **options)
    return StringField(render_kw=render_kw, **options)


DATE_PARTS = ("day", "month", "year")


def split_date(text: str) -> list[str]:
    """A stored date ("05-08-1990" or "1990-08-05") back in its three boxes."""
    parts = str(text or "").replace("/", "-").split("-")
    if len(parts) != 3:
        return ["", "", ""]
    return parts[::-1] if len(parts[0]) == 4 else parts


class DatePartsField(Field):
    """A date typed in three boxes, Tanggal, Bulan, Tahun, each on the number pad (the GOV.UK
    date input). ``data`` is "DD-MM-YYYY" for the domain's checks; a box that is wrong is kept
    in ``part_problem`` to be named in the error."""

    parts: list[str]
    part_problem: FieldInvalid | None = None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.part_problem = None
        names = [f"{self.name}-{part}" for part in DATE_PARTS]
        if formdata is not None and any(name in formdata for name in names):
            self.parts = [str(formdata.get(name, "")).strip() for name in names]
            if not any(self.parts):
                self.data = ""
                return
            try:
                self.data = join_date_parts(*self.parts)
            except FieldInvalid as problem:
                self.part_problem, self.data = problem, "-".join(self.parts)
            return
        if formdata is not None and self.name in formdata:  # one box, as before the three
            data = formdata.get(self.name)
        self.data = "" if data is None or data is unset_value else str(data)
        self.parts = split_date(self.data)

    def _value(self) -> str:
        return str(self.data or "")


class DatePartsChecked:
    """Name the box that is wrong ("Bulan harus antara 1 dan 12") before the date's own rules."""

    def __call__(self, form: FlaskForm, field: DatePartsField) -> None:
        if field.part_problem is not None:
            raise StopValidation(say(field.part_problem.message))


def build_page_form(fields: list[FormField], page: int, lang: str, *,
                    earlier_answers: Mapping[str, Any], today: date) -> type[PageForm]:
    """A form class holding one page's fields in their order."""
    on_page = [f for f in fields if f.page == page]
    attributes: dict[str, Any] = {
        "catalog_fields": on_page,
        "earlier_answers": {k: v for k, v in shown_answers(fields, earlier_answers).items()
                            if k not in {f.key for f in on_page}},
        "today": today,
    }
    for field in on_page:
        attributes[field.key] = wtforms_field(field, lang, today)
    return type("ServicePageForm", (PageForm,), attributes)


def form_pages(fields: list[FormField]) -> list[int]:
    """The page numbers a service's form uses, in order."""
    return sorted({f.page for f in fields})


class LookupForm(FlaskForm):
    tracking_code = StringField(_l("Kode pelacakan"), render_kw=keyboard("code", 14))
    pin = PasswordField(_l("PIN (6 angka)"), render_kw=keyboard("digits", 6))


class SupplyForm(FlaskForm):
    """The information a clerk asked for, as a note (answers are corrected at the counter)."""

    note = TextAreaField(_l("Informasi untuk petugas"),
                         render_kw={**keyboard("text", 1000), "rows": 4})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.note.validators = [Checked(str.strip)]


class OfficerForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), render_kw=keyboard("text", 60, case="lower"))
    password = PasswordField(_l("Kata sandi"), render_kw=keyboard("text", 200, case="lower"))


class EnrolForm(FlaskForm):
    token = PasswordField(_l("Token perangkat kiosk"),
                          render_kw={"autocomplete": "off", "spellcheck": "false"})
