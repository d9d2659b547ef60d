"""The citizen's choice to be told of progress (WhatsApp, SMS or not at all), with the consent
sentence it is given under (UU PDP): one field for the request and the complaint forms, at the
kiosk and on the phone. The choice is recorded by services.outbox.notices.record_consent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from kiosk.messages import say
from services.errors import ValidationFailed
from services.outbox.notices import citizen_channel
from services.outbox.wording import consent_wording


class NotifyChoiceForm(FlaskForm):
    # Nothing is sent unless the citizen picks a channel; the domain checks the choice.
    notify = RadioField(_l("Kirim kabar lewat"), default="none", validate_choice=False,
                        choices=[SelectChoice("whatsapp", "WhatsApp"), SelectChoice("sms", "SMS"),
                                 SelectChoice("none", _l("Tidak usah"))])

    def word_consent(self, kind: str, lang: str) -> None:
        """Show the consent sentence for a "request" or a "complaint" under the choice, and
        refuse a choice the domain does not know in the citizen's language."""
        self.notify.description = consent_wording(kind, lang)

        def known(form: FlaskForm, field: Field) -> None:
            try:
                citizen_channel(field.data)
            except ValidationFailed as refused:
                raise ValidationError(say(refused.fields["notify"])) from None

        self.notify.validators = [known]
