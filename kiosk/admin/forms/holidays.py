"""The form for a public holiday."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from kiosk.admin.forms import options, text
from services.catalog.holidays import HolidayInput
from services.models import HolidayKind

KIND_LABELS = {HolidayKind.NATIONAL: _l("Libur nasional"),
               HolidayKind.CUTI_BERSAMA: _l("Cuti bersama"),
               HolidayKind.REGIONAL: _l("Libur daerah")}


class HolidayForm(FlaskForm):
    day = DateField(_l("Tanggal"), validators=[InputRequired()])
    name_id = StringField(_l("Nama (Indonesia)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Nama (Inggris)"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Jenis"), choices=options((k.value, label) for k, label in KIND_LABELS.items()),
                       coerce=HolidayKind, default=HolidayKind.NATIONAL.value)
    provisional = BooleanField(_l("Sementara (SKB tahun ini belum terbit)"))

    def to_input(self) -> HolidayInput:
        return HolidayInput(day=self.day.data, name_id=text(self.name_id),
                            name_en=text(self.name_en), kind=self.kind.data,
                            provisional=bool(self.provisional.data))
