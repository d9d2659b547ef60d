"""A call's two side effects after its commit: wake the displays held by this process, and make
its spoken announcement ready in the cache so the displays fetch it at once."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select

from kiosk.api.long_poll import PrintJobWatch
from kiosk.extensions import db
from kiosk.speech import SpeechCache, SpeechUnavailable, compressed
from services.db import expect_writes, stop_expecting
from services.frontoffice.display import call_to_announce
from services.models import TicketEvent

log = logging.getLogger(__name__)
_LOCK = threading.Lock()


def call_watch() -> PrintJobWatch:
    """This process's watch over new ticket events (the print jobs' long-poll watch, on the
    newest ticket event id instead of the newest job id), made on first use."""
    extensions = current_app.extensions
    if "call_watch" not in extensions:
        with _LOCK:
            if "call_watch" not in extensions:
                engine = db.engine

                def newest() -> int | None:
                    reading = expect_writes(False)
                    try:
                        with engine.connect() as connection:
                            return connection.execute(select(func.max(TicketEvent.id))).scalar()
                    finally:
                        stop_expecting(reading)

                extensions["call_watch"] = PrintJobWatch(
                    newest, slots=int(current_app.config.get("DISPLAY_LONG_POLL_SLOTS", 4)),
                    interval=0.1)
    return extensions["call_watch"]  # type: ignore[no-any-return]


def voice_cache() -> SpeechCache:
    """The displays' announcements, cached under the instance folder."""
    cache = current_app.extensions.get("layar_voice")
    if cache is None:
        cache = SpeechCache(Path(current_app.instance_path) / "layar-suara",
                            current_app.config.get("SPEECH_ENGINE", "espeak-ng"))
        current_app.extensions["layar_voice"] = cache
    return cache


def announcement_audio(text: str) -> tuple[Path, str]:
    """The announcement's sound file (compressed when an encoder is installed) and its type."""
    return compressed(voice_cache().audio_for(text, "id"))


def announce_call(ticket_id: int) -> None:
    """After a call committed: wake the displays now, and warm the voice in the background."""
    call_watch().notify()
    if not current_app.config.get("DISPLAY_VOICE_WARM", True):
        return
    event_id = db.session.scalar(select(func.max(TicketEvent.id)).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "called"))
    if event_id is None:
        return
    try:
        text = call_to_announce(db.session, event_id).announcement
    except Exception:  # the announcement is fetched by the display in any case
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    threading.Thread(target=_warm, args=(app, text), daemon=True,
                     name="layar-voice").start()


def _warm(app: Flask, text: str) -> None:
    with app.app_context():
        try:
            announcement_audio(text)
        except SpeechUnavailable:
            log.info("no voice for the display: speech engine unavailable")
