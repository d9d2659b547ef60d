"""The form for an agency (instansi)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from kiosk.admin.forms import options, text
from services.catalog.agencies import AgencyInput
from services.models import AgencyKind


class AgencyForm(FlaskForm):
    code = StringField(_l("Kode"), validators=[DataRequired(), Length(max=40)])
    kind = SelectField(_l("Jenis"), choices=options((k.value, k.value.title()) for k in AgencyKind))
    name_id = StringField(_l("Nama (Indonesia)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Nama (Inggris)"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Alamat"), validators=[Length(max=300)])
    phone = StringField(_l("Telepon"), validators=[Length(max=40)])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=120)])
    office_hours = StringField(_l("Jam layanan"), validators=[Length(max=200)])
    active = BooleanField(_l("Aktif"), default=True)

    def to_input(self) -> AgencyInput:
        return AgencyInput(
            code=text(self.code).upper(), kind=AgencyKind(self.kind.data),
            name_id=text(self.name_id), name_en=text(self.name_en),
            address=text(self.address), phone=text(self.phone),
            email=text(self.email), office_hours=text(self.office_hours),
            active=self.active.data,
        )
