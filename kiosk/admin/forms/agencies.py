"""The form for an agency (instansi)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
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
    work_week = SelectField(_l("Hari kerja"), choices=options([
        ("", _l("Seperti kota (Senin-Jumat)")), ("mon-fri", _l("Senin-Jumat")),
        ("mon-sat", _l("Senin-Sabtu (layanan hari Sabtu, misalnya di MPP)"))]), default="")
    counts_cuti_bersama = BooleanField(_l("Cuti bersama dihitung hari kerja untuk batas waktu "
                                          "layanan (instansi tetap melayani)"))
    maklumat_id = TextAreaField(_l("Maklumat Pelayanan (Indonesia)"),
                                validators=[Length(max=4000)])
    maklumat_en = TextAreaField(_l("Maklumat Pelayanan (Inggris)"), validators=[Length(max=4000)])
    maklumat_signer = StringField(_l("Penandatangan maklumat"), validators=[Length(max=200)])
    maklumat_date = DateField(_l("Tanggal maklumat"), validators=[Optional()])

    def to_input(self) -> AgencyInput:
        return AgencyInput(
            code=text(self.code).upper(), kind=AgencyKind(self.kind.data),
            name_id=text(self.name_id), name_en=text(self.name_en),
            address=text(self.address), phone=text(self.phone),
            email=text(self.email), office_hours=text(self.office_hours),
            active=self.active.data, work_week=self.work_week.data or "",
            counts_cuti_bersama=bool(self.counts_cuti_bersama.data),
            maklumat_id=text(self.maklumat_id), maklumat_en=text(self.maklumat_en),
            maklumat_signer=text(self.maklumat_signer), maklumat_date=self.maklumat_date.data,
        )
