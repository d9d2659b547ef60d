"""Endpoints for the kiosk client on the kiosk PC: enrol, heartbeat, print jobs and their
acknowledgement. Every call but enrol carries the device token as a bearer token."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import current_app, jsonify, request

from kiosk.api import bp
from kiosk.api.long_poll import LONG_POLL_MAX_SECONDS, RECHECK_SECONDS, PrintJobWatch
from kiosk.credential_guard import device_for_token
from kiosk.extensions import db, limiter, pin_keyring, unit_of_work, writes_on_get
from kiosk.urls import public_base_url
from services.db import utcnow
from services.errors import ValidationFailed
from services.kiosks.devices import enrol_device
from services.kiosks.printing import acknowledge_print_job, fetch_print_jobs
from services.kiosks.status import record_heartbeat
from services.models import Kiosk


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("api.body_not_object")
    return body


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_kiosk() -> Kiosk:
    """The kiosk whose device token this request carries; 401 for unknown or revoked ones."""
    return device_for_token(bearer_token())


@bp.post("/kiosk/enrol")
@limiter.limit("10 per minute")
def enrol_kiosk():
    body = json_body()
    code = body.get("enrolment_code")
    if not isinstance(code, str) or not code.strip():
        raise ValidationFailed("kiosk.enrolment_code_required",
                               fields={"enrolment_code": "field.required"})
    with unit_of_work():
        enrolment = enrol_device(db.session, code)
    return jsonify({"device_token": enrolment.device_token,
                    "kiosk_code": enrolment.kiosk.code}), 201


@bp.post("/kiosk/heartbeat")
def kiosk_heartbeat():
    kiosk = current_kiosk()
    body = json_body()
    paper_mm = body.get("paper_mm")
    if paper_mm is not None and not isinstance(paper_mm, int):
        raise ValidationFailed("kiosk.paper_width_unknown", fields={"paper_mm": "kiosk.paper_widths"})
    with unit_of_work():
        record_heartbeat(db.session, kiosk, printer_state=str(body.get("printer_state", "unknown")),
                         paper_low=bool(body.get("paper_low", False)),
                         client_version=str(body.get("client_version", "")), paper_mm=paper_mm)
    return jsonify({"kiosk_code": kiosk.code, "in_service": kiosk.in_service,
                    "out_of_service_note": kiosk.out_of_service_note,
                    "server_time": utcnow().isoformat()})


def print_job_watch() -> PrintJobWatch:
    """This process's watch over new print jobs, made on first use."""
    extensions = current_app.extensions
    if "print_job_watch" not in extensions:
        with _WATCH_LOCK:
            if "print_job_watch" not in extensions:
                extensions["print_job_watch"] = PrintJobWatch.on_engine(
                    db.engine, slots=int(current_app.config["LONG_POLL_SLOTS"]))
    return extensions["print_job_watch"]  # type: ignore[no-any-return]


_WATCH_LOCK = threading.Lock()


def _wait_seconds() -> float:
    try:
        wait = float(request.args.get("wait", "0"))
    except ValueError:
        raise ValidationFailed("kiosk.wait_seconds", fields={"wait": "kiosk.wait_range"}) from None
    return min(max(wait, 0.0), LONG_POLL_MAX_SECONDS)


@bp.get("/kiosk/print-jobs")
@writes_on_get
def kiosk_print_jobs():
    """The kiosk's waiting jobs. With ``?wait=N`` (at most 25 s) and none waiting, the answer
    is held until a job comes or N seconds pass; ``long_poll`` says whether it was held."""
    kiosk = current_kiosk()
    config = current_app.config
    wait = _wait_seconds()
    watch = print_job_watch()
    held = wait > 0 and watch.hold()
    try:
        deadline = time.monotonic() + wait
        while True:
            seen = watch.version
            with unit_of_work():
                jobs = fetch_print_jobs(db.session, kiosk, pins=pin_keyring(),
                                        city=config["CITY_NAME"], base_url=public_base_url(),
                                        tz=config["CITY_TIMEZONE"])
                paper_mm, code = kiosk.paper_width_mm, kiosk.code
            left = deadline - time.monotonic()
            if jobs or not held or left <= 0:
                break
            db.session.close()  # hold no connection while waiting
            watch.wait(seen, min(left, RECHECK_SECONDS))
            if time.monotonic() >= deadline:
                break
            kiosk = current_kiosk()  # again: it may have been revoked meanwhile
    finally:
        if held:
            watch.release()
    return jsonify({"kiosk_code": code, "paper_mm": paper_mm, "jobs": jobs,
                    "long_poll": held})


@bp.post("/kiosk/print-jobs/<int:job_id>/ack")
def acknowledge_kiosk_print_job(job_id: int):
    kiosk = current_kiosk()
    body = json_body()
    result = body.get("result")
    if result not in ("printed", "failed"):
        raise ValidationFailed("kiosk.print_result_needed",
                               fields={"result": "kiosk.printed_or_failed"})
    with unit_of_work():
        job = acknowledge_print_job(db.session, kiosk, job_id, printed=result == "printed",
                                    error=str(body.get("error") or ""))
    return jsonify({"id": job.id, "state": job.state.value})
