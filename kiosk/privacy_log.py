"""Keep personal data out of the logs."""

from __future__ import annotations

import logging

from services.privacy import mask_personal_data


class PersonalDataFilter(logging.Filter):
    """Mask NIKs and phone numbers in every record that passes through."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
