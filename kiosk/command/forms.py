"""The administrator's form for an agency's yearly targets."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional

from services.performance.targets import TargetInput


class TargetForm(FlaskForm):
    agency = HiddenField()
    on_time_percent = IntegerField(_l("Tepat waktu"),
                                   validators=[Optional(), NumberRange(0, 100)])
    ikm = DecimalField(_l("IKM"), places=2, validators=[Optional(), NumberRange(25, 100)])
    complaints_resolved_percent = IntegerField(_l("Pengaduan tuntas"),
                                               validators=[Optional(), NumberRange(0, 100)])

    def to_input(self) -> TargetInput:
        ikm = self.ikm.data
        return TargetInput(
            on_time_percent=self.on_time_percent.data,
            ikm=Decimal(ikm).quantize(Decimal("0.01")) if ikm is not None else None,
            complaints_resolved_percent=self.complaints_resolved_percent.data,
        )
