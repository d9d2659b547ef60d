"""The display page, its long poll, and the announcement's sound."""

from __future__ import annotations

import time
from typing import Any

from flask import Response, jsonify, render_template, request, url_for

from kiosk.api.long_poll import LONG_POLL_MAX_SECONDS, RECHECK_SECONDS
from kiosk.extensions import city_calendar, clock, db
from kiosk.layar import bp
from kiosk.layar.announce import announcement_audio, call_watch
from kiosk.speech import SpeechUnavailable
from services.frontoffice.display import Board, ShownCall, call_to_announce, display_board


@bp.get("/layar/<group>")
def display(group: str):
    board = display_board(db.session, group_code=group, calendar=city_calendar(),
                          now=clock().now())
    return render_template("layar/display.html", board=board, state=_board_json(board))


def _after() -> int | None:
    value = request.args.get("after", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _wait() -> float:
    try:
        return min(max(float(request.args.get("wait", "0")), 0.0), LONG_POLL_MAX_SECONDS)
    except ValueError:
        return 0.0


@bp.get("/layar/<group>/panggilan")
def calls(group: str):
    """The board; with ``?after=<event>&wait=N`` held until a call comes after that event or N
    seconds pass. A display not held (all slots taken) asks again shortly."""
    after, wait = _after(), _wait()
    watch = call_watch()
    held = wait > 0 and after is not None and watch.hold()
    try:
        deadline = time.monotonic() + wait
        while True:
            seen = watch.version
            board = display_board(db.session, group_code=group, calendar=city_calendar(),
                                  now=clock().now(), after=after)
            left = deadline - time.monotonic()
            if board.new_calls or not held or left <= 0:
                break
            db.session.close()  # hold no connection while waiting
            watch.wait(seen, min(left, RECHECK_SECONDS))
            if time.monotonic() >= deadline:
                break
    finally:
        if held:
            watch.release()
    return jsonify({**_board_json(board), "long_poll": held})


def _call_json(call: ShownCall) -> dict[str, Any]:
    return {"event": call.event_id, "label": call.label, "counter": call.counter,
            "text": call.announcement,
            "audio": url_for("layar.call_audio", event_id=call.event_id)}


def _board_json(board: Board) -> dict[str, Any]:
    return {"group": board.group.code, "last_event": board.last_event_id,
            "new_calls": [_call_json(c) for c in board.new_calls],
            "recent": [_call_json(c) for c in board.recent], "waiting": board.waiting,
            "running_text": board.group.running_text}


@bp.get("/layar/suara/<int:event_id>")
def call_audio(event_id: int):
    """The call spoken in Bahasa Indonesia by espeak-ng, made once and kept."""
    call = call_to_announce(db.session, event_id)
    try:
        path, mimetype = announcement_audio(call.announcement)
    except SpeechUnavailable:
        return Response("espeak-ng unavailable", status=503, mimetype="text/plain")
    return Response(path.read_bytes(), mimetype=mimetype,
                    headers={"Cache-Control": "public, max-age=86400"})
