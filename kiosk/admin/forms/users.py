"""The form for a staff account, and the roles' names."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from kiosk.admin.forms import options, text
from services.accounts import UserInput
from services.models import Role

ROLE_LABELS = {Role.ADMIN: _l("Administrator"), Role.SUPERVISOR: _l("Supervisor"),
               Role.CLERK: _l("Petugas"), Role.OFFICER: _l("Petugas pendamping"),
               Role.COORDINATOR: _l("Koordinator pengaduan"),
               Role.LEADERSHIP: _l("Pimpinan kota"),
               Role.TREASURER: _l("Bendahara penerimaan"),
               Role.OFFICIAL: _l("Pejabat penandatangan")}


class UserForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(), Length(max=60)])
    full_name = StringField(_l("Nama lengkap"), validators=[DataRequired(), Length(max=120)])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=120)])
    role = SelectField(_l("Peran"), choices=options((r.value, ROLE_LABELS[r]) for r in Role))
    agency_code = SelectField(_l("Instansi"), choices=[])
    password = PasswordField(_l("Kata sandi"), validators=[Length(max=200)])
    active = BooleanField(_l("Aktif"), default=True)
    jabatan = StringField(_l("Jabatan"), validators=[Optional(), Length(max=200)])
    nip = StringField(_l("NIP"), validators=[Optional(), Length(max=30)])
    signing_credential = StringField(_l("Kredensial layanan tanda tangan"),
                                     validators=[Optional(), Length(max=200)])

    def to_input(self) -> UserInput:
        return UserInput(
            username=text(self.username), full_name=text(self.full_name),
            role=Role(self.role.data), agency_code=self.agency_code.data or None,
            email=text(self.email), password=self.password.data or None,
            active=self.active.data, jabatan=text(self.jabatan), nip=text(self.nip),
            signing_credential=text(self.signing_credential),
        )
