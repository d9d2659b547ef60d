"""Complaint forms for the kiosk and the phone. Their checks are the domain's
(services.complaints.filing), so every channel refuses the same input with the same words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from kiosk.complaints.labels import privacy_choices
from kiosk.messages import field_messages
from kiosk.notify_choice import NotifyChoiceForm
from services.complaints.filing import MAX_DESCRIPTION, MAX_LOCATION
from services.complaints.handling import MAX_TEXT
from services.errors import Message


def apply_errors(form: FlaskForm, errors: Mapping[str, Message]) -> None:
    """Show the domain's messages beside the fields they name."""
    for key, message in field_messages(errors).items():
        field = getattr(form, key, None)
        if field is not None:
            field.errors = [*field.errors, message] if isinstance(field.errors, list) \
                else [message]


class ComplaintTextForm(FlaskForm):
    description = TextAreaField(_l("Isi pengaduan (apa, di mana, kapan)"))
    location = StringField(_l("Lokasi kejadian (bila ada)"))

    def use_keyboard(self) -> None:
        """At a kiosk: the on-screen keyboard instead of the system's."""
        from kiosk.anjungan.forms import keyboard  # the kiosk package imports this module

        self.description.render_kw = {**keyboard("text", MAX_DESCRIPTION), "rows": 5}
        self.location.render_kw = keyboard("text", MAX_LOCATION)


class PrivacyForm(FlaskForm):
    privacy = RadioField(_l("Siapa yang boleh mengetahui identitas Anda?"), choices=[],
                         validate_choice=False)

    def offer(self, lang: str) -> None:
        self.privacy.choices = [SelectChoice(value, name) for value, name, _ in privacy_choices(lang)]
        self.privacy.explanations = {value: sentence for value, _, sentence in privacy_choices(lang)}


class ComplainantForm(NotifyChoiceForm):
    """Who complains (not asked when anonymous), and whether to tell them of the answer."""

    name = StringField(_l("Nama lengkap"))
    phone = StringField(_l("Nomor HP"))
    nik = StringField(_l("NIK (boleh dikosongkan)"))

    def use_keyboard(self) -> None:
        from kiosk.anjungan.forms import keyboard, nik_keyboard

        self.name.render_kw = keyboard("text", 120)
        self.phone.render_kw = keyboard("phone", 16)
        self.nik.render_kw = nik_keyboard()


class PhoneComplaintForm(ComplaintTextForm, PrivacyForm, ComplainantForm):
    """The whole complaint on one page, for a phone."""

    category = SelectField(_l("Kategori"), choices=[], validate_choice=False)


class LookupForm(FlaskForm):
    tracking_code = StringField(_l("Kode pengaduan"))
    pin = PasswordField(_l("PIN"))

    def use_keyboard(self) -> None:
        from kiosk.anjungan.forms import keyboard

        self.tracking_code.render_kw = keyboard("code", 14)
        self.pin.render_kw = keyboard("digits", 6)


class RatingForm(FlaskForm):
    rating = RadioField(_l("Nilai tanggapan (1 = sangat buruk, 5 = sangat baik)"),
                        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)], validate_choice=False)
    resolved = RadioField(_l("Apakah tanggapan ini menyelesaikan masalah Anda?"),
                          choices=[SelectChoice("ya", _l("Ya, selesai")),
                                   SelectChoice("tidak", _l("Belum selesai"))],
                          validate_choice=False)
    reason = TextAreaField(_l("Bila belum selesai, apa yang masih menjadi masalah?"))

    def use_keyboard(self) -> None:
        from kiosk.anjungan.forms import keyboard

        self.reason.render_kw = {**keyboard("text", MAX_TEXT), "rows": 3}

    def values(self) -> dict[str, Any] | None:
        """The rating and the answer to "resolved?", or None after noting what is missing."""
        rating = self.rating.data if self.rating.data in {str(n) for n in range(1, 6)} else None
        resolved = self.resolved.data if self.resolved.data in ("ya", "tidak") else None
        if rating is None:
            self.rating.errors = [_l("Pilih nilai 1 sampai 5.")]
        if resolved is None:
            self.resolved.errors = [_l("Pilih salah satu.")]
        if rating is None or resolved is None:
            return None
        return {"rating": int(rating), "resolved": resolved == "ya",
                "reason": (self.reason.data or "")[:MAX_TEXT]}
