"""Keep personal data out of the logs, whichever handler (Flask's, gunicorn's) writes them."""

from __future__ import annotations

import logging
from typing import Any

from services.privacy import mask_personal_data

_original_factory = logging.getLogRecordFactory()


def _masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _original_factory(*args, **kwargs)
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        return record  # a malformed call; logging reports it itself
    masked = mask_personal_data(message)
    if masked != message:
        record.msg, record.args = masked, None
    return record


def install_log_masking() -> None:
    """Mask NIKs and phone numbers in every log record made in this process."""
    if logging.getLogRecordFactory() is not _masking_factory:
        logging.setLogRecordFactory(_masking_factory)
