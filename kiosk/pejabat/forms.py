"""The signing official's forms: sign the chosen decisions with the passphrase, or send one
back with a note. The passphrase field is never filled back in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget


class SignForm(FlaskForm):
    tasks = SelectMultipleField(_l("Keputusan yang ditandatangani"), coerce=int,
                                widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())
    passphrase = PasswordField(_l("Passphrase sertifikat elektronik"),
                               validators=[DataRequired(), Length(max=200)])


class SendBackForm(FlaskForm):
    note = TextAreaField(_l("Catatan perbaikan untuk petugas"),
                         validators=[DataRequired(), Length(max=2000)])
