"""The citizen's draft (what they have typed so far) kept in the encrypted session cookie
(kiosk/sessions.py), and the wipes that remove every trace of it."""

from __future__ import annotations

import time
import uuid
from typing import Any

from flask import current_app, g, session

DRAFT = "kiosk_draft"
RECEIPT = "kiosk_receipt"
OFFICER = "kiosk_officer"
SEEN = "kiosk_seen"
GENERATION = "kiosk_generation"  # the kiosk's session generation this cookie belongs to
COMPLAINT_DRAFT = "kiosk_complaint"
COMPLAINT_RECEIPT = "kiosk_complaint_receipt"
# Every draft a citizen may be typing; "Batal dan hapus isian" shows only while one exists.
DRAFTS = (DRAFT, COMPLAINT_DRAFT)


def current_draft() -> dict[str, Any] | None:
    return session.get(DRAFT)


def start_draft(service_code: str) -> dict[str, Any]:
    """A new draft for this service; whatever an earlier citizen left is dropped."""
    session.pop(RECEIPT, None)
    draft = {"service": service_code, "applicant": {}, "answers": {}, "key": None}
    session[DRAFT] = draft
    return draft


def save_draft(draft: dict[str, Any]) -> None:
    session[DRAFT] = draft
    session.modified = True


def idempotency_key(draft: dict[str, Any]) -> str:
    """The draft's key, made once when the citizen first reaches the check-answers page."""
    if not draft.get("key"):
        draft["key"] = uuid.uuid4().hex
        save_draft(draft)
    return str(draft["key"])


def current_receipt() -> dict[str, Any] | None:
    return session.get(RECEIPT)


def finish_citizen() -> None:
    """The citizen is done: forget them and their language, keep an assisting officer; a copy
    of their session cookie is worth nothing from now on."""
    officer = session.get(OFFICER)
    session.clear()
    if officer:
        session[OFFICER] = officer
    _new_generation()


def wipe_all() -> None:
    """The idle wipe: the citizen, their language and any signed-in officer; a copy of the
    session cookie is worth nothing from now on."""
    session.clear()
    _new_generation()


def _new_generation() -> None:
    from kiosk.extensions import db, unit_of_work
    from services.kiosks.devices import next_session_generation

    with unit_of_work(keep_loaded=True):
        session[GENERATION] = next_session_generation(db.session, g.kiosk)


def check_generation() -> None:
    """A session cookie from an earlier generation of this kiosk (before a "Selesai" or a
    wipe: a copy, replayed) is emptied before anything reads it."""
    current = g.kiosk.session_generation
    if session.get(GENERATION) != current:
        session.clear()
        session[GENERATION] = current


def touch_and_check_idle() -> bool:
    """Note activity; True when the session sat idle past the timeout and was wiped."""
    now = int(time.time())
    last = session.get(SEEN)
    wiped = False
    if last is not None and now - last > current_app.config["IDLE_TIMEOUT_SECONDS"]:
        wipe_all()
        wiped = True
    session[SEEN] = now
    return wiped
