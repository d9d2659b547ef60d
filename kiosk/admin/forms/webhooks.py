"""The form for a webhook subscriber."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from kiosk.admin.forms import options, text
from services.outbox.webhooks import WEBHOOK_EVENT_KINDS, SubscriberInput


class WebhookForm(FlaskForm):
    name = StringField(_l("Nama penerima"), validators=[DataRequired(), Length(max=120)])
    url = StringField(_l("URL"), validators=[DataRequired(), Length(max=500)])
    event_kinds = SelectMultipleField(_l("Jenis kejadian"), choices=[],
                                      widget=ListWidget(prefix_label=False),
                                      option_widget=CheckboxInput())
    active = BooleanField(_l("Aktif"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event_kinds.choices = options([("*", _l("Semua kejadian")),
                                            *((kind, kind) for kind in WEBHOOK_EVENT_KINDS)])

    def to_input(self) -> SubscriberInput:
        return SubscriberInput(name=text(self.name), url=text(self.url),
                               event_kinds=list(self.event_kinds.data or []),
                               active=bool(self.active.data))
