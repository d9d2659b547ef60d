"""The forms of a standard's management components, its SK penetapan and its consultations."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from kiosk.admin.forms import bilingual, text

# The texts this form edits, with their Pasal 21 names.
MANAGEMENT_LABELS = {
    "facilities": _l("Sarana, prasarana, dan/atau fasilitas"),
    "competence": _l("Kompetensi pelaksana"),
    "supervision": _l("Pengawasan internal"),
    "staffing": _l("Jumlah pelaksana"),
    "guarantee": _l("Jaminan pelayanan"),
    "safety": _l("Jaminan keamanan dan keselamatan pelayanan"),
    "evaluation": _l("Evaluasi kinerja pelaksana"),
}


class ManagementForm(FlaskForm):
    """The components of managing a service (PermenPANRB 15/2014) and its SK penetapan."""

    decree_number = StringField(_l("Nomor SK penetapan"), validators=[Length(max=120)])
    decree_date = DateField(_l("Tanggal SK penetapan"), validators=[Optional()])

    def fill(self, definition: dict[str, Any]) -> None:
        for name in MANAGEMENT_LABELS:
            for lang in ("id", "en"):
                getattr(self, f"{name}_{lang}").data = (definition.get(name) or {}).get(lang, "")
        penetapan = definition.get("penetapan") or {}
        self.decree_number.data = penetapan.get("number", "")
        self.decree_date.data = penetapan.get("date")

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: bilingual(self, name) for name in MANAGEMENT_LABELS}
        number = text(self.decree_number)
        values["penetapan"] = ({"number": number, "date": self.decree_date.data}
                               if number or self.decree_date.data else None)
        return values


for _name, _label in MANAGEMENT_LABELS.items():
    setattr(ManagementForm, f"{_name}_id", TextAreaField(_label, validators=[Length(max=4000)]))
    setattr(ManagementForm, f"{_name}_en", TextAreaField(_l("%(label)s (Inggris)", label=_label),
                                                         validators=[Length(max=4000)]))


class ConsultationForm(FlaskForm):
    """A public consultation held on the standard (UU 25/2009 Pasal 20)."""

    held_on = DateField(_l("Tanggal konsultasi"), validators=[InputRequired()])
    participants = StringField(_l("Peserta"), validators=[DataRequired(), Length(max=500)])
    summary = TextAreaField(_l("Ringkasan hasil"), validators=[DataRequired(), Length(max=4000)])

    def entry(self) -> dict[str, Any]:
        return {"date": self.held_on.data, "participants": text(self.participants),
                "summary": text(self.summary)}
