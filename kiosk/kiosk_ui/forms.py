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
from wtforms.validators import StopValidation, ValidationError

from kiosk.messages import say
from services.conditions import condition_holds
from services.formatting import rupiah as format_rupiah
from services.models import FieldType, FormField
from services.outbox.wording import CONSENT_VERSION, CONSENT_WORDING
from services.validation import (
    FieldInvalid,
    clean_answer,
    clean_name,
    clean_nik,
    clean_phone,
    field_message,
)

YES, NO = "ya", "tidak"
# Long answers live in the session cookie until submission: keep them within reason.
DEFAULT_MAX_LENGTH = 1000

# Which on-screen keyboard an input gets: "digits" is the number pad, "text" the letters.
KEYBOARD_BY_TYPE = {
    FieldType.TEXT: "text", FieldType.LONG_TEXT: "text", FieldType.ADDRESS: "text",
    FieldType.NUMBER: "decimal", FieldType.RUPIAH: "digits", FieldType.DATE: "date",
    FieldType.NIK: "digits", FieldType.PHONE: "phone", FieldType.EMAIL: "email",
}


def keyboard(kind: str, maxlength: int) -> dict[str, Any]:
    """Attributes that give an input the on-screen keyboard instead of the system's."""
    return {"data-keyboard": kind, "maxlength": maxlength, "autocomplete": "off",
            "inputmode": "none", "spellcheck": "false"}


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

    def __init__(self, condition: Mapping[str, Any]) -> None:
        self.condition = condition

    def __call__(self, form: PageForm, field: Field) -> None:
        if not condition_holds(self.condition, form.current_answers()):
            field.hidden_by_condition = True
            raise StopValidation()


class IdentityForm(FlaskForm):
    nik = StringField(_l("NIK (16 angka, lihat KTP)"), render_kw=keyboard("digits", 16))
    name = StringField(_l("Nama lengkap sesuai KTP"), render_kw=keyboard("text", 120))
    phone = StringField(_l("Nomor HP"), render_kw=keyboard("phone", 16))
    # Consent to be told of progress (UU PDP): nothing is sent unless the citizen picks one.
    notify = RadioField(_l("Kirim kabar lewat"), default="none", choices=[
        SelectChoice("whatsapp", "WhatsApp"), SelectChoice("sms", "SMS"),
        SelectChoice("none", _l("Tidak usah"))])

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.notify.description = CONSENT_WORDING[CONSENT_VERSION]["en" if lang == "en" else "id"]
        self.nik.validators = [Checked(clean_nik)]
        self.name.validators = [Checked(clean_name)]
        self.phone.validators = [Checked(clean_phone)]


class PageForm(FlaskForm):
    """The base of the forms built for one page of a service; see build_page_form."""

    catalog_fields: list[FormField] = []
    earlier_answers: dict[str, Any] = {}

    def current_answers(self) -> dict[str, Any]:
        """Earlier pages' answers with this page's, for show-if conditions."""
        return {**self.earlier_answers,
                **{f.key: self[f.key].data for f in self.catalog_fields
                   if not is_blank(self[f.key].data)}}

    def display_mode(self, field: FormField) -> str | dict[str, Any]:
        """'always', 'hidden' (an earlier page's answer hides it) or, for a condition on this
        page, the condition itself for the page's script to follow as the citizen answers."""
        if not field.show_if:
            return "always"
        if field.show_if["field"] in {f.key for f in self.catalog_fields}:
            return dict(field.show_if)
        return "always" if condition_holds(field.show_if, self.earlier_answers) else "hidden"

    def visible_answers(self) -> dict[str, str | None]:
        """After validation: this page's answers, None for a field its condition hides."""
        shown = self.current_answers()
        return {f.key: (None if not condition_holds(f.show_if, shown) or is_blank(self[f.key].data)
                        else str(self[f.key].data).strip())
                for f in self.catalog_fields}


def answer_checker(field: FormField, today: date) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        return clean_answer(field, value, today=today)
    return check


def wtforms_field(field: FormField, lang: str, today: date) -> Field:
    """The WTForms field for one catalog field, with its show-if and its checks."""
    validators: list[Any] = []
    if field.show_if:
        validators.append(ShownIf(field.show_if))
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
    limit = (field.constraints or {}).get("max_length", DEFAULT_MAX_LENGTH)
    render_kw = keyboard(KEYBOARD_BY_TYPE[field.type], limit)
    if field.type is FieldType.DATE:
        render_kw["placeholder"] = "DD-MM-YYYY" if lang == "en" else "HH-BB-TTTT"
        render_kw["maxlength"] = 10
    if field.type in (FieldType.LONG_TEXT, FieldType.ADDRESS):
        return TextAreaField(render_kw={**render_kw, "rows": 3}, **options)
    return StringField(render_kw=render_kw, **options)


def build_page_form(fields: list[FormField], page: int, lang: str, *,
                    earlier_answers: Mapping[str, Any], today: date) -> type[PageForm]:
    """A form class holding one page's fields in their order."""
    on_page = [f for f in fields if f.page == page]
    attributes: dict[str, Any] = {
        "catalog_fields": on_page,
        "earlier_answers": {k: v for k, v in earlier_answers.items()
                            if k not in {f.key for f in on_page}},
    }
    for field in on_page:
        attributes[field.key] = wtforms_field(field, lang, today)
    return type("ServicePageForm", (PageForm,), attributes)


def form_pages(fields: list[FormField]) -> list[int]:
    """The page numbers a service's form uses, in order."""
    return sorted({f.page for f in fields})


def display_answer(field: FormField, raw: Any, lang: str) -> str:
    """An answer as the citizen should read it back on the check page."""
    if field.type is FieldType.CHOICE:
        for choice in field.choices:
            if choice["value"] == raw:
                return choice["label_en"] if lang == "en" else choice["label_id"]
    if field.type is FieldType.YES_NO:
        yes = str(raw).lower() in (YES, "yes", "true", "1")
        return ("Yes" if yes else "No") if lang == "en" else ("Ya" if yes else "Tidak")
    if field.type is FieldType.RUPIAH:
        try:
            return format_rupiah(clean_answer(field, raw, today=date.today()))
        except FieldInvalid:
            return str(raw)
    return str(raw)


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
    username = StringField(_l("Nama pengguna"), render_kw=keyboard("text", 60))
    password = PasswordField(_l("Kata sandi"), render_kw=keyboard("text", 200))


class EnrolForm(FlaskForm):
    token = PasswordField(_l("Token perangkat kiosk"),
                          render_kw={"autocomplete": "off", "spellcheck": "false"})
