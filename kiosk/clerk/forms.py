"""Forms of the clerk workspace: every action carries a note or a reason."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from services.workflow.sla import MAX_EXTENSION_DAYS


class ClaimForm(FlaskForm):
    service = HiddenField()


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])


class ApproveForm(NoteForm):
    """Approving a step; the step that assesses the fee and the last step of an external
    product also record what they set (the use case says which are needed)."""

    assessed_fee = StringField(_l("Biaya yang ditetapkan (rupiah)"),
                               validators=[Optional(), Length(max=30)])
    fee_reference = StringField(_l("Nomor SKRD/SKPD"), validators=[Optional(), Length(max=100)])
    external_number = StringField(_l("Nomor produk dari sistem penerbit"),
                                  validators=[Optional(), Length(max=100)])
    external_date = DateField(_l("Tanggal terbit di sistem penerbit"), validators=[Optional()])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(), Length(max=2000)])


class RevokeForm(FlaskForm):
    category = SelectField(_l("Alasan pencabutan (tampil di halaman verifikasi)"),
                           validators=[DataRequired()])
    reason = TextAreaField(_l("Keterangan internal (tidak tampil untuk umum)"),
                           validators=[DataRequired(), Length(max=2000)])


class ReturnForm(FlaskForm):
    note = TextAreaField(_l("Keterangan yang diminta dari pemohon"),
                         validators=[DataRequired(), Length(max=2000)])
    fields = SelectMultipleField(_l("Isian yang perlu diperbaiki"), validators=[Optional()],
                                 widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())


class ForwardForm(FlaskForm):
    to_agency = SelectField(_l("Teruskan ke"), validators=[DataRequired()])
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])


class ReassignForm(FlaskForm):
    to_user = SelectField(_l("Petugas"), coerce=int, validators=[DataRequired()])
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])


class ExtendForm(FlaskForm):
    days = IntegerField(_l("Tambahan hari kerja"), validators=[DataRequired(),
                                                               NumberRange(min=1, max=MAX_EXTENSION_DAYS)])
    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(), Length(max=2000)])


class RequirementCheckForm(FlaskForm):
    """The clerk's verdict on one requirement; the reason is what the citizen reads."""

    verdict = SelectField(_l("Hasil pemeriksaan"), choices=[
        SelectChoice("sesuai", _l("Sesuai")), SelectChoice("tidak_sesuai", _l("Tidak sesuai")),
        SelectChoice("kurang", _l("Kurang"))], validators=[DataRequired()])
    reason = StringField(_l("Alasan (dibaca pemohon)"), validators=[Optional(), Length(max=500)])
