"""The form for a public holiday."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from kiosk.admin.forms import text
from services.catalog.holidays import HolidayInput


class HolidayForm(FlaskForm):
    day = DateField(_l("Tanggal"), validators=[InputRequired()])
    name_id = StringField(_l("Nama (Indonesia)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Nama (Inggris)"), validators=[DataRequired(), Length(max=200)])

    def to_input(self) -> HolidayInput:
        return HolidayInput(day=self.day.data, name_id=text(self.name_id),
                            name_en=text(self.name_en))
