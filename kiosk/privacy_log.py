"""Keep personal data out of the logs, whichever handler (Flask's, gunicorn's) writes them,
and write structured JSON lines that carry the request id."""

from __future__ import annotations

import json
import logging
import re
import traceback
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request
from flask.logging import default_handler

from services.privacy import forget_log_secrets, keep_out_of_logs, mask_log_text

_original_factory = logging.getLogRecordFactory()
_REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
# A client's X-Request-ID is kept when it is short and plain; anything else gets our own.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")
REQUEST_ID_HEADER = "X-Request-ID"


def _masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Mask the message, the traceback and the stack of every record as it is made, so no
    handler or formatter can write them in the clear."""
    record = _original_factory(*args, **kwargs)
    record.request_id = _REQUEST_ID.get()
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        message = str(record.msg)  # a malformed call: keep its text, masked
    masked = mask_log_text(message)
    if masked != message or record.args:
        record.msg, record.args = masked, None
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = mask_log_text("".join(traceback.format_exception(*record.exc_info)))
        record.exc_text = record.exc_text.rstrip("\n")
    if record.stack_info:
        record.stack_info = mask_log_text(record.stack_info)
    return record


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": mask_log_text(record.getMessage()),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = mask_log_text(record.exc_text)
        if record.stack_info:
            entry["stack"] = mask_log_text(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def install_log_masking() -> None:
    """Mask NIKs, phone numbers and the current applicant's data in every log record."""
    if logging.getLogRecordFactory() is not _masking_factory:
        logging.setLogRecordFactory(_masking_factory)


def install_logging(app: Flask) -> None:
    """Masking everywhere; JSON lines (LOG_FORMAT=json) on Flask's and gunicorn's handlers;
    a request id per request, taken from a sane X-Request-ID or made here, echoed back."""
    install_log_masking()
    app.logger.setLevel(logging.INFO)
    if app.config.get("LOG_FORMAT", "json") == "json":
        formatter = JsonFormatter()
        default_handler.setFormatter(formatter)
        for name in ("gunicorn.error", "gunicorn.access"):
            for handler in logging.getLogger(name).handlers:
                handler.setFormatter(formatter)

    @app.before_request
    def start_request_log() -> None:
        forget_log_secrets()
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        _REQUEST_ID.set(g.request_id)
        # A client's idempotency key identifies its citizen's submission: never logged.
        keep_out_of_logs(request.headers.get("Idempotency-Key"))

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response

    @app.teardown_request
    def end_request_log(_error: BaseException | None) -> None:
        _REQUEST_ID.set("-")  # a reused thread's next lines belong to no request
        forget_log_secrets()
